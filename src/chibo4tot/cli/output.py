"""Printing for the command line: problems in ``path:line:col: lỗi: …`` form, to stderr."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import typer

from chibo4tot.errors import Problem, Severity, render_loc
from chibo4tot.i18n import _


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
    inner = render_loc(tuple(p for p in problem.loc if p != "[key]"))
    return (
        f"{where}: {label}: {inner}: {problem.message}" if inner else f"{where}: {label}: {problem.message}"
    )


def print_problems(problems: Iterable[Problem]) -> tuple[int, int, int]:
    """Print every problem; returns (errors, warnings, files)."""
    errors = warnings = 0
    files: set[str] = set()
    for problem in sorted(set(problems), key=Problem.sort_key):  # one rule seen twice: once
        typer.echo(format_problem(problem), err=True)
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
