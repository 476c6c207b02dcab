"""Neither the suite nor the output depends on the machine: shell variables, hash seed, time zone."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from chibo4tot.cli import evaluation
from chibo4tot.cli.output import show_path
from chibo4tot.errors import Problem
from chibo4tot.inputs.locate import read_raw
from tests.conftest import EXAMPLE, REPO, invoke


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env={**os.environ, **env}, capture_output=True, timeout=300
    )


def test_the_suite_ignores_the_developers_shell(tmp_path: Path) -> None:
    """A shell with another language, a narrow terminal and forced colour: the tests still pass."""
    tests = [
        "tests/test_frameworks.py::test_criteria_commands",
        "tests/test_cli_validate.py::test_valid_workspace_exits_zero",
        "tests/test_cli_polish.py::test_help_is_vietnamese",
        "tests/test_cli_score.py::test_example_matches_golden",  # the CLI runs in a module fixture
    ]
    done = _run(
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", *(str(REPO / t) for t in tests)],
        tmp_path,  # another working directory, too
        CHIBO4TOT_LANG="en",
        COLUMNS="40",
        FORCE_COLOR="1",
    )
    assert done.returncode == 0, done.stdout.decode(errors="replace")[-3000:]


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1258"])
def test_an_output_encoding_without_vietnamese_letters_does_not_crash(tmp_path: Path, encoding: str) -> None:
    args = ["-m", "chibo4tot", "score", str(EXAMPLE), "--year", "2024"]
    done = _run(args, tmp_path, PYTHONIOENCODING=encoding)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert "Chi bộ thôn Mã Pì Lèng" in done.stdout.decode("utf-8")
    # Only the example's own warning (Lũng Lầu lacks three months), in Vietnamese, UTF-8.
    assert "thiếu hồ sơ tháng 6, 7, 8" in done.stderr.decode("utf-8")
    assert "lỗi nội bộ" not in done.stderr.decode("utf-8")


def test_output_does_not_depend_on_hash_seed_or_time_zone(tmp_path: Path) -> None:
    outputs = set()
    for seed, zone in (("1", "Pacific/Kiritimati"), ("2", "America/Los_Angeles")):
        out = tmp_path / seed
        report = ["-m", "chibo4tot", "report", str(EXAMPLE), "--year", "2024", "--date", "2025-02-05"]
        report.append("--allow-incomplete")
        done = _run([*report, "--out", str(out)], tmp_path, PYTHONHASHSEED=seed, TZ=zone)
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        files = tuple((p.name, p.read_bytes()) for p in sorted(out.iterdir()))
        for fmt in ("table", "json", "csv"):
            score = ["-m", "chibo4tot", "score", str(EXAMPLE), "--year", "2024", "--format", fmt]
            files += ((fmt, _run(score, tmp_path, PYTHONHASHSEED=seed, TZ=zone).stdout),)
        outputs.add(files)
    assert len(outputs) == 1


def test_a_file_that_cannot_be_written_is_named_in_vietnamese(example_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "khong-phai-thu-muc"
    blocker.write_text("", encoding="utf-8")
    args = [
        "report",
        str(example_copy),
        "--year",
        "2024",
        "--date",
        "2025-02-05",
        "--out",
        str(blocker / "x"),
        "--allow-incomplete",
    ]
    err = invoke(args, exit_code=2).stderr
    # Checked before rendering (tests/test_write_targets.py), so it names the file in the way.
    assert f"không ghi được vào {blocker / 'x'}: {blocker} là một tệp, không phải thư mục" in err
    assert "Errno" not in err and ".tmp" not in err


def test_a_file_that_cannot_be_read_is_named_in_vietnamese(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    record = root / "records/2024/chi-bo-1/2024-02.yaml"
    problems: list[Problem] = []
    record.unlink()
    record.mkdir()
    assert read_raw(record, problems) is None
    assert problems[0].message == "không đọc được tệp: đây là một thư mục, không phải tệp"


def test_a_system_error_in_a_command_is_vietnamese_not_internal(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(start: Path) -> Path:
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/dang-bo")

    monkeypatch.setattr(evaluation, "find_workspace", refuse)
    err = invoke(["score", "."], exit_code=2).stderr
    assert err.strip() == f"lỗi: {show_path(Path('/srv/dang-bo'))}: không có quyền truy cập"
