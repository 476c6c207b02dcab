"""python-docx in the house style of Hướng dẫn 36-HD/VPTW: page, fonts, paragraphs and tables.

The building blocks ``word.py`` assembles its documents from: A4 with margins 2 / 2 / 3 / 1,5 cm,
Times New Roman for every script, Vietnamese as the proofing language, page numbers from page 2,
table rows that never split, and reproducible bytes (fixed core properties and zip timestamps).
python-docx ships no type hints, so its objects are ``Any`` here.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from chibo4tot.formatting import visible_controls
from chibo4tot.report.seal import CUSTOM_PART, CUSTOM_REL, CUSTOM_TYPE, custom_xml

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 13
RECIPIENTS_PT = 12
RECIPIENT_HANG_CM = 0.3
TEXT_WIDTH_CM = 21 - 3 - 1.5
CELL_PADDING_CM = 2 * 0.19  # Word's default cell margins, left and right
AUTHOR = "chibo4tot"

Doc = Any  # python-docx ships no type hints


def docx_text(text: str) -> str:
    """Text as a Word document can hold it, every control shown (``formatting.CONTROLS``: XML
    cannot hold most of them, and lxml would refuse the whole report); every run and property
    goes through here."""
    return visible_controls(text)


CENTER, LEFT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY


# ── document, styles, properties ─────────────────────────────────────────────────────────────


def set_fonts(rpr: Any) -> None:
    """Times New Roman for every script: Word picks the East Asian and complex-script fonts apart."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)


def new_document(date: dt.date, title: str) -> Doc:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element.get_or_add_rPr())
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for rpr in defaults.iter(qn("w:rPr")):
            set_fonts(rpr)
            for lang in rpr.iter(qn("w:lang")):
                lang.set(qn("w:val"), "vi-VN")  # Vietnamese spelling and hyphenation
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.15
    props = doc.core_properties
    when = dt.datetime.combine(date, dt.time())
    props.author = props.last_modified_by = AUTHOR
    props.created = props.modified = when
    props.revision = 1
    props.title = docx_text(title)
    props.language = "vi-VN"
    return doc


def page_numbers(doc: Doc) -> None:
    """A PAGE field centred in the footer from page 2 on; page 1 (the header, the title) has none."""
    section = doc.sections[0]
    section.footer_distance = Cm(1)
    section.different_first_page_header_footer = True
    section.first_page_footer.is_linked_to_previous = False  # an empty footer of its own
    p = style_para(section.footer.paragraphs[0], align=CENTER, after=0)
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


def to_bytes(doc: Doc, date: dt.date, custom: Mapping[str, str] | None = None) -> bytes:
    """Saved with every zip entry stamped with the report date, so equal inputs give equal bytes;
    with ``custom``, the document's custom properties (python-docx has no writer for them)."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)

    def put(dst: zipfile.ZipFile, name: str, data: bytes) -> None:
        entry = zipfile.ZipInfo(name, stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        dst.writestr(entry, data)

    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if custom and info.filename == "[Content_Types].xml":
                override = f'<Override PartName="/{CUSTOM_PART}" ContentType="{CUSTOM_TYPE}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            elif custom and info.filename == "_rels/.rels":
                rel = f'<Relationship Id="rIdCustomProps" Type="{CUSTOM_REL}" Target="{CUSTOM_PART}"/>'
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            put(dst, info.filename, data)
        if custom:
            put(dst, CUSTOM_PART, custom_xml(dict(custom)))
    return out.getvalue()


# ── paragraphs and tables ────────────────────────────────────────────────────────────────────


def style_para(
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


def add_para(where: Any, text: str = "", **style: Any) -> Any:
    """A new paragraph at the end of the document or of a table cell."""
    return style_para(_new_paragraph(where), text, **style)


def _new_paragraph(where: Any) -> Any:
    if not isinstance(where, DocumentObject):
        return where.add_paragraph()
    # The paragraph python-docx's add_paragraph makes, put where it puts it: before the section
    # properties, which it finds by walking every paragraph already there; at a province's thousands
    # of paragraphs that walk took most of the report's time. They are always the body's last element.
    # (len() of an lxml element counts its children one by one: the last is looked up directly.)
    body = where._body
    p = OxmlElement("w:p")
    last = next(body._element.iterchildren(reversed=True), None)
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(p)
    else:
        body._element.append(p)
    return Paragraph(p, body)


Line = tuple[str, dict[str, Any]]


def fill_cell(cell: Any, lines: Sequence[Line]) -> None:
    """Lines of a table cell, centred and tight unless told otherwise; the cell's own first
    (empty) paragraph takes the first line."""
    for i, (text, style) in enumerate(lines):
        merged: dict[str, Any] = {"align": CENTER, "after": 0} | style
        style_para(cell.paragraphs[0] if i == 0 else cell.add_paragraph(), text, **merged)


def no_borders(table: Any) -> None:
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


def set_widths(table: Any, widths: Sequence[float]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid: LibreOffice lays a fixed table out from it
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def two_columns(doc: Doc, widths: tuple[float, float]) -> Any:
    """A borderless one-row table whose row never breaks across pages."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(table)
    set_widths(table, widths)
    cant_split(table.rows[0])
    return table


def cant_split(row: Any) -> None:
    # First in trPr: the schema puts cantSplit before trHeight and tblHeader.
    row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))


def keep_with_next(p: Any) -> Any:
    p.paragraph_format.keep_with_next = True
    return p


def no_padding(table: Any) -> None:
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
