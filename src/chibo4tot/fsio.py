"""Writing files: always atomically (temp file in the same folder, then rename)."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
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
