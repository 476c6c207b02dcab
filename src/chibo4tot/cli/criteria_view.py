"""``criteria show`` on the terminal and as documents; the lines of ``criteria diff``.

The terminal view wraps every line at the terminal's width (80 columns in a pipe, or ``COLUMNS``)
with a hanging indent, so nothing is cut; it prints plain text, so a framework's "[brackets]" are
never taken as markup. In a framework that extends another, the lines it sets itself are marked.
"""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chibo4tot.cli.output import print_count, print_problems, safe_text, show_path
from chibo4tot.errors import ExitCode, Problem, UsageError
from chibo4tot.fsio import check_write_targets, write_bytes_atomic
from chibo4tot.i18n import _
from chibo4tot.inputs.places import WORKSPACE_FILE

# Frameworks, models and their descriptions are imported where they are used: the command line
# starts light (see chibo4tot.cli).
if TYPE_CHECKING:
    from chibo4tot.inputs.frameworks import LoadedFramework
    from chibo4tot.models.framework import Framework
    from chibo4tot.models.workspace import WorkspaceConfig
    from chibo4tot.results.fwterms import FrameworkTerms
    from chibo4tot.results.fwterms.outline import Line

MARK = "✱"
FORMATS = ("text", "md", "docx")
MIN_WIDTH = 20  # below this a wrapped line would hold a word or two: wrap as if the terminal were wider


def terms_of(
    frameworks: Mapping[str, LoadedFramework], fid: str
) -> tuple[FrameworkTerms, FrameworkTerms | None]:
    """The framework in words, and its parent's (``None`` when it extends nothing)."""
    from chibo4tot.results.fwterms import describe, describe_chain

    plain: dict[str, Framework] = {k: v.framework for k, v in frameworks.items()}
    fw = plain[fid]
    parent = describe_chain(plain, fw.extends) if fw.extends and fw.extends in plain else None
    return describe(fw, parent), parent


def wrap_lines(lines: list[Line], width: int, marks: bool) -> list[str]:
    """Each line wrapped at ``width`` with a hanging indent; ``marks``: a gutter for ✱."""
    out = []
    for line in lines:
        if not line.text:
            out.append("")
            continue
        gutter = (MARK + " " if line.own else "  ") if marks else ""
        indent = "  " * line.depth
        room = max(MIN_WIDTH, width - len(gutter) - len(indent))
        parts = textwrap.wrap(safe_text(line.text), room, subsequent_indent="  ", break_on_hyphens=False)
        out.append(gutter + indent + parts[0])
        out += [" " * len(gutter) + indent + part for part in parts[1:]]
    return out


def print_terms(terms: FrameworkTerms, parent: FrameworkTerms | None) -> None:
    from chibo4tot.results.fwterms import removed_items
    from chibo4tot.results.fwterms.outline import Line, outline

    width = shutil.get_terminal_size().columns
    marks = parent is not None
    intro = [Line(0, _("Khung tiêu chí {id}").format(id=terms.id))]
    if parent is not None:
        chain = " → ".join(reversed(parent.lineage))
        intro = [
            Line(0, _("Khung tiêu chí {id}, kế thừa {chain}").format(id=terms.id, chain=chain)),
            Line(
                0,
                _(
                    "{mark} đánh dấu nội dung riêng của {id} (thêm hoặc sửa); "
                    "dòng không đánh dấu lấy từ khung cấp trên."
                ).format(mark=MARK, id=terms.id),
            ),
        ]
    body = outline(terms, removed_items(terms, parent))
    for text in [*wrap_lines(intro, width, False), "", *wrap_lines(body, width, marks)]:
        typer.echo(text.rstrip())


def parse_format(text: str) -> str:
    fmt = text.strip().lower()
    if fmt not in FORMATS:
        raise UsageError(_("--format chỉ nhận: {formats}").format(formats=", ".join(FORMATS)))
    return fmt


def workspace_config(root: Path | None) -> WorkspaceConfig | None:
    """The workspace's header data for a document; its problems stop the command (exit 1)."""
    if root is None:
        return None
    from chibo4tot.inputs.locate import locate_problems, parse_model
    from chibo4tot.models.workspace import WorkspaceConfig

    problems: list[Problem] = []
    config = parse_model(root / WORKSPACE_FILE, WorkspaceConfig, problems, within=root)
    if problems:
        errors, warnings, files = print_problems(locate_problems(problems))
        print_count(errors, warnings, files)
        raise typer.Exit(int(ExitCode.INPUT))
    return config


def render_document(terms: FrameworkTerms, fmt: str, config: WorkspaceConfig | None, date: dt.date) -> bytes:
    from chibo4tot.report.framework_text import build_framework_document

    doc = build_framework_document(terms, config, date)
    if fmt == "md":
        from chibo4tot.report.framework_md import render_framework_md

        return render_framework_md(doc).encode("utf-8")
    from chibo4tot.report.framework_word import render_framework_docx

    return render_framework_docx(doc, date)


def check_document_target(target: Path, sources: list[Path], force: bool) -> None:
    """Before rendering: never over a framework file the document is made from, nor over an
    existing file without ``--force``, and only where a file can be written."""
    resolved = target.resolve()
    if any(resolved == source.resolve() for source in sources):
        raise UsageError(
            _("không ghi đè lên tệp khung tiêu chí đang đọc: {path}").format(path=show_path(target))
        )
    check_write_targets(target.parent, [target.name])
    if target.exists() and not force:
        raise UsageError(_("đã có tệp {path}; thêm --force để ghi đè").format(path=show_path(target)))


def write_document(data: bytes, target: Path, force: bool) -> None:
    write_bytes_atomic(target, data, overwrite=force)
    typer.echo(show_path(target))


DIFF_FORMATS = ("text", "md")


def print_diff(
    old: Framework, new: Framework, fmt: str = "text", labels: tuple[str, str] | None = None
) -> None:
    """``criteria diff``: every line that reads differently, in the organiser's words; ``md``: a
    table to paste into a merge request. ``labels`` name the two sides (default: their ids)."""
    before, after = labels or (old.id, new.id)
    if fmt not in DIFF_FORMATS:
        raise UsageError(_("--format chỉ nhận: {formats}").format(formats=", ".join(DIFF_FORMATS)))
    from chibo4tot.results.fwterms import describe
    from chibo4tot.results.fwterms.changes import change_lines, compare

    changes = compare(describe(old), describe(new))
    if fmt == "md":
        from chibo4tot.report.framework_md import render_changes_md

        typer.echo(safe_text(render_changes_md(before, after, changes)), nl=False)
        return
    for line in change_lines(before, after, changes):
        typer.echo(safe_text(line))
