"""Printing for the command line: problems in ``path:line:col: lỗi: …`` form, to stderr.

The one place where text from the user's files is made safe to show in a terminal: every line
that carries such text (problem lines, score cells, explain lines, criteria list/show/diff) goes
through :func:`safe_text`, and every rich console that prints it comes from :func:`text_console`,
so that "[red]" or ":smile:" in a name is shown as typed, never taken as a style or an emoji.
"""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from chibo4tot.errors import Problem, Severity
from chibo4tot.formatting import CONTROLS, visible_controls
from chibo4tot.i18n import _

if TYPE_CHECKING:
    from rich.console import Console


def safe_text(text: str) -> str:
    """Text from a file as a terminal may show it: controls replaced by visible stand-ins
    (``formatting.CONTROLS``: ESC would drive the terminal, U+202E show a name backwards)."""
    return visible_controls(text)


def safe_json(text: str) -> str:
    """JSON for a terminal: what ``json.dumps`` leaves raw (DEL, C1 and bidi controls) written as
    ``\\uXXXX`` escapes, which any JSON reader turns back into the same characters."""
    return CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@functools.cache
def _console_class() -> type[Console]:
    """rich's console, imported when a command prints a table: problems and JSON need none."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich's own answer is SystemExit(1), which would say "input problems"; the funnel
            # (cli/app.py) turns a closed pipe into 141, like every other path that writes stdout.
            self.quiet = True
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    return _Console


def text_console(**options: Any) -> Console:
    """A rich console for the user's text: no markup ("[red]"), no emoji codes (":smile:")."""
    return _console_class()(markup=False, emoji=False, **options)


def show_path(path: Path | None) -> str:
    if path is None:
        return "chibo4tot"
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def format_problem(problem: Problem) -> str:
    where = show_path(problem.path)
    if problem.line is not None:
        where += f":{problem.line}:{problem.col or 1}"
    label = _("lỗi") if problem.severity is Severity.ERROR else _("cảnh báo")
    inner = problem.place()
    return (
        f"{where}: {label}: {inner}: {problem.message}" if inner else f"{where}: {label}: {problem.message}"
    )


def print_problems(problems: Iterable[Problem]) -> tuple[int, int, int]:
    """Print every problem; returns (errors, warnings, files)."""
    errors = warnings = 0
    files: set[str] = set()
    for problem in sorted(set(problems), key=Problem.sort_key):  # one rule seen twice: once
        typer.echo(safe_text(format_problem(problem)), err=True)
        files.add(str(problem.path))
        if problem.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings, len(files)


def print_count(errors: int, warnings: int, files: int) -> None:
    if errors or warnings:
        typer.echo(
            _("Tìm thấy {errors} lỗi và {warnings} cảnh báo trong {files} tệp.").format(
                errors=errors, warnings=warnings, files=files
            ),
            err=True,
        )
