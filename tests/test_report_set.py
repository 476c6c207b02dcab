"""A report is one set of files: written whole or not at all, by one run at a time."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from chibo4tot import fsio_set as fsio
from chibo4tot.cli import commands_report
from tests.conftest import invoke

NAMES = [
    "chi-bo-4-tot-2024.xlsx",
    "bao-cao-chi-bo-4-tot-2024.md",
    "bao-cao-chi-bo-4-tot-2024.docx",
    "danh-sach-cong-nhan-2024.docx",
]


def _args(workspace: Path, out: Path, date: str, *extra: str) -> list[str]:
    common = ["--year", "2024", "--date", date, "--allow-incomplete", "--out", str(out)]
    return ["report", str(workspace), *common, *extra]


def _state(folder: Path) -> dict[str, str]:
    """Every entry of the folder, hidden ones included, with the hash of each file."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<dir>"
        for p in sorted(folder.iterdir())
    }


@pytest.fixture
def old_set(example_copy: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    invoke(_args(example_copy, out, "2025-01-15"))
    assert sorted(p.name for p in out.iterdir()) == sorted(NAMES)
    return out


def _interrupt_after_first_move(monkeypatch: pytest.MonkeyPatch) -> None:
    real = fsio._move
    moves: list[Path] = []

    def move(source: Path, destination: Path) -> None:
        if moves:
            raise KeyboardInterrupt
        moves.append(destination)
        real(source, destination)

    monkeypatch.setattr(fsio, "_move", move)


def test_ctrl_c_between_two_files_keeps_the_previous_set(
    old_set: Path, example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _state(old_set)
    _interrupt_after_first_move(monkeypatch)
    result = invoke(_args(example_copy, old_set, "2025-02-20", "--force"), exit_code=130)
    assert _state(old_set) == before  # all four old files, nothing new, no temporary left
    assert "chưa ghi tệp báo cáo nào" in result.stderr
    assert "Đã dừng theo yêu cầu." in result.stderr
    assert result.stdout == ""  # no path printed: none was written


def test_ctrl_c_on_a_first_report_leaves_the_folder_empty(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _interrupt_after_first_move(monkeypatch)
    invoke(_args(example_copy, out, "2025-01-15"), exit_code=130)
    assert list(out.iterdir()) == []


def test_ctrl_c_after_the_set_is_complete_says_it_was_written(
    old_set: Path, example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(stage: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fsio, "_discard", interrupted)
    result = invoke(_args(example_copy, old_set, "2025-02-20", "--force"), exit_code=130)
    assert "đã được ghi đủ 4 tệp trước khi dừng" in result.stderr
    md = (old_set / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    assert "ngày 20 tháng 02 năm 2025" in md  # the new set stands
    monkeypatch.undo()  # the staging folder left behind is tidied by the next run
    invoke(_args(example_copy, old_set, "2025-02-21", "--force"))
    assert sorted(p.name for p in old_set.iterdir()) == sorted(NAMES)


@pytest.fixture
def live_pid() -> Iterator[int]:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        yield child.pid
    finally:
        child.kill()
        child.wait()


def test_a_folder_held_by_another_run_is_refused(example_copy: Path, tmp_path: Path, live_pid: int) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / fsio.LOCK_NAME).write_text(f"{live_pid}\n", encoding="ascii")
    result = invoke(_args(example_copy, out, "2025-01-15"), exit_code=2)
    assert f"một lần chạy khác (tiến trình {live_pid}) đang ghi vào" in result.stderr
    assert [p.name for p in out.iterdir()] == [fsio.LOCK_NAME]  # not ours: left alone


def _killed_mid_commit(folder: Path) -> bytes:
    """What a run killed (SIGKILL) mid-commit leaves: its lock, its stage with the journal, the
    old workbook parked in the stage and a new one moved in; returns the old workbook's bytes."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    (folder / fsio.LOCK_NAME).write_text(dead.stdout.decode(), encoding="ascii")
    old_workbook = (folder / NAMES[0]).read_bytes()
    stage = folder / ".chibo4tot-set.killed.tmp"
    (stage / "old").mkdir(parents=True)
    (stage / "journal").write_text("\n".join(NAMES), encoding="utf-8")
    (folder / NAMES[0]).rename(stage / "old" / NAMES[0])
    (folder / NAMES[0]).write_bytes(b"half of a new set")
    for name in NAMES[1:]:
        (stage / name).write_bytes(b"new, not moved in yet")
    return old_workbook


def test_what_a_killed_run_left_is_rolled_back(old_set: Path) -> None:
    old_workbook = _killed_mid_commit(old_set)
    (old_set / ".ghi-chu.md.abc123.tmp").write_bytes(b"a single-file write, killed")
    fsio.write_set_atomic(old_set, [("ghi-chu.md", b"note")], overwrite=False)
    assert sorted(p.name for p in old_set.iterdir()) == sorted([*NAMES, "ghi-chu.md"])
    assert (old_set / NAMES[0]).read_bytes() == old_workbook  # the old set, whole again


def test_report_clears_what_a_killed_run_left(old_set: Path, example_copy: Path) -> None:
    _killed_mid_commit(old_set)
    (old_set / f".{NAMES[1]}.abc123.tmp").write_bytes(b"partial")
    invoke(_args(example_copy, old_set, "2025-02-20", "--force"))
    assert sorted(p.name for p in old_set.iterdir()) == sorted(NAMES)
    md = (old_set / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    assert "ngày 20 tháng 02 năm 2025" in md


def test_files_that_appear_after_the_check_are_not_overwritten(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two runs without --force into one empty folder: both pass the check made before
    # rendering; the second to reach the folder must refuse, not replace the first one's set.
    out = tmp_path / "out"
    real = fsio.write_set_atomic

    def other_run_first(target: Path, files: list[tuple[str, bytes]], *, overwrite: bool) -> list[Path]:
        real(target, [(name, b"the other run's") for name, _data in files], overwrite=False)
        return real(target, files, overwrite=overwrite)

    monkeypatch.setattr(commands_report, "write_set_atomic", other_run_first)
    result = invoke(_args(example_copy, out, "2025-01-15"), exit_code=2)
    assert "đã có tệp báo cáo" in result.stderr and "--force" in result.stderr
    assert {p.read_bytes() for p in out.iterdir()} == {b"the other run's"}
