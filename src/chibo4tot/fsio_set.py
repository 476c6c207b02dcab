"""Writing a report's files as one set: staged beside the target, moved in under a folder lock."""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from chibo4tot.errors import UsageError
from chibo4tot.fsio import current_umask, os_error_reason
from chibo4tot.i18n import _

# A set of files (one report: workbook, Markdown, two Word files) must never be seen half old,
# half new. POSIX has no rename of several files at once, so the set is staged in a hidden folder
# beside the target and moved in with the previous files parked in that folder; an exception
# puts the previous files back. Ctrl-C is held while the files move (and while they move back):
# a few renames take no time, and an interrupt in their middle is what would mix the set. A run
# killed outright (SIGKILL, power cut), or whose putting back failed, leaves the staging folder
# behind with its journal, and the next run rolls it back the same way. The journal says, for each
# name, whether a previous file was parked, so that rolling back twice is the same as once.
# Only one run may write into a folder at a time: it holds LOCK_NAME, which names its pid.
LOCK_NAME = ".chibo4tot.lock"
_STAGE_PREFIX = ".chibo4tot-set."
_STAGE_SUFFIX = ".tmp"
_JOURNAL = "journal"  # written once the whole set is staged: from then on a rollback is needed
_PARKED = "old"
_HAD_OLD, _NO_OLD = "parked", "added"  # the journal's word for each name, after a tab
_LOCK_FILL_SECONDS = 10  # a lock file without a pid younger than this is being written


class ExistingFiles(Exception):
    """Files of the set are already there and overwriting was not asked for."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(", ".join(str(p) for p in paths))
        self.paths = paths


class WrittenThenInterrupted(KeyboardInterrupt):
    """Ctrl-C came after the set was complete: it is written, only the tidying was cut short."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__()
        self.paths = paths


class SetLeftMixed(KeyboardInterrupt):
    """Interrupted while moving the set in, and putting the previous files back did not finish:
    until the next run restores them from the journal kept in the staging folder, the folder
    holds some of each. (Ctrl-C is held during both; this is a Ctrl-C outside the main thread,
    or a failure of the putting back itself.)"""


def write_set_atomic(target: Path, files: list[tuple[str, bytes]], *, overwrite: bool) -> list[Path]:
    """Write ``files`` (name, data) into ``target`` as one: afterwards the folder holds either the
    whole new set or, if anything failed or was interrupted, exactly what it held before."""
    try:
        target.mkdir(parents=True, exist_ok=True)
        names = [name for name, _data in files]
        with _folder_lock(target):
            with _interrupts_held() as held:
                _recover(target, names)
            if held:  # the folder is as a finished rollback leaves it: the previous set
                raise KeyboardInterrupt
            # Checked again here, under the lock: another run may have written since the
            # caller's own check, which it made before rendering.
            existing = [target / name for name in names if (target / name).exists()]
            if existing and not overwrite:
                raise ExistingFiles(existing)
            stage = Path(tempfile.mkdtemp(prefix=_STAGE_PREFIX, suffix=_STAGE_SUFFIX, dir=target))
            try:
                for name, data in files:
                    _stage_file(stage / name, data)
                (stage / _PARKED).mkdir()
                journal = [f"{n}\t{_HAD_OLD if os.path.lexists(target / n) else _NO_OLD}" for n in names]
                _stage_file(stage / _JOURNAL, "\n".join(journal).encode("utf-8"))
            except BaseException:
                _discard(stage)  # no journal yet: nothing had moved
                raise
            written = [target / name for name in names]
            with _interrupts_held() as held:
                try:
                    _commit(target, stage, names)
                except BaseException as exc:
                    try:
                        _rollback(target, stage)
                    except BaseException as undo:
                        if held or isinstance(exc, KeyboardInterrupt) or isinstance(undo, KeyboardInterrupt):
                            raise SetLeftMixed from exc
                        raise UsageError(_left_mixed(target, exc)) from exc
                    raise
                try:
                    _fsync_dir(target)
                    _discard(stage)
                except KeyboardInterrupt:  # the set already stands: say so, the next run tidies up
                    raise WrittenThenInterrupted(written) from None
            if held:  # Ctrl-C while the files moved: held until the set stood whole
                raise WrittenThenInterrupted(written)
    except OSError as exc:  # named by the file asked for, not by its staged copy
        where = Path(exc.filename) if isinstance(exc.filename, str) else target
        if where.parent.name.startswith(_STAGE_PREFIX):
            where = target / where.name
        elif where.name == LOCK_NAME:  # our own bookkeeping: the folder is what was refused
            where = target
        raise UsageError(
            _("không ghi được tệp {path}: {reason}").format(path=where, reason=os_error_reason(exc))
        ) from None
    return written


def _left_mixed(target: Path, exc: BaseException) -> str:
    reason = os_error_reason(exc) if isinstance(exc, OSError) else str(exc) or type(exc).__name__
    return _(
        "không ghi được các tệp vào {folder}: {reason}; các tệp cũ cũng chưa đặt lại được hết, nên "
        "thư mục đang có cả tệp cũ lẫn tệp mới cho đến lần ghi tiếp theo vào đó (lần ghi ấy sẽ khôi "
        "phục các tệp cũ trước tiên)"
    ).format(folder=target, reason=reason)


def _stage_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        os.chmod(path, 0o666 & ~current_umask())
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _move(source: Path, destination: Path) -> None:
    """One rename; a name of its own so that tests can interrupt the set between two files."""
    os.replace(source, destination)


def _commit(target: Path, stage: Path, names: list[str]) -> None:
    _fsync_dir(stage)  # the journal must be on disk before the first file is moved
    for name in names:  # park every previous file first: a rollback then only moves files back
        if os.path.lexists(target / name):  # a dangling symlink is parked and restored too
            _move(target / name, stage / _PARKED / name)
    for name in names:
        _move(stage / name, target / name)
    (stage / _JOURNAL).unlink()  # the commit point: from here the new set stands


def _rollback(target: Path, stage: Path) -> None:
    """Undo a commit that did not finish; a stage without a journal had not started one.

    Safe to repeat after it was cut short: a name whose previous file is no longer parked has it
    back in place already (or never moved it), and only a name that had none is removed."""
    if (stage / _JOURNAL).exists():
        for line in (stage / _JOURNAL).read_text(encoding="utf-8").splitlines():
            name, _tab, had = line.partition("\t")
            parked = stage / _PARKED / name
            if os.path.lexists(parked):
                _move(parked, target / name)
            elif had == _HAD_OLD:  # put back already, or never parked: the previous file is there
                continue
            elif not os.path.lexists(stage / name):  # moved in, and nothing was there before it
                # (A journal of an older version, without the tab, could not tell a previous file
                # already put back from none; it was only ever rolled back once.)
                with contextlib.suppress(FileNotFoundError):
                    (target / name).unlink()
        _fsync_dir(target)
    _discard(stage)


def _recover(target: Path, names: list[str]) -> None:
    """Roll back what a killed run left; called under the lock, so no stage belongs to a live run."""
    for stage in target.glob(f"{_STAGE_PREFIX}*{_STAGE_SUFFIX}"):
        if stage.is_dir() and not stage.is_symlink():
            _rollback(target, stage)
    for name in names:  # single files that write_bytes_atomic, killed, left behind
        for tmp in target.glob(f".{glob.escape(name)}.*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


@contextlib.contextmanager
def _interrupts_held() -> Iterator[list[int]]:
    """Ctrl-C (SIGINT) recorded, not raised, while the body runs; the list says whether it came.
    Only the main thread receives signals: elsewhere the body runs as it is."""
    held: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield held
        return
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: held.append(signum))
    try:
        yield held
    finally:
        # None: a handler installed outside Python, which cannot be put back; Python's own instead.
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)


def _discard(stage: Path) -> None:
    for path in sorted(stage.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
        else:
            path.unlink()
    stage.rmdir()


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder; its renames are journaled by NTFS
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    path = folder / LOCK_NAME
    for _attempt in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = _lock_holder(path)
            if holder is None or _alive(holder):
                raise UsageError(
                    _(
                        "một lần chạy khác (tiến trình {pid}) đang ghi vào {folder}; hãy đợi nó xong "
                        "rồi chạy lại (nếu chắc không còn lần chạy nào, xóa tệp {lock})"
                    ).format(pid=holder if holder is not None else "?", folder=folder, lock=path)
                ) from None
            with contextlib.suppress(FileNotFoundError):  # its holder is gone: a stale lock
                path.unlink()
            continue
        break
    else:
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(f"{os.getpid()}\n")
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _lock_holder(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    try:  # empty or garbled: being filled right now, or its writer died in between
        young = time.time() - path.stat().st_mtime < _LOCK_FILL_SECONDS
    except FileNotFoundError:
        return 0  # released meanwhile: no holder, and pid 0 is never alive for us
    return None if young else 0


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill(pid, 0) would terminate it on Windows: assume it is alive
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True
