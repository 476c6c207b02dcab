"""The "Bộ tiêu chí" document and a framework comparison as Markdown, every user text escaped."""

from __future__ import annotations

import re
from collections.abc import Sequence

from chibo4tot.i18n import _
from chibo4tot.report.framework_text import FrameworkDocument
from chibo4tot.report.markdown import md_bold, md_escape, md_italic
from chibo4tot.results.fwterms.changes import NONE, ItemChange, count, summary
from chibo4tot.results.fwterms.model import Item

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
_LIST_ITEM = re.compile(r"^(\d+\. |- )(.*)$")


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _line(text: str) -> str:
    """A section line: "- …" and "1. …" stay list items, the text after them is escaped."""
    found = _LIST_ITEM.match(text)
    if found:
        return found.group(1) + md_escape(found.group(2))
    return md_escape(text)


def render_framework_md(doc: FrameworkDocument) -> str:
    out: list[str] = []
    h = doc.header
    if h is not None:
        out += [
            "| | |",
            "|:---:|:---:|",
            _row([md_escape(h.superior), md_bold(h.party)]),
            _row([md_bold(h.issuing_body), ""]),
            _row(["\\*", md_italic(h.date_line)]),
            "",
        ]
    out += [f"# {md_escape(doc.title)}", "", md_bold(doc.subject), "", md_italic(doc.scope), ""]
    if doc.basis:
        out += [md_escape(doc.basis_heading), ""]
        out += [f"- {md_escape(line)}" for line in doc.basis]
        out.append("")
    out += [f"## I. {md_escape(doc.table_heading)}", ""]
    out.append(_row([md_escape(c) for c in doc.columns]))
    out.append("|:---|:---|:---|---:|")
    for r in doc.rows:
        cells = [md_escape(r.code), md_escape(r.name), md_escape(" ".join(r.details)), md_escape(r.points)]
        if r.level == 0:
            cells = [md_bold(r.code), md_bold(r.name), cells[2], md_bold(r.points)]
        out.append(_row(cells))
    out += [_row(["", md_bold(doc.total_label), "", md_bold(doc.total)]), ""]
    if doc.note:
        out += [md_italic(doc.note), ""]
    for roman, section in zip(_ROMAN[1:], doc.sections, strict=False):
        out += [f"## {roman}. {md_escape(section.heading)}", ""]
        if section.intro:
            out += [md_escape(section.intro), ""]
        for line in section.lines:
            out += [_line(line), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _short(item: Item) -> str:
    return f"{item.kind_label} {item.code}" if item.code else item.heading


def render_changes_md(old_id: str, new_id: str, changes: list[ItemChange]) -> str:
    """The comparison as a Markdown table, for a merge request: Mục | Nội dung | Trước | Sau."""
    heading = _("So sánh khung tiêu chí {old} → {new}: {n} thay đổi").format(
        old=old_id, new=new_id, n=count(changes)
    )
    out = [f"### {md_escape(heading)}", ""]
    if not changes:
        return "\n".join(out).rstrip("\n") + "\n"
    columns = [_("Mục"), _("Nội dung"), _("Trước"), _("Sau")]
    out += [_row([md_escape(c) for c in columns]), "|:---|:---|:---|:---|"]
    for c in changes:
        where = md_escape(_short(c.item))
        if c.kind == "removed":
            out.append(_row([where, md_bold(_("Bỏ")), md_escape(summary(c.item)), NONE]))
            continue
        if c.kind == "added":
            out.append(_row([where, md_bold(_("Thêm")), NONE, md_escape(summary(c.item))]))
        for t in c.terms:
            out.append(_row([where, md_escape(t.label), md_escape(t.old or NONE), md_escape(t.new or NONE)]))
    return "\n".join(out) + "\n"
