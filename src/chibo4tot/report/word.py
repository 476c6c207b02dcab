"""The year-end report and the recognition list as Word documents (python-docx), ready to sign and stamp.

Layout per Hướng dẫn 36-HD/VPTW: A4, margins 2 / 2 / 3 / 1,5 cm, Times New Roman 14, the two-column
header as a borderless table sized to its names (``fit``), page numbers from page 2, and nothing a
signer needs split across pages: table rows, headings and the Nơi nhận + signature block stay whole.
Bytes are reproducible: fixed core properties and zip timestamps.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass, replace
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from chibo4tot.i18n import _
from chibo4tot.report.context import ReportContext
from chibo4tot.report.docx_base import (
    BODY_PT,
    CELL_PADDING_CM,
    CENTER,
    LEFT,
    RECIPIENT_HANG_CM,
    RECIPIENTS_PT,
    TABLE_PT,
    TEXT_WIDTH_CM,
    Doc,
    Line,
    add_para,
    cant_split,
    docx_text,
    fill_cell,
    keep_with_next,
    new_document,
    no_padding,
    page_numbers,
    set_widths,
    to_bytes,
    two_columns,
)
from chibo4tot.report.fit import HEADER_SLACK_CM, PARTY_PT, layout_header, width_cm
from chibo4tot.report.seal import properties, seal_line
from chibo4tot.report.text import Header, Signature, build_header, build_report_text
from chibo4tot.report.text_lists import BLANK, Appendix, Table, Unrecognised, list_subject, recognition_table


@dataclass(frozen=True)
class RecognitionListText:
    """The recognition list as an attachment to the decision that recognises the cells."""

    header: Header
    title: str
    subject: str
    attachment: str
    table: Table
    closing: str
    caveat: str  # "" when the records were complete and every cell was scored


def build_recognition_list_text(ctx: ReportContext) -> RecognitionListText:
    table = recognition_table(ctx)
    blank_day = "\u00a0" * 4
    return RecognitionListText(
        header=replace(build_header(ctx), number=""),  # the number is the decision's, given below
        title=_("DANH SÁCH"),
        subject=list_subject(ctx),
        attachment=_(
            "(Kèm theo Quyết định số {number}-QĐ/{abbreviation}, ngày {day} tháng {month} năm {year} "
            "của {body})"
        ).format(
            number=BLANK,
            abbreviation=ctx.config.abbreviation,
            day=blank_day,
            month=blank_day,
            year=ctx.date.year,
            body=ctx.config.issuing_body,
        ),
        table=table,
        closing=_("Danh sách này có {n} chi bộ./.").format(n=len(table.rows)),
        caveat=_caveat(ctx),
    )


def _caveat(ctx: ReportContext) -> str:
    parts = []
    if ctx.not_scored:
        parts.append(_("{n} chi bộ chưa được chấm điểm").format(n=len(ctx.not_scored)))
    if ctx.gaps:
        parts.append(_("{n} thiếu sót về hồ sơ").format(n=len(ctx.gaps)))
    if not parts:
        return ""
    return _(
        "Lưu ý: danh sách lập khi hồ sơ chưa đầy đủ ({what}); chi tiết tại mục “Lưu ý về số liệu” của "
        "báo cáo kết quả."
    ).format(what=", ".join(parts))


def add_header(doc: Doc, h: Header) -> None:
    layout = layout_header(h, TEXT_WIDTH_CM, BODY_PT)
    table = two_columns(doc, layout.widths)
    no_padding(table)
    left, right = table.rows[0].cells
    number: list[Line] = [(h.number, {})] if h.number else []
    fill_cell(
        left,
        [
            ("\n".join(layout.superior), {}),
            ("\n".join(layout.issuing_body), {"bold": True}),
            ("*", {}),
            *number,
        ],
    )
    fill_cell(
        right,
        [
            (h.party, {"bold": True, "underline": True, "size": PARTY_PT}),
            ("", {}),
            ("\n".join(layout.date_line), {"italic": True}),
        ],
    )


def add_title(doc: Doc, title: str, subject: str) -> None:
    add_para(doc, "", after=0)
    keep_with_next(add_para(doc, title, align=CENTER, bold=True, size=16, after=0))
    keep_with_next(add_para(doc, subject, align=CENTER, bold=True, after=12))


def _table(doc: Doc, table: Table, widths: Sequence[float], align: str, *, keep_last: bool = False) -> None:
    """A bordered table, header row repeated on every page; ``align``: l, c or r per column.
    ``keep_last``: the last row goes to the next page with the paragraph after the table.

    python-docx takes milliseconds a row (and finds a row by index by listing them all): a list of
    thousands of cells took minutes. The header, the first body row and the footer are built with
    python-docx; the other body rows are copies of the first (``_copy_rows``)."""
    aligns = {"l": LEFT, "c": CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}
    body = table.rows
    copied = body[1:] if body and any(body[0]) else []  # a copy needs a styled run to take from
    built = body[: len(body) - len(copied)]
    rows = [table.columns, *built] + ([table.footer] if table.footer is not None else [])
    out = doc.add_table(rows=len(rows), cols=len(table.columns))
    out.style = doc.styles["Table Grid"]
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(out, widths)
    made = list(out.rows)
    for row in made:
        cant_split(row)  # a cell's lines stay on one page
    made[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for i, (row, values) in enumerate(zip(made, rows, strict=True)):
        strong = i == 0 or (table.footer is not None and i == len(rows) - 1)
        for j, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            style = {"bold": strong, "size": TABLE_PT, "align": CENTER if i == 0 else aligns[align[j]]}
            fill_cell(cell, [(value, style)])
    if copied:
        _copy_rows(made[1]._tr, copied)
    spacer = add_para(doc, "", after=0)
    if keep_last:
        for cell in out.rows[-1].cells:
            for p in cell.paragraphs:
                keep_with_next(p)
        keep_with_next(spacer)


def _copy_rows(first: Any, rows: Sequence[Sequence[str]]) -> None:
    """Rows after ``first`` (a body row ``fill_cell`` made), each a copy of it with its own texts: the
    XML python-docx would write, as every body cell's paragraph and run are styled alike but for the
    column's alignment, which the copy keeps."""
    run = next(first.iter(qn("w:r")))
    anchor = first
    for values in rows:
        tr = deepcopy(first)
        for tc, value in zip(tr.tc_lst, values, strict=True):
            paragraph = tc.p_lst[0]
            for old in paragraph.r_lst:
                paragraph.remove(old)
            if value:
                new = deepcopy(run)
                paragraph.append(new)
                new.text = docx_text(value)
        anchor.addnext(tr)
        anchor = tr


def add_heading(doc: Doc, text: str) -> None:
    keep_with_next(add_para(doc, text, align=LEFT, bold=True, indent=1.0))


def add_lines(doc: Doc, lines: Sequence[str], dash: bool = False) -> None:
    for line in lines:
        add_para(doc, f"- {line}" if dash else line, indent=1.0)


SIGNER_MIN_CM = 7.0


def _signature(doc: Doc, s: Signature) -> None:
    """Nơi nhận on the left, the signer on the right, kept on one page with the line above them: the
    row cannot split and every paragraph before it holds on to the next, so a page never starts with
    a signature alone nor ends with "T/M ĐẢNG ỦY" whose name is overleaf."""
    keep_with_next(doc.paragraphs[-1])
    keep_with_next(add_para(doc, "", after=0))
    signer = [s.on_behalf, s.position, s.name]
    widest = max(width_cm(line, BODY_PT, "bold") for line in signer)
    right = max(SIGNER_MIN_CM, widest + CELL_PADDING_CM + HEADER_SLACK_CM)
    left, right_cell = two_columns(doc, (TEXT_WIDTH_CM - right, right)).rows[0].cells
    recipients: list[Line] = [(f"- {item}", {"align": LEFT, "size": RECIPIENTS_PT}) for item in s.recipients]
    fill_cell(
        left,
        [(s.recipients_label, {"bold": True, "italic": True, "underline": True, "align": LEFT}), *recipients],
    )
    for p in left.paragraphs[1:]:  # a wrapped recipient lines up after its dash
        p.paragraph_format.left_indent = Cm(RECIPIENT_HANG_CM)
        p.paragraph_format.first_line_indent = Cm(-RECIPIENT_HANG_CM)
    room: list[Line] = [("", {})] * 4  # for the signature and the stamp
    fill_cell(
        right_cell,
        [(s.on_behalf, {"bold": True}), (s.position, {"bold": True}), *room, (s.name, {"bold": True})],
    )
    for cell in (left, right_cell):
        for p in cell.paragraphs:
            p.paragraph_format.keep_together = True
        for p in cell.paragraphs[:-1]:
            keep_with_next(p)


# ── the two documents ────────────────────────────────────────────────────────────────────────

LIST_WIDTHS = (1.4, 8.0, 1.8, 2.0, 3.3)  # names on one line where they can be; the note may take two
BY_PARENT_WIDTHS = (4.9, 2.5, 2.6, 2.3, 4.2)  # "Số chi bộ" on one line; the criteria column takes two


def render_docx(ctx: ReportContext) -> bytes:
    """The year-end report as .docx bytes (same wording as the Markdown report)."""
    r = build_report_text(ctx)
    doc = new_document(ctx.date, r.subject)
    page_numbers(doc)
    add_header(doc, r.header)
    add_title(doc, r.title, r.subject)
    add_para(doc, r.intro, indent=1.0)

    add_heading(doc, f"I. {r.results_heading}")
    add_lines(doc, r.results)
    _table(doc, r.by_kind, (7.5, 3.0, 3.0, 3.0), "lrrr")
    if r.by_parent is not None:
        _table(doc, r.by_parent, BY_PARENT_WIDTHS, "lrrrl")
    add_lines(doc, r.dang_bo)
    if r.data_notes:
        keep_with_next(
            add_para(doc, r.data_notes_heading, bold=True, indent=1.0)
        )  # never alone at a page end
        if r.data_notes_pointer:
            add_lines(doc, [r.data_notes_pointer])
        else:
            add_lines(doc, r.data_notes, dash=True)

    add_heading(doc, f"II. {r.assessment_heading}")
    add_heading(doc, f"1. {r.strengths_heading}")
    add_lines(doc, r.strengths, dash=True)
    add_heading(doc, f"2. {r.shortcomings_heading}")
    add_lines(doc, r.shortcomings, dash=True)

    add_heading(doc, f"III. {r.recognised_heading}")
    if r.recognised_pointer:
        add_lines(doc, [r.recognised_pointer])
    elif r.recognised.rows:
        _table(doc, r.recognised, LIST_WIDTHS, "clrll")
    else:
        add_lines(doc, [r.recognised_empty])

    add_heading(doc, f"IV. {r.not_recognised_heading}")
    if r.not_recognised_pointer:
        add_lines(doc, [r.not_recognised_pointer])
    else:
        _unrecognised(doc, r.not_recognised)
        if not r.not_recognised:
            add_lines(doc, [r.not_recognised_empty])

    _signature(doc, r.signature)
    for appendix in r.appendices:
        _appendix(doc, appendix)
    return sealed(doc, ctx)


def _unrecognised(doc: Doc, items: Sequence[Unrecognised], start: int = 1) -> None:
    for i, item in enumerate(items, start=start):
        p = keep_with_next(add_para(doc, f"{i}. ", indent=1.0))
        p.add_run(docx_text(item.name)).bold = True
        p.add_run(docx_text(f" ({item.summary}):"))
        add_lines(doc, item.reasons, dash=True)


def no_lone_word(text: str) -> str:
    """A centred line's last two words held together (a no-break space): a wrapped "(Kèm theo …)"
    line never ends with "Lập)" alone on a line of its own."""
    head, space, tail = text.rpartition(" ")
    return f"{head}\u00a0{tail}" if space else text


def _appendix(doc: Doc, a: Appendix) -> None:
    """A "Phụ lục" on a page of its own after the signature: its number, what it lists, which report
    it is attached to, then the list, each đảng bộ's cells under its name."""
    title = keep_with_next(add_para(doc, a.title, align=CENTER, bold=True, after=0))
    title.paragraph_format.page_break_before = True
    keep_with_next(add_para(doc, a.subject, align=CENTER, bold=True, after=0))
    keep_with_next(add_para(doc, no_lone_word(a.attachment), align=CENTER, italic=True, after=12))
    for group in a.groups:
        if group.heading:
            add_heading(doc, group.heading)
        if group.table is not None:
            _table(doc, group.table, LIST_WIDTHS, "clrll")
        if group.items:
            _unrecognised(doc, group.items, group.start)
        if group.lines:
            add_lines(doc, group.lines, dash=True)


def render_recognition_list_docx(ctx: ReportContext) -> bytes:
    """The recognition list attached to the decision, as .docx bytes."""
    r = build_recognition_list_text(ctx)
    doc = new_document(ctx.date, r.subject)
    page_numbers(doc)
    add_header(doc, r.header)
    add_title(doc, r.title, r.subject)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(0)
    add_para(doc, no_lone_word(r.attachment), align=CENTER, italic=True, after=12)
    _table(doc, r.table, LIST_WIDTHS, "clrll", keep_last=True)  # never a page with only the closing
    add_para(doc, r.closing, align=LEFT, italic=True, indent=1.0)
    if r.caveat:
        add_para(doc, r.caveat, italic=True, indent=1.0)
    return sealed(doc, ctx)


def sealed(doc: Doc, ctx: ReportContext) -> bytes:
    """The document's bytes, its last line and properties carrying the fingerprint of its results."""
    if ctx.seal is None:
        return to_bytes(doc, ctx.date)
    add_para(doc, seal_line(ctx.seal), align=LEFT, italic=True, size=RECIPIENTS_PT)
    doc.core_properties.identifier = ctx.seal.fingerprint
    return to_bytes(doc, ctx.date, properties(ctx.seal))
