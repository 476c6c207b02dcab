"""The "Bộ tiêu chí" document as Word, in the house style of the reports (Hướng dẫn 36-HD/VPTW).

A4, Times New Roman 14, the đảng bộ's header when there is a workspace, page numbers from page 2.
The table of criteria repeats its header row on every page, never splits a row, and keeps a
criterion's row with its first indicator; how each indicator is scored is written under its name
in smaller italics, so the points column stays narrow and the table fits the page width.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from chibo4tot.report.docx_base import (
    CELL_PADDING_CM,
    CENTER,
    LEFT,
    TABLE_PT,
    TEXT_WIDTH_CM,
    Doc,
    Line,
    add_para,
    cant_split,
    fill_cell,
    keep_with_next,
    new_document,
    page_numbers,
    set_widths,
    to_bytes,
)
from chibo4tot.report.fit import HEADER_SLACK_CM, width_cm
from chibo4tot.report.framework_text import CriteriaRow, FrameworkDocument
from chibo4tot.report.word import add_header, add_heading, add_title

DETAIL_PT = 12
SUB_INDENT_CM = 0.4
SHADE = "E7E6E6"  # criterion rows: a light grey that prints well in black and white
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def _shade(cell: object) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), SHADE)
    cell._tc.get_or_add_tcPr().append(shd)  # type: ignore[attr-defined]


def _fill_row(cells: Sequence[object], row: CriteriaRow) -> None:
    strong = row.level == 0
    code, name, points = cells
    fill_cell(code, [(row.code, {"bold": strong, "size": TABLE_PT})])
    # Left, not justified: a narrow column justified opens wide gaps between the words.
    lines: list[Line] = [(row.name, {"bold": strong, "size": TABLE_PT, "align": LEFT})]
    lines += [(d, {"italic": True, "size": DETAIL_PT, "align": LEFT}) for d in row.details]
    fill_cell(name, lines)
    if row.level >= 2:
        for p in name.paragraphs:  # type: ignore[attr-defined]
            p.paragraph_format.left_indent = Cm(SUB_INDENT_CM)
    fill_cell(points, [(row.points, {"bold": strong, "size": TABLE_PT})])
    if strong:
        for cell in cells:
            _shade(cell)
            for p in cell.paragraphs:  # type: ignore[attr-defined]
                keep_with_next(p)  # a criterion's row never ends a page without its first indicator


def _widths(d: FrameworkDocument) -> tuple[float, float, float]:
    """The code and points columns as wide as their widest entry (header included, bold), on one
    line; the name and how it is scored take the rest of the 16,5 cm."""
    code, _name, points = d.word_columns

    def fit(texts: list[str]) -> float:
        return max(width_cm(t, TABLE_PT, "bold") for t in texts) + CELL_PADDING_CM + HEADER_SLACK_CM

    first = fit([code, *(r.code for r in d.rows)])
    last = fit([points, d.total, *(r.points for r in d.rows)])
    return first, TEXT_WIDTH_CM - first - last, last


def _criteria_table(doc: Doc, d: FrameworkDocument) -> None:
    table = doc.add_table(rows=len(d.rows) + 2, cols=3)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, _widths(d))
    for row in table.rows:
        cant_split(row)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(table.rows[0].cells, d.word_columns, strict=True):
        fill_cell(cell, [(text, {"bold": True, "size": TABLE_PT})])
    for out, row in zip(table.rows[1:-1], d.rows, strict=True):
        _fill_row(out.cells, row)
    total = table.rows[-1].cells
    fill_cell(total[1], [(d.total_label, {"bold": True, "size": TABLE_PT})])
    fill_cell(total[2], [(d.total, {"bold": True, "size": TABLE_PT})])
    add_para(doc, "", after=0)


def _section_lines(doc: Doc, lines: Sequence[str]) -> None:
    for line in lines:
        p = add_para(doc, line, indent=1.0)
        if line.endswith(":"):
            keep_with_next(p)  # a list's lead-in stays with its first item


def render_framework_docx(d: FrameworkDocument, date: dt.date) -> bytes:
    """The "Bộ tiêu chí" document as .docx bytes; ``date`` dates the header and the file."""
    doc = new_document(date, f"{d.title} — {d.subject}")
    page_numbers(doc)
    if d.header is not None:
        add_header(doc, d.header)
    add_title(doc, d.title, d.subject)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(0)
    add_para(doc, d.scope, align=CENTER, italic=True, after=12)
    if d.basis:
        keep_with_next(add_para(doc, d.basis_heading, align=LEFT, bold=True, indent=1.0))
        for line in d.basis:
            add_para(doc, f"- {line}", indent=1.0)
    add_heading(doc, f"I. {d.table_heading}")
    _criteria_table(doc, d)
    if d.note:
        add_para(doc, d.note, italic=True, size=DETAIL_PT, indent=1.0)
    for roman, section in zip(_ROMAN[1:], d.sections, strict=False):
        add_heading(doc, f"{roman}. {section.heading}")
        if section.intro:
            keep_with_next(add_para(doc, section.intro, indent=1.0))
        _section_lines(doc, section.lines)
    return to_bytes(doc, date)
