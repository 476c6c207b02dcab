"""Files in and out at the edge: atomic writes, reading only regular files inside the workspace."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from chibo4tot.errors import UsageError
from chibo4tot.i18n import _


def current_umask() -> int:
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
        os.chmod(tmp, 0o666 & ~current_umask())
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
        # Shown from the folder, not as a path of this machine (DESIGN §6): "../bi-mat.txt".
        try:
            target = os.path.relpath(real, base)
        except ValueError:  # another drive on Windows: there is no way there from the folder
            target = _("một ổ đĩa khác")
        return _(
            "liên kết tượng trưng (symlink) trỏ ra ngoài thư mục “{folder}” (tới {target}); "
            "liên kết này bị bỏ qua"
        ).format(folder=Path(folder).name, target=target)
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
