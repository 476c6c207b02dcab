"""A report is one set of files: written whole or not at all, by one run at a time."""

from __future__ import annotations

import hashlib
import os
import signal
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


def _interrupt_moves(
    monkeypatch: pytest.MonkeyPatch,
    *at: int,
    signal_at: int | None = None,
    error: BaseException | None = None,
) -> list[str]:
    """Make the renames of the set fail: the ``at``-th ones (0-based, counting the rollback's too)
    raise KeyboardInterrupt (or ``error``) in place of moving; at ``signal_at`` a real SIGINT is
    sent to this process and the rename goes on. Returns the destination names, one a call."""
    real = fsio._move
    calls: list[str] = []

    def move(source: Path, destination: Path) -> None:
        index = len(calls)
        calls.append(destination.name)
        if index in at:
            raise error or KeyboardInterrupt()
        if index == signal_at:
            os.kill(os.getpid(), signal.SIGINT)
        real(source, destination)

    monkeypatch.setattr(fsio, "_move", move)
    return calls


def _interrupt_after_first_move(monkeypatch: pytest.MonkeyPatch) -> None:
    _interrupt_moves(monkeypatch, 1)


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


# A --force run over a previous set: 4 renames park the old files, 4 move the new ones in; a
# rollback then moves the parked ones back.
COMMIT_MOVES = 2 * len(NAMES)
SAYS_UNCHANGED = "chưa ghi tệp báo cáo nào"
SAYS_MIXED = "bị dừng khi đang đặt lại các tệp báo cáo cũ"


@pytest.mark.parametrize("step", range(COMMIT_MOVES))
def test_ctrl_c_at_any_rename_leaves_the_previous_set(
    old_set: Path, example_copy: Path, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    before = _state(old_set)
    _interrupt_moves(monkeypatch, step)
    result = invoke(_args(example_copy, old_set, "2025-02-20", "--force"), exit_code=130)
    assert _state(old_set) == before
    assert SAYS_UNCHANGED in result.stderr and SAYS_MIXED not in result.stderr


def _stopped_twice(
    monkeypatch: pytest.MonkeyPatch, example_copy: Path, old_set: Path, step: int, second: str
) -> str:
    """A --force run cut at rename ``step``, then again in its rollback (at the ``second`` of the
    rollback's renames, which come right after the failed one); returns its stderr."""
    parked = min(step, len(NAMES))  # the rollback moves back as many old files as were parked
    undo = step + 1 + (0 if second == "first" else parked - 1)
    _interrupt_moves(monkeypatch, step, undo)
    result = invoke(_args(example_copy, old_set, "2025-02-20", "--force"), exit_code=130)
    monkeypatch.undo()
    return result.stderr


@pytest.mark.parametrize("second", ["first", "last"])
@pytest.mark.parametrize("step", range(1, COMMIT_MOVES))
def test_a_second_ctrl_c_during_the_rollback(
    old_set: Path, example_copy: Path, monkeypatch: pytest.MonkeyPatch, step: int, second: str
) -> None:
    before = _state(old_set)
    stderr = _stopped_twice(monkeypatch, example_copy, old_set, step, second)
    assert SAYS_MIXED in stderr and SAYS_UNCHANGED not in stderr
    assert any(name.startswith(".chibo4tot-set.") for name in _state(old_set))  # the journal, kept
    # What the next run does first, under the folder's lock: put the previous set back, whole,
    # although the cut rollback had already put some of it back (the journal is read again).
    fsio._recover(old_set, NAMES)
    assert _state(old_set) == before
    # A --force run after such a stop: recovers, then writes the whole new set.
    _stopped_twice(monkeypatch, example_copy, old_set, step, second)
    invoke(_args(example_copy, old_set, "2025-02-22", "--force"))
    assert sorted(p.name for p in old_set.iterdir()) == sorted(NAMES)
    md = (old_set / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    assert "ngày 22 tháng 02 năm 2025" in md


@pytest.mark.parametrize("second", ["first", "last"])
@pytest.mark.parametrize("step", range(1, COMMIT_MOVES))
def test_a_rollback_cut_short_and_recovered_twice_keeps_every_old_file(
    old_set: Path, example_copy: Path, monkeypatch: pytest.MonkeyPatch, step: int, second: str
) -> None:
    # What used to happen: the recovery itself was cut short, and the next recovery took "the old
    # file is no longer parked" for "there was no old file" and deleted the one it had put back.
    before = _state(old_set)
    _stopped_twice(monkeypatch, example_copy, old_set, step, second)
    _interrupt_moves(monkeypatch, 0)  # the next run's recovery: cut at its first rename
    stage = next(old_set.glob(".chibo4tot-set.*.tmp"))
    with pytest.raises(KeyboardInterrupt):
        fsio._recover(old_set, NAMES)
    assert stage.exists()  # its journal is still there for the next recovery
    monkeypatch.undo()
    fsio._recover(old_set, NAMES)
    assert _state(old_set) == before


def test_a_failed_rollback_after_a_failed_commit_says_the_folder_is_mixed(
    old_set: Path, example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _state(old_set)
    _interrupt_moves(monkeypatch, 5, 6, error=OSError(5, "Input/output error"))
    result = invoke(_args(example_copy, old_set, "2025-02-20", "--force"), exit_code=2)
    assert "các tệp cũ cũng chưa đặt lại được hết" in result.stderr, result.stderr
    monkeypatch.undo()
    fsio._recover(old_set, NAMES)
    assert _state(old_set) == before


@pytest.mark.parametrize("step", [1, 4, 6])
def test_a_real_ctrl_c_while_the_files_move_is_held_until_the_set_stands(
    old_set: Path, example_copy: Path, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    _interrupt_moves(monkeypatch, signal_at=step)
    result = invoke(_args(example_copy, old_set, "2025-02-20", "--force"), exit_code=130)
    assert "đã được ghi đủ 4 tệp trước khi dừng" in result.stderr
    assert sorted(p.name for p in old_set.iterdir()) == sorted(NAMES)  # no stage, no lock left
    md = (old_set / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    assert "ngày 20 tháng 02 năm 2025" in md


def test_a_real_ctrl_c_during_the_rollback_is_held_until_it_is_done(
    old_set: Path, example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _state(old_set)
    _interrupt_moves(monkeypatch, 6, signal_at=7)  # cut after 4 parked, 2 moved in; SIGINT at the first undo
    result = invoke(_args(example_copy, old_set, "2025-02-20", "--force"), exit_code=130)
    assert _state(old_set) == before
    assert SAYS_UNCHANGED in result.stderr and SAYS_MIXED not in result.stderr


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
