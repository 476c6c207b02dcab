"""The year-end report as Markdown: a Jinja2 template (packaged, or the workspace's own) run in a sandbox."""

from __future__ import annotations

import contextvars
import ctypes
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterable
from itertools import zip_longest
from pathlib import Path
from typing import Any, cast

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
)
from jinja2.loaders import split_template_path

from chibo4tot.errors import ChiboError, Problem
from chibo4tot.formatting import rate, visible_controls, vn_number, vn_percent
from chibo4tot.fsio import ReadRefused, outside_reason, read_regular_bytes
from chibo4tot.i18n import _
from chibo4tot.report.context import ReportContext
from chibo4tot.report.sandbox import Sandbox
from chibo4tot.report.seal import markdown_seal
from chibo4tot.report.template_errors import (
    TemplateOverMemory,
    TemplateOvertime,
    TemplateTooLong,
    describe_failure,
    shown,
    user_frame,
)
from chibo4tot.report.text import build_report_text
from chibo4tot.report.text_lists import Table

TEMPLATE = "bao-cao.md.j2"
PACKAGED_PREFIX = "chibo4tot"  # a workspace template may {% extends "chibo4tot/bao-cao.md.j2" %}
# A workspace template is user code: it gets a time budget and an output cap, so a runaway loop
# ends with a message instead of hanging the command or filling the disk.
RENDER_SECONDS = 20.0
MAX_OUTPUT_CHARS = 5_000_000
RENDER_MEMORY_BYTES = 1 << 30  # growth of the process while the template runs
MAX_TEMPLATE_BYTES = 1024 * 1024


class TemplateProblem(ChiboError):
    """A report template that cannot be rendered; the message is Vietnamese and names the file."""


class TemplateRefused(Exception):
    """A workspace template file that is not read (a link out of the folder, not a regular file)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


class _FolderLoader(BaseLoader):
    """Templates of one folder only. Jinja's FileSystemLoader follows symlinks anywhere (a
    ``templates/`` entry linked to /etc/passwd would be copied into the report) and opens FIFOs
    and devices; here a file is read only if its real path is inside the folder and it is a
    regular file of bounded size."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))  # refuses ".." itself
        if not os.path.lexists(path):
            raise TemplateNotFound(template)
        if (reason := outside_reason(path, self.folder)) is not None:
            raise TemplateRefused(path, reason)
        try:
            source = read_regular_bytes(path, MAX_TEMPLATE_BYTES).decode("utf-8")
        except ReadRefused as exc:
            raise TemplateRefused(path, exc.message) from None
        except UnicodeDecodeError:
            raise TemplateRefused(
                path, _("tệp không phải mã UTF-8; hãy lưu lại tệp với bảng mã UTF-8")
            ) from None
        return source, str(path), lambda: False


class MdText(str):
    """Text that is already Markdown: printed as is, never escaped again."""

    __slots__ = ()


_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_START = re.compile(r"^(\d*)([#+=.)-])")  # headings, lists, setext underlines
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def md_escape(value: object) -> MdText:
    """User text as literal Markdown: inline markup, HTML, table pipes and block starters are escaped.

    Newlines become spaces so that one value can never end a table row or start a new block;
    other control characters become visible stand-ins (``formatting.CONTROLS``).
    """
    if isinstance(value, MdText):
        return value
    # Leading spaces would make an indented code block.
    text = _NEWLINES.sub(" ", "" if value is None else str(value)).replace("\t", " ").lstrip(" ")
    text = visible_controls(text)
    text = _SPECIAL.sub(r"\\\1", text)
    return MdText(_LINE_START.sub(r"\1\\\2", text, count=1))


def md_bold(value: object) -> MdText:
    text = md_escape(value)
    return MdText(f"**{text}**") if text else text


def md_italic(value: object) -> MdText:
    text = md_escape(value)
    return MdText(f"*{text}*") if text else text


_ALIGN = {"l": ":---", "c": ":---:", "r": "---:"}


def _table(table: Table, align: str = "") -> MdText:
    """A pipe table; ``align`` has one letter per column (l, c, r); a footer row is set in bold."""
    cols = len(table.columns)
    marks = [_ALIGN.get(a, "---") for a in align.ljust(cols, "l")[:cols]]
    lines = [
        "| " + " | ".join(md_escape(c) for c in table.columns) + " |",
        "|" + "|".join(marks) + "|",
    ]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in table.rows]
    if table.footer is not None:
        lines.append("| " + " | ".join(md_bold(c) for c in table.footer) + " |")
    return MdText("\n".join(lines))


def _pairs(left: Iterable[Any], right: Iterable[Any]) -> list[tuple[Any, Any]]:
    """Two columns side by side, the shorter one padded with blanks."""
    return list(zip_longest(left, right, fillvalue=""))


def _environment(templates_dir: Path | None) -> Sandbox:
    packaged = PackageLoader("chibo4tot.report", "templates")
    loaders: list[Any] = []
    if templates_dir is not None:
        loaders.append(_FolderLoader(templates_dir))
    loaders += [PrefixLoader({PACKAGED_PREFIX: packaged}), packaged]
    env = Sandbox(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        # Every {{ value }} is escaped unless a filter already made it Markdown: a template cannot
        # forget to escape user text.
        finalize=md_escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md_escape, bold=md_bold, italic=md_italic, table=_table, number=vn_number, percent=vn_percent
    )
    env.globals.update(pairs=_pairs, rate=rate)
    return env


def _user_template(templates_dir: Path | None) -> Path | None:
    if templates_dir is None:
        return None
    path = templates_dir / TEMPLATE
    return path if path.is_file() else None


def render_markdown(ctx: ReportContext, templates_dir: Path | None = None) -> str:
    """The year-end report in Markdown. ``templates_dir`` (e.g. ``<workspace>/templates``) may hold
    a ``bao-cao.md.j2`` that replaces the packaged one; it runs sandboxed with strict undefined names.

    Raises TemplateProblem when the template cannot be read or rendered.
    """
    own = _user_template(templates_dir)
    data = {
        "report": build_report_text(ctx),  # the wording, shared with the Word report
        "ctx": ctx,
        "config": ctx.config,
        "results": ctx.results,
        "year": ctx.year,
        "as_of": ctx.results.as_of,
        "date": ctx.date,
    }
    root = templates_dir.parent if templates_dir is not None else None  # the workspace
    # The folder itself may be a link; it must stay inside the workspace that holds it.
    if (
        templates_dir is not None
        and templates_dir.is_symlink()
        and (reason := outside_reason(templates_dir, templates_dir.parent)) is not None
    ):
        message = _("Không dùng được mẫu báo cáo trong {path}: {reason}").format(
            path=shown(templates_dir, root), reason=reason
        )
        raise _problem(message, templates_dir)
    try:
        text = _run_limited(lambda: _render(templates_dir, data), RENDER_SECONDS, RENDER_MEMORY_BYTES)
    except TemplateRefused as exc:
        message = _("Không dùng được mẫu báo cáo {path}: {reason}").format(
            path=shown(exc.path, root), reason=exc.reason
        )
        if own is not None and (frame := user_frame(exc, own.parent.resolve())) is not None:
            message += _(" (gọi từ {path} dòng {line})").format(path=shown(frame[0], root), line=frame[1])
        raise _problem(message, exc.path) from exc
    except Exception as exc:
        if own is None and isinstance(exc, TemplateNotFound):  # the packaged template is incomplete
            raise _problem(_("Không tìm thấy mẫu báo cáo {name}.").format(name=exc.name), None) from exc
        if own is None and not isinstance(exc, TemplateOvertime | TemplateTooLong | TemplateOverMemory):
            raise  # a bug in the packaged template, not the user's doing
        message, path, line = describe_failure(
            exc,
            own or Path(TEMPLATE),
            root=root,
            seconds=RENDER_SECONDS,
            max_chars=MAX_OUTPUT_CHARS,
            memory=RENDER_MEMORY_BYTES,
        )
        raise _problem(message, path, line) from exc
    text = text.rstrip("\n") + "\n"
    # After the template, whatever it is: a workspace's own template cannot leave the fingerprint out.
    return text + "\n" + markdown_seal(ctx.seal) if ctx.seal is not None else text


def _render(templates_dir: Path | None, data: dict[str, Any]) -> str:
    """Render piece by piece, so that the output cap stops a template while it still runs: the
    exception is thrown in at the template's current line, and Jinja reports that line."""
    pieces = cast(
        Generator[str, None, None], _environment(templates_dir).get_template(TEMPLATE).generate(data)
    )
    out: list[str] = []
    size = 0
    for piece in pieces:
        size += len(piece)
        out.append(piece)
        if size > MAX_OUTPUT_CHARS:
            pieces.throw(TemplateTooLong())
    return "".join(out)


def _peak_memory() -> int | None:
    """The process's peak resident memory in bytes; None where it cannot be read (Windows)."""
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak) if sys.platform == "darwin" else int(peak) * 1024  # bytes there, KiB on Linux


def _run_limited(job: Callable[[], str], seconds: float, memory: int | None = None) -> str:
    """``job()`` in a worker thread, stopped by an asynchronous TemplateOvertime after ``seconds``
    (or TemplateOverMemory once the process has grown by ``memory`` bytes, where that is known).

    Jinja has no hook on every loop step (an empty nested ``{% for %}`` runs no callback at all),
    so the budget is enforced from outside: CPython raises the exception in the worker at its
    next bytecode, inside the template's frame, and Jinja reports the line as for any error.
    A single C-level operation cannot be cut short this way (nor by Ctrl-C: it holds the GIL),
    which is why the sandbox (``sandbox.py``) bounds every such operation before it starts; the
    memory watch catches what many bounded steps keep (a loop that collects big strings). A
    child process with a hard kill would also stop those, but Windows has no fork: the report
    context would have to be pickled to a freshly started interpreter for every report.
    """
    memory = RENDER_MEMORY_BYTES if memory is None else memory
    result: list[str] = []
    failure: list[BaseException] = []
    context = contextvars.copy_context()

    def work() -> None:
        try:
            try:
                result.append(context.run(job))
            except BaseException as exc:  # handed to the caller's thread as is
                failure.append(exc)
        except (TemplateOvertime, TemplateOverMemory):  # it arrived just after the job had finished
            pass

    worker = threading.Thread(target=work, name="chibo4tot-template", daemon=True)
    worker.start()
    deadline = time.monotonic() + seconds
    start_peak = _peak_memory()
    stop: type[Exception] | None = None
    while stop is None:
        worker.join(min(0.05, max(deadline - time.monotonic(), 0.0)))
        if not worker.is_alive():
            break
        peak = _peak_memory()
        if start_peak is not None and peak is not None and peak - start_peak > memory:
            stop = TemplateOverMemory
        elif time.monotonic() >= deadline:
            stop = TemplateOvertime
    if stop is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident or 0), ctypes.py_object(stop))
        worker.join(5.0)
        if worker.is_alive():  # stuck inside one C call: leave the daemon thread, report anyway
            raise stop
    if failure:
        raise failure[0]
    if not result:
        raise stop or TemplateOvertime
    return result[0]


def _problem(message: str, path: Path | None, line: int | None = None) -> TemplateProblem:
    return TemplateProblem(message, [Problem(path, message, line=line)])
