"""Writing files: always atomically (temp file in the same folder, then rename)."""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from chibo4tot.errors import UsageError
from chibo4tot.i18n import _


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: Path, text: str, *, overwrite: bool = True) -> Path:
    """Write ``text`` as UTF-8 (LF line ends) so a reader never sees half a file."""
    return write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite)


def os_error_reason(exc: OSError) -> str:
    """Why a file could not be read or written, in Vietnamese: the system's own text is English."""
    if isinstance(exc, FileNotFoundError):
        return _("không có tệp hoặc thư mục này")
    if isinstance(exc, PermissionError):
        return _("không có quyền truy cập")
    if isinstance(exc, IsADirectoryError):
        return _("đây là một thư mục, không phải tệp")
    if isinstance(exc, NotADirectoryError | FileExistsError):
        return _("một phần của đường dẫn là tệp, không phải thư mục")
    if exc.errno == errno.ENOSPC:
        return _("ổ đĩa đã đầy")
    code = errno.errorcode.get(exc.errno or 0, "")
    return _("lỗi hệ thống {code}").format(code=code).rstrip()


def write_bytes_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` so a reader never sees half a file; refuse to clobber unless ``overwrite``."""
    try:
        return _write(path, data, overwrite=overwrite)
    except OSError as exc:  # named by the file asked for, not by a temporary one
        raise UsageError(
            _("không ghi được tệp {path}: {reason}").format(path=path, reason=os_error_reason(exc))
        ) from None


def _write(path: Path, data: bytes, *, overwrite: bool) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        # mkstemp creates the file private (0600); a report or record is an ordinary file.
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise UsageError(_("tệp {path} đã có; không ghi đè").format(path=path)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path


# --- reading ----------------------------------------------------------------------------------
# A path named in a workspace may be a FIFO (open() waits forever for a writer), a device
# (/dev/zero never ends) or a socket. Only regular files are read, their size is checked from
# os.stat before a byte is read, and the open itself never blocks.


class ReadRefused(Exception):
    """A file that is not read; ``message`` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("không đọc được tệp: {error}").format(error=_("đây là một thư mục, không phải tệp"))
    if stat.S_ISFIFO(mode):
        return _("đây là một ống dẫn (FIFO), không phải tệp thường; tệp bị bỏ qua")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("đây là một thiết bị, không phải tệp thường; tệp bị bỏ qua")
    if stat.S_ISSOCK(mode):
        return _("đây là một socket, không phải tệp thường; tệp bị bỏ qua")
    return _("đây không phải tệp thường; tệp bị bỏ qua")


def _vn_int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _check_regular(st: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise ReadRefused(_kind(st.st_mode))
    if st.st_size > limit:
        raise ReadRefused(
            _("tệp quá lớn ({size} byte, tối đa {limit} byte)").format(
                size=_vn_int(st.st_size), limit=_vn_int(limit)
            )
        )


def _loop_or_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return _("liên kết tượng trưng (symlink) tạo thành vòng lặp, không trỏ tới tệp nào")
    return _("không đọc được tệp: {error}").format(error=os_error_reason(exc))


def read_regular_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ReadRefused for anything else."""
    try:
        _check_regular(os.stat(path), limit)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ReadRefused(_loop_or_reason(exc)) from None
    try:
        # The path may have been swapped between stat and open: judge what was opened.
        _check_regular(os.fstat(fd), limit)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise ReadRefused(_loop_or_reason(exc)) from None
    finally:
        os.close(fd)
    if total > limit:  # it grew while being read
        raise ReadRefused(
            _("tệp quá lớn ({size} byte, tối đa {limit} byte)").format(
                size=_vn_int(total), limit=_vn_int(limit)
            )
        )
    return b"".join(chunks)


def outside_reason(path: Path, folder: Path) -> str | None:
    """Why ``path`` must not be read as part of ``folder``: a symlink loop, a dangling link, or a
    real path outside the folder (a link to /etc/passwd or to another person's files). None: fine."""
    try:
        real = Path(os.path.realpath(path, strict=True))
        base = Path(os.path.realpath(folder))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _("liên kết tượng trưng (symlink) tạo thành vòng lặp, không trỏ tới tệp nào")
        if isinstance(exc, FileNotFoundError) and os.path.islink(path):
            return _("liên kết tượng trưng (symlink) trỏ tới tệp không có")
        return _("không đọc được tệp: {error}").format(error=os_error_reason(exc))
    if real != base and base not in real.parents:
        return _(
            "liên kết tượng trưng (symlink) trỏ ra ngoài thư mục “{folder}” (tới {target}); "
            "liên kết này bị bỏ qua"
        ).format(folder=folder, target=real)
    return None


# --- write targets ----------------------------------------------------------------------------
# Rendering a report takes a while; a target that cannot be written must stop the command
# before that, with a usage error, not after it (or as an internal error).


def check_write_targets(folder: Path, names: list[str]) -> None:
    """UsageError unless files ``names`` can be written into ``folder`` (created if missing)."""
    existing = folder
    while not existing.exists():
        if existing.is_symlink():
            raise UsageError(
                _("không ghi được vào {path}: {link} là liên kết tượng trưng trỏ tới chỗ không có").format(
                    path=folder, link=existing
                )
            )
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        if existing == folder:
            raise UsageError(
                _("không ghi được vào {path}: đây là một tệp, không phải thư mục").format(path=folder)
            )
        raise UsageError(
            _("không ghi được vào {path}: {file} là một tệp, không phải thư mục").format(
                path=folder, file=existing
            )
        )
    if not _can_create_in(existing):
        raise UsageError(_("không ghi được vào thư mục {path}: không có quyền ghi").format(path=existing))
    for name in names:
        target = folder / name
        if target.is_dir():
            raise UsageError(
                _("không ghi được tệp {path}: đây là một thư mục, không phải tệp").format(path=target)
            )


def _can_create_in(folder: Path) -> bool:
    """Whether a file can be created in ``folder``: os.access answers yes for root even in an
    immutable folder or on a read-only mount, so a probe file is created and removed."""
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    try:
        fd, name = tempfile.mkstemp(prefix=".chibo4tot-", suffix=".probe", dir=folder)
    except OSError:
        return False
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(name)
    return True


# A set of files (one report: workbook, Markdown, two Word files) must never be seen half old,
# half new. POSIX has no rename of several files at once, so the set is staged in a hidden folder
# beside the target and moved in with the previous files parked in that folder; an exception
# (Ctrl-C included) puts the previous files back. A run killed outright (SIGKILL, power cut)
# leaves the staging folder behind with a journal, and the next run rolls it back the same way.
# Only one run may write into a folder at a time: it holds LOCK_NAME, which names its pid.
LOCK_NAME = ".chibo4tot.lock"
_STAGE_PREFIX = ".chibo4tot-set."
_STAGE_SUFFIX = ".tmp"
_JOURNAL = "journal"  # written once the whole set is staged: from then on a rollback is needed
_PARKED = "old"
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


def write_set_atomic(target: Path, files: list[tuple[str, bytes]], *, overwrite: bool) -> list[Path]:
    """Write ``files`` (name, data) into ``target`` as one: afterwards the folder holds either the
    whole new set or, if anything failed or was interrupted, exactly what it held before."""
    try:
        target.mkdir(parents=True, exist_ok=True)
        with _folder_lock(target):
            _recover(target, [name for name, _data in files])
            # Checked again here, under the lock: another run may have written since the
            # caller's own check, which it made before rendering.
            existing = [target / name for name, _data in files if (target / name).exists()]
            if existing and not overwrite:
                raise ExistingFiles(existing)
            stage = Path(tempfile.mkdtemp(prefix=_STAGE_PREFIX, suffix=_STAGE_SUFFIX, dir=target))
            try:
                for name, data in files:
                    _stage_file(stage / name, data)
                (stage / _PARKED).mkdir()
                _stage_file(stage / _JOURNAL, "\n".join(name for name, _data in files).encode("utf-8"))
                _commit(target, stage, [name for name, _data in files])
            except BaseException:
                _rollback(target, stage)
                raise
            written = [target / name for name, _data in files]
            try:
                _fsync_dir(target)
                _discard(stage)
            except KeyboardInterrupt:  # the set already stands: say so, the next run tidies up
                raise WrittenThenInterrupted(written) from None
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


def _stage_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        os.chmod(path, 0o666 & ~_umask())
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
    """Undo a commit that did not finish; a stage without a journal had not started one."""
    if (stage / _JOURNAL).exists():
        for name in (stage / _JOURNAL).read_text(encoding="utf-8").splitlines():
            parked = stage / _PARKED / name
            if os.path.lexists(parked):
                os.replace(parked, target / name)
            elif not (stage / name).exists():  # moved in, and nothing was there before it
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
