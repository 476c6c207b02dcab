"""Write targets are checked before anything is rendered: a file where a folder goes, a folder
where a file goes, a folder that cannot be written: each a Vietnamese usage error (exit 2)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import invoke
from tests.test_cli_report import ARGS


@pytest.fixture
def no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering fails the test: the check must come first."""
    from chibo4tot.report import markdown, word, xlsx

    def render(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("rendered before the write target was checked")

    monkeypatch.setattr(xlsx, "render_xlsx", render)
    monkeypatch.setattr(markdown, "render_markdown", render)
    monkeypatch.setattr(word, "render_docx", render)
    monkeypatch.setattr(word, "render_recognition_list_docx", render)


def test_report_out_onto_a_file(example_copy: Path, tmp_path: Path, no_rendering: None) -> None:
    out = tmp_path / "tep.txt"
    out.write_text("", encoding="utf-8")
    err = invoke(["report", str(example_copy), *ARGS, "--out", str(out)], exit_code=2).stderr
    assert f"lỗi: không ghi được vào {out}: đây là một tệp, không phải thư mục" in err
    assert "lỗi nội bộ" not in err


def test_report_out_below_a_file(example_copy: Path, tmp_path: Path, no_rendering: None) -> None:
    (tmp_path / "tep.txt").write_text("", encoding="utf-8")
    out = tmp_path / "tep.txt" / "bao-cao"
    err = invoke(["report", str(example_copy), *ARGS, "--out", str(out)], exit_code=2).stderr
    assert f"không ghi được vào {out}: {tmp_path / 'tep.txt'} là một tệp, không phải thư mục" in err


def test_report_target_that_is_a_folder(example_copy: Path, tmp_path: Path, no_rendering: None) -> None:
    out = tmp_path / "bao-cao"
    (out / "bao-cao-chi-bo-4-tot-2024.md").mkdir(parents=True)
    err = invoke(
        ["report", str(example_copy), *ARGS, "--out", str(out), "--format", "md", "--force"], exit_code=2
    ).stderr
    assert f"không ghi được tệp {out / 'bao-cao-chi-bo-4-tot-2024.md'}: đây là một thư mục" in err


def test_report_into_a_folder_that_refuses_new_files(
    example_copy: Path, tmp_path: Path, no_rendering: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An immutable folder or a read-only mount: even root cannot create a file there.
    def refuse(*args: Any, **kwargs: Any) -> tuple[int, str]:
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "bao-cao"
    out.mkdir()
    err = invoke(["report", str(example_copy), *ARGS, "--out", str(out)], exit_code=2).stderr
    assert f"lỗi: không ghi được vào thư mục {out}: không có quyền ghi" in err


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_report_into_a_read_only_folder(example_copy: Path, tmp_path: Path, no_rendering: None) -> None:
    out = tmp_path / "bao-cao"
    out.mkdir()
    out.chmod(0o555)
    try:
        err = invoke(["report", str(example_copy), *ARGS, "--out", str(out)], exit_code=2).stderr
    finally:
        out.chmod(0o755)
    assert f"không ghi được vào thư mục {out}: không có quyền ghi" in err


def test_init_onto_a_file(tmp_path: Path) -> None:
    target = tmp_path / "tep.txt"
    target.write_text("", encoding="utf-8")
    err = invoke(["init", str(target)], exit_code=2).stderr
    assert f"lỗi: không ghi được vào {target}: đây là một tệp, không phải thư mục" in err


def test_init_with_a_file_where_a_folder_goes_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "dang-bo"
    target.mkdir()
    (target / "records").write_text("", encoding="utf-8")
    err = invoke(["init", str(target)], exit_code=2).stderr
    assert f"không ghi được vào {target / 'records'}: đây là một tệp, không phải thư mục" in err
    assert sorted(p.name for p in target.iterdir()) == ["records"]  # no half workspace


def test_criteria_schema_onto_a_file(tmp_path: Path) -> None:
    target = tmp_path / "tep.txt"
    target.write_text("", encoding="utf-8")
    err = invoke(["criteria", "schema", "--out", str(target)], exit_code=2).stderr
    assert f"lỗi: không ghi được vào {target}: đây là một tệp, không phải thư mục" in err
    assert target.read_text(encoding="utf-8") == ""
