"""The year-end report and the recognition list as Word documents (python-docx), ready to sign and stamp.

Layout per Hướng dẫn 36-HD/VPTW: A4, margins 2 / 2 / 3 / 1,5 cm, Times New Roman 14, the two-column
header as a borderless table sized to its names (``fit``), page numbers from page 2, and nothing a
signer needs split across pages: table rows, headings and the Nơi nhận + signature block stay whole.
Bytes are reproducible: fixed core properties and zip timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from chibo4tot.i18n import _
from chibo4tot.report.context import ReportContext
from chibo4tot.report.fit import HEADER_SLACK_CM, PARTY_PT, layout_header, width_cm
from chibo4tot.report.text import (
    BLANK,
    Header,
    Signature,
    Table,
    build_header,
    build_report_text,
    list_subject,
    recognition_table,
)

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 13
RECIPIENTS_PT = 12
RECIPIENT_HANG_CM = 0.3
TEXT_WIDTH_CM = 21 - 3 - 1.5
CELL_PADDING_CM = 2 * 0.19  # Word's default cell margins, left and right
AUTHOR = "chibo4tot"

Doc = Any  # python-docx ships no type hints

# The Word writer's text rule. XML 1.0 cannot hold the C0 controls other than TAB, LF and CR,
# lone surrogates, U+FFFE or U+FFFF: lxml refuses them and the whole report would fail to write
# because of one character in a unit name. Each is replaced by a visible stand-in (U+0001 → "␁",
# the rest → "�"), not dropped, so that the reader sees the source file has something to fix.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\ufffd"


def docx_text(text: str) -> str:
    """Text as a Word document can hold it; every run and property goes through here."""
    return _NOT_XML.sub(_stand_in, text)


CENTER, LEFT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY


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


# ── document, styles, properties ─────────────────────────────────────────────────────────────


def _set_fonts(rpr: Any) -> None:
    """Times New Roman for every script: Word picks the East Asian and complex-script fonts apart."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)


def _new_document(ctx: ReportContext, title: str) -> Doc:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr())
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for rpr in defaults.iter(qn("w:rPr")):
            _set_fonts(rpr)
            for lang in rpr.iter(qn("w:lang")):
                lang.set(qn("w:val"), "vi-VN")  # Vietnamese spelling and hyphenation
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.15
    props = doc.core_properties
    when = dt.datetime.combine(ctx.date, dt.time())
    props.author = props.last_modified_by = AUTHOR
    props.created = props.modified = when
    props.revision = 1
    props.title = docx_text(title)
    props.language = "vi-VN"
    return doc


def _page_numbers(doc: Doc) -> None:
    """A PAGE field centred in the footer from page 2 on; page 1 (the header, the title) has none."""
    section = doc.sections[0]
    section.footer_distance = Cm(1)
    section.different_first_page_header_footer = True
    section.first_page_footer.is_linked_to_previous = False  # an empty footer of its own
    p = _style(section.footer.paragraphs[0], align=CENTER, after=0)
    for kind, text in (("begin", ""), ("", " PAGE "), ("separate", ""), ("", "2"), ("end", "")):
        run = p.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text  # shown until the field is updated


def _to_bytes(doc: Doc, date: dt.date) -> bytes:
    """Saved with every zip entry stamped with the report date, so equal inputs give equal bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


# ── paragraphs and tables ────────────────────────────────────────────────────────────────────


def _style(
    p: Any,
    text: str = "",
    *,
    align: Any = JUSTIFY,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    indent: float | None = None,
    after: float | None = None,
) -> Any:
    """Fill paragraph ``p`` with one run of ``text``, styled."""
    p.alignment = align
    if indent is not None:
        p.paragraph_format.first_line_indent = Cm(indent)
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    if text:
        run = p.add_run(docx_text(text))
        run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
        if size is not None:
            run.font.size = Pt(size)
    return p


def _para(where: Any, text: str = "", **style: Any) -> Any:
    """A new paragraph in the document or a table cell."""
    return _style(where.add_paragraph(), text, **style)


Line = tuple[str, dict[str, Any]]


def _cell(cell: Any, lines: Sequence[Line]) -> None:
    """Lines of a table cell, centred and tight unless told otherwise; the cell's own first
    (empty) paragraph takes the first line."""
    for i, (text, style) in enumerate(lines):
        merged: dict[str, Any] = {"align": CENTER, "after": 0} | style
        _style(cell.paragraphs[0] if i == 0 else cell.add_paragraph(), text, **merged)


def _no_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr = table._tbl.tblPr
    # Schema order matters to Word: tblBorders comes before these.
    later = [tbl_pr.find(qn(f"w:{tag}")) for tag in ("shd", "tblLayout", "tblCellMar", "tblLook")]
    following = next((el for el in later if el is not None), None)
    if following is None:
        tbl_pr.append(borders)
    else:
        following.addprevious(borders)


def _widths(table: Any, widths: Sequence[float]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid: LibreOffice lays a fixed table out from it
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _two_columns(doc: Doc, widths: tuple[float, float]) -> Any:
    """A borderless one-row table whose row never breaks across pages."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, widths)
    _cant_split(table.rows[0])
    return table


def _cant_split(row: Any) -> None:
    # First in trPr: the schema puts cantSplit before trHeight and tblHeader.
    row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))


def _keep_with_next(p: Any) -> Any:
    p.paragraph_format.keep_with_next = True
    return p


def _no_padding(table: Any) -> None:
    """No cell margins: the header's columns are sized to their measured text, padding included."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        tbl_pr.append(margins)
    else:
        look.addprevious(margins)


def _header(doc: Doc, h: Header) -> None:
    layout = layout_header(h, TEXT_WIDTH_CM, BODY_PT)
    table = _two_columns(doc, layout.widths)
    _no_padding(table)
    left, right = table.rows[0].cells
    number: list[Line] = [(h.number, {})] if h.number else []
    _cell(
        left,
        [
            ("\n".join(layout.superior), {}),
            ("\n".join(layout.issuing_body), {"bold": True}),
            ("*", {}),
            *number,
        ],
    )
    _cell(
        right,
        [
            (h.party, {"bold": True, "underline": True, "size": PARTY_PT}),
            ("", {}),
            ("\n".join(layout.date_line), {"italic": True}),
        ],
    )


def _title(doc: Doc, title: str, subject: str) -> None:
    _para(doc, "", after=0)
    _keep_with_next(_para(doc, title, align=CENTER, bold=True, size=16, after=0))
    _keep_with_next(_para(doc, subject, align=CENTER, bold=True, after=12))


def _table(doc: Doc, table: Table, widths: Sequence[float], align: str, *, keep_last: bool = False) -> None:
    """A bordered table, header row repeated on every page; ``align``: l, c or r per column.
    ``keep_last``: the last row goes to the next page with the paragraph after the table."""
    aligns = {"l": LEFT, "c": CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}
    rows = [table.columns, *table.rows] + ([table.footer] if table.footer is not None else [])
    out = doc.add_table(rows=len(rows), cols=len(table.columns))
    out.style = doc.styles["Table Grid"]
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(out, widths)
    for row in out.rows:
        _cant_split(row)  # a cell's lines stay on one page
    out.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for i, values in enumerate(rows):
        strong = i == 0 or (table.footer is not None and i == len(rows) - 1)
        for j, (cell, value) in enumerate(zip(out.rows[i].cells, values, strict=True)):
            style = {"bold": strong, "size": TABLE_PT, "align": CENTER if i == 0 else aligns[align[j]]}
            _cell(cell, [(value, style)])
    spacer = _para(doc, "", after=0)
    if keep_last:
        for cell in out.rows[-1].cells:
            for p in cell.paragraphs:
                _keep_with_next(p)
        _keep_with_next(spacer)


def _heading(doc: Doc, text: str) -> None:
    _keep_with_next(_para(doc, text, align=LEFT, bold=True, indent=1.0))


def _lines(doc: Doc, lines: Sequence[str], dash: bool = False) -> None:
    for line in lines:
        _para(doc, f"- {line}" if dash else line, indent=1.0)


SIGNER_MIN_CM = 7.0


def _signature(doc: Doc, s: Signature) -> None:
    """Nơi nhận on the left, the signer on the right, kept on one page with the line above them: the
    row cannot split and every paragraph before it holds on to the next, so a page never starts with
    a signature alone nor ends with "T/M ĐẢNG ỦY" whose name is overleaf."""
    _keep_with_next(doc.paragraphs[-1])
    _keep_with_next(_para(doc, "", after=0))
    signer = [s.on_behalf, s.position, s.name]
    widest = max(width_cm(line, BODY_PT, "bold") for line in signer)
    right = max(SIGNER_MIN_CM, widest + CELL_PADDING_CM + HEADER_SLACK_CM)
    left, right_cell = _two_columns(doc, (TEXT_WIDTH_CM - right, right)).rows[0].cells
    recipients: list[Line] = [(f"- {item}", {"align": LEFT, "size": RECIPIENTS_PT}) for item in s.recipients]
    _cell(
        left,
        [(s.recipients_label, {"bold": True, "italic": True, "underline": True, "align": LEFT}), *recipients],
    )
    for p in left.paragraphs[1:]:  # a wrapped recipient lines up after its dash
        p.paragraph_format.left_indent = Cm(RECIPIENT_HANG_CM)
        p.paragraph_format.first_line_indent = Cm(-RECIPIENT_HANG_CM)
    room: list[Line] = [("", {})] * 4  # for the signature and the stamp
    _cell(
        right_cell,
        [(s.on_behalf, {"bold": True}), (s.position, {"bold": True}), *room, (s.name, {"bold": True})],
    )
    for cell in (left, right_cell):
        for p in cell.paragraphs:
            p.paragraph_format.keep_together = True
        for p in cell.paragraphs[:-1]:
            _keep_with_next(p)


# ── the two documents ────────────────────────────────────────────────────────────────────────

LIST_WIDTHS = (1.4, 8.0, 1.8, 2.0, 3.3)  # names on one line where they can be; the note may take two


def render_docx(ctx: ReportContext) -> bytes:
    """The year-end report as .docx bytes (same wording as the Markdown report)."""
    r = build_report_text(ctx)
    doc = _new_document(ctx, r.subject)
    _page_numbers(doc)
    _header(doc, r.header)
    _title(doc, r.title, r.subject)
    _para(doc, r.intro, indent=1.0)

    _heading(doc, f"I. {r.results_heading}")
    _lines(doc, r.results)
    _table(doc, r.by_kind, (7.5, 3.0, 3.0, 3.0), "lrrr")
    if r.by_parent is not None:
        _table(doc, r.by_parent, (7.5, 3.0, 3.0, 3.0), "lrrr")
    _lines(doc, r.dang_bo)
    if r.data_notes:
        _para(doc, r.data_notes_heading, bold=True, indent=1.0)
        _lines(doc, r.data_notes, dash=True)

    _heading(doc, f"II. {r.assessment_heading}")
    _heading(doc, f"1. {r.strengths_heading}")
    _lines(doc, r.strengths, dash=True)
    _heading(doc, f"2. {r.shortcomings_heading}")
    _lines(doc, r.shortcomings, dash=True)

    _heading(doc, f"III. {r.recognised_heading}")
    if r.recognised.rows:
        _table(doc, r.recognised, LIST_WIDTHS, "clrll")
    else:
        _lines(doc, [r.recognised_empty])

    _heading(doc, f"IV. {r.not_recognised_heading}")
    for i, item in enumerate(r.not_recognised, start=1):
        p = _keep_with_next(_para(doc, f"{i}. ", indent=1.0))
        p.add_run(docx_text(item.name)).bold = True
        p.add_run(docx_text(f" ({item.summary}):"))
        _lines(doc, item.reasons, dash=True)
    if not r.not_recognised:
        _lines(doc, [r.not_recognised_empty])

    _signature(doc, r.signature)
    return _to_bytes(doc, ctx.date)


def render_recognition_list_docx(ctx: ReportContext) -> bytes:
    """The recognition list attached to the decision, as .docx bytes."""
    r = build_recognition_list_text(ctx)
    doc = _new_document(ctx, r.subject)
    _page_numbers(doc)
    _header(doc, r.header)
    _title(doc, r.title, r.subject)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(0)
    _para(doc, r.attachment, align=CENTER, italic=True, after=12)
    _table(doc, r.table, LIST_WIDTHS, "clrll", keep_last=True)  # never a page with only the closing
    _para(doc, r.closing, align=LEFT, italic=True, indent=1.0)
    if r.caveat:
        _para(doc, r.caveat, italic=True, indent=1.0)
    return _to_bytes(doc, ctx.date)
