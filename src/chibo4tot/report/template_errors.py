"""Why a workspace's report template failed: in Vietnamese, at its file and line, never in Jinja's words.

Jinja's messages are English and change between releases; the line is not. Jinja rewrites the
traceback of a rendering error so that its frames carry the template's file name and line number,
which is what the person who wrote the template needs to find the mistake.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from chibo4tot.i18n import _
from chibo4tot.report.sandbox import TemplateLimit

EXCERPT = 80


class TemplateOvertime(Exception):
    """Raised inside the rendering thread when a template runs past its time budget."""


class TemplateOverMemory(Exception):
    """Raised inside the rendering thread when the process grows past the template's memory budget."""


class TemplateTooLong(Exception):
    """Thrown into a template's generator when its output passes the size cap."""


def shown(path: Path, root: Path | None) -> str:
    """A template's path as a message shows it: relative to the workspace (DESIGN §6)."""
    if root is not None:
        try:
            return Path(path).relative_to(root).as_posix()
        except ValueError:
            pass
    return Path(path).name


def user_frame(exc: BaseException, folder: Path) -> tuple[Path, int] | None:
    """The innermost frame of the traceback that is a line of one of the workspace's templates."""
    found: tuple[Path, int] | None = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        file = Path(frame.f_code.co_filename)
        if folder in file.resolve().parents:
            found = (file, line)
    return found


def _excerpt(path: Path, line: int, source: str | None = None) -> str:
    if source is None:
        try:
            source = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
    lines = source.splitlines()
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def describe_failure(
    exc: Exception,
    own: Path,
    *,
    root: Path | None = None,
    seconds: float = 0.0,
    max_chars: int = 0,
    memory: int = 0,
) -> tuple[str, Path, int | None]:
    """(message, file, line) for a failure of the workspace template ``own`` or one it includes;
    paths in the message are shown relative to ``root`` (the workspace). ``seconds``,
    ``max_chars`` and ``memory`` are the limits a TemplateOvertime, TemplateTooLong or
    TemplateOverMemory passed."""
    if isinstance(exc, TemplateSyntaxError):
        path = Path(exc.filename) if exc.filename else own
        detail = _excerpt(path, exc.lineno, exc.source)
        message = _("Mẫu báo cáo {path} sai cú pháp ở dòng {line}: {detail}").format(
            path=shown(path, root), line=exc.lineno, detail=detail
        )
        return message, path, exc.lineno
    frame = user_frame(exc, own.parent.resolve())
    path, line = frame if frame is not None else (own, None)
    if line is None:
        detail = _("không rõ dòng nào")
    else:
        detail = _("dòng {line}: {source}").format(line=line, source=_excerpt(path, line))
    if isinstance(exc, TemplateNotFound):  # {% include %} or {% extends %} of a file not there
        message = _("Mẫu báo cáo {path} gọi tới mẫu không có “{name}”: {detail}").format(
            path="{path}", name=exc.name, detail="{detail}"
        )
    elif isinstance(exc, TemplateOvertime):
        message = _(
            "Mẫu báo cáo {path} chạy quá {seconds} giây nên đã bị dừng (vòng lặp quá lớn?): {detail}"
        ).format(path="{path}", seconds=f"{seconds:g}".replace(".", ","), detail="{detail}")
    elif isinstance(exc, TemplateOverMemory):
        message = _(
            "Mẫu báo cáo {path} dùng thêm quá {limit} MB bộ nhớ nên đã bị dừng "
            "(vòng lặp giữ lại quá nhiều dữ liệu?): {detail}"
        ).format(path="{path}", limit=f"{memory >> 20:,}".replace(",", "."), detail="{detail}")
    elif isinstance(exc, TemplateTooLong):
        message = _(
            "Mẫu báo cáo {path} tạo ra quá {limit} ký tự nên đã bị dừng (vòng lặp quá lớn?): {detail}"
        ).format(path="{path}", limit=f"{max_chars:,}".replace(",", "."), detail="{detail}")
    elif isinstance(exc, TemplateLimit):
        message = _("Mẫu báo cáo {path} vượt giới hạn an toàn: {reason}: {detail}").format(
            path="{path}", reason=exc.reason, detail="{detail}"
        )
    elif isinstance(exc, SecurityError):
        message = _("Mẫu báo cáo {path} dùng thao tác không được phép: {detail}")
    elif isinstance(exc, UndefinedError):
        message = _("Mẫu báo cáo {path} dùng tên không có trong dữ liệu báo cáo: {detail}")
    else:  # a user's template is user code: whatever it raises becomes a message
        message = _("Mẫu báo cáo {path} gặp lỗi khi tạo báo cáo: {detail}")
    return message.format(path=shown(path, root), detail=detail), path, line
