"""`chibo4tot report`: writes the files atomically, prints their paths, never overwrites without --force."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPORT_FILES, invoke

ARGS = ["--year", "2024", "--date", "2025-01-15", "--allow-incomplete"]  # Lũng Lầu lacks 3 months


def test_report_writes_every_format_and_prints_paths(example_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(["report", str(example_copy), *ARGS, "--out", str(out)])
    printed = [Path(line).name for line in result.stdout.splitlines()]
    assert printed == REPORT_FILES
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES)  # no temporary file left behind
    for path in out.iterdir():
        assert path.stat().st_mode & 0o044, "reports must be readable by others, like any document"
    md = (out / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    assert "ngày 15 tháng 01 năm 2025" in md


def test_report_refuses_to_overwrite_without_force(example_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke(["report", str(example_copy), *ARGS, "--out", str(out), "--format", "md"])
    target = out / "bao-cao-chi-bo-4-tot-2024.md"
    target.write_text("đã sửa tay", encoding="utf-8")
    result = invoke(["report", str(example_copy), *ARGS, "--out", str(out), "--format", "md"], exit_code=2)
    assert "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "đã sửa tay"
    invoke(["report", str(example_copy), *ARGS, "--out", str(out), "--format", "md", "--force"])
    assert target.read_text(encoding="utf-8") != "đã sửa tay"


def test_same_date_gives_the_same_markdown(example_copy: Path, tmp_path: Path) -> None:
    for name in ("a", "b"):
        invoke(["report", str(example_copy), *ARGS, "--out", str(tmp_path / name), "--format", "md"])
    first = (tmp_path / "a" / REPORT_FILES[1]).read_bytes()
    assert first == (tmp_path / "b" / REPORT_FILES[1]).read_bytes()


def test_bad_options_are_usage_errors(example_copy: Path) -> None:
    invoke(["report", str(example_copy), "--year", "2024", "--date", "32/13/2025"], exit_code=2)
    invoke(["report", str(example_copy), "--year", "2024", "--format", "pdf"], exit_code=2)


@pytest.mark.parametrize("date", ["1970-01-01", "31/12/1999", "2200-01-01"])
def test_report_date_out_of_range_is_a_usage_error(example_copy: Path, tmp_path: Path, date: str) -> None:
    out = tmp_path / "out"
    result = invoke(["report", str(example_copy), *ARGS[:2], "--date", date, "--out", str(out)], exit_code=2)
    assert "nằm ngoài khoảng cho phép: từ năm 2000 đến năm 2100" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_workspace_template_override_and_its_errors(example_copy: Path, tmp_path: Path) -> None:
    templates = example_copy / "templates"
    templates.mkdir()
    (templates / "bao-cao.md.j2").write_text("Báo cáo riêng của {{ config.name }}\n", encoding="utf-8")
    invoke(["report", str(example_copy), *ARGS, "--out", str(tmp_path / "a"), "--format", "md"])
    assert (
        (tmp_path / "a" / REPORT_FILES[1])
        .read_text(encoding="utf-8")
        .startswith("Báo cáo riêng của Đảng bộ xã")
    )
    (templates / "bao-cao.md.j2").write_text("{{ khong_co_bien }}\n", encoding="utf-8")
    result = invoke(
        ["report", str(example_copy), *ARGS, "--out", str(tmp_path / "b"), "--format", "md"], exit_code=1
    )
    assert "Traceback" not in result.output
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize(
    "expression",
    ["{{ (((10**100)**100)**100)**100 }}", '{{ "{:>1999999999}".format(1) }}', '{{ "%0999999999d" % 1 }}'],
)
def test_a_template_that_would_hang_in_one_step_ends_with_a_located_message(
    example_copy: Path, tmp_path: Path, expression: str
) -> None:
    # A child process: each of these used to hold the interpreter for minutes (or for ever), out
    # of reach of the time budget and of Ctrl-C; the timeout fails the test instead of hanging it.
    templates = example_copy / "templates"
    templates.mkdir()
    (templates / "bao-cao.md.j2").write_text(f"Mở đầu\n{expression}\n", encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "chibo4tot",
            "report",
            str(example_copy),
            *ARGS,
            "--out",
            str(out),
            "--format",
            "md",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env={**os.environ, "CHIBO4TOT_LANG": "vi"},
    )
    assert done.returncode == 1, done.stderr
    assert "lỗi: Mẫu báo cáo templates/bao-cao.md.j2 vượt giới hạn an toàn: " in done.stderr, done.stderr
    assert f"dòng 2: {expression}" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists() or not any(out.iterdir())


def test_broken_record_blocks_the_report_unless_keep_going(example_copy: Path, tmp_path: Path) -> None:
    bad = example_copy / "records/2024/xin-chai/2024-05.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("members:", "membres:", 1), encoding="utf-8")
    invoke(["report", str(example_copy), *ARGS, "--out", str(tmp_path / "a"), "--format", "md"], exit_code=1)
    assert not (tmp_path / "a").exists()
    invoke(
        ["report", str(example_copy), *ARGS, "--out", str(tmp_path / "b"), "--format", "md", "--keep-going"],
        exit_code=1,
    )
    assert (tmp_path / "b" / REPORT_FILES[1]).is_file()


def test_a_broken_workspace_file_stops_the_report_even_with_keep_going(
    example_copy: Path, tmp_path: Path
) -> None:
    config = example_copy / "chibo4tot.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "id: [\n", encoding="utf-8")
    args = ["report", str(example_copy), *ARGS, "--out", str(tmp_path / "a"), "--keep-going"]
    err = invoke(args, exit_code=1).stderr
    assert err.splitlines()[-1] == "lỗi: không lập được báo cáo khi chibo4tot.yaml còn lỗi (xem ở trên)"
    assert not (tmp_path / "a").exists()


def test_results_are_set_aside_from_the_gc_while_rendering_only(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from chibo4tot.report import markdown

    seen: list[int] = []
    real = markdown.render_markdown

    def spy(*args: object, **kwargs: object) -> str:
        seen.append(gc.get_freeze_count())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(markdown, "render_markdown", spy)
    invoke(["report", str(example_copy), *ARGS, "--out", str(tmp_path / "out"), "--format", "md"])
    assert seen and seen[0] > 0  # frozen while the report is rendered
    assert gc.get_freeze_count() == 0  # and given back to the collector afterwards
