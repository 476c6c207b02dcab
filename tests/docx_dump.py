"""A Word document as reviewable text: page setup, then every paragraph and table row in body order, each
with its alignment and run styles. Golden files compare this dump, never the .docx bytes."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table
from docx.text.paragraph import Paragraph

_ALIGN = {
    WD_ALIGN_PARAGRAPH.LEFT: "L",
    WD_ALIGN_PARAGRAPH.CENTER: "C",
    WD_ALIGN_PARAGRAPH.RIGHT: "R",
    WD_ALIGN_PARAGRAPH.JUSTIFY: "J",
    None: "-",
}


def _cm(length: Any) -> str:
    return f"{length / Cm(1):.2f}" if length is not None else "-"


def _style(p: Paragraph) -> str:
    flags = []
    runs = [r for r in p.runs if r.text]
    if runs:
        r = runs[0]
        flags += [name for name, on in (("b", r.bold), ("i", r.italic), ("u", r.underline)) if on]
        if r.font.size is not None:
            flags.append(str(int(r.font.size.pt)))
    fmt = p.paragraph_format
    if fmt.keep_with_next:
        flags.append("keep")
    return _ALIGN.get(p.alignment, "?") + ("[" + ",".join(flags) + "]" if flags else "")


def _paragraph(p: Paragraph) -> str:
    return f"{_style(p)} {p.text}".rstrip()


def _row_flags(row: Any) -> str:
    pr = row._tr.trPr
    if pr is None:
        return ""
    return "".join(
        flag for tag, flag in (("cantSplit", "s"), ("tblHeader", "h")) if pr.find(qn(f"w:{tag}")) is not None
    )


def dump(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    normal = doc.styles["Normal"].font
    lines = [
        f"page: {_cm(section.page_width)} x {_cm(section.page_height)} cm, margins "
        + " ".join(_cm(m) for m in (section.top_margin, section.bottom_margin, section.left_margin))
        + f" {_cm(section.right_margin)}",
        f"font: {normal.name} {normal.size.pt:g}",
        f"footer: {' '.join(p.text for p in section.footer.paragraphs)}",
    ]
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(_paragraph(Paragraph(child, doc)))
        elif child.tag == qn("w:tbl"):
            table = Table(child, doc)
            widths = " ".join(_cm(c.width) for c in table.columns)
            lines.append(f"TABLE {len(table.rows)}x{len(table.columns)} widths {widths}")
            for row in table.rows:
                cells = [" / ".join(_paragraph(p) for p in cell.paragraphs) for cell in row.cells]
                lines.append(f"  row[{_row_flags(row)}] " + " | ".join(cells))
    return "\n".join(lines) + "\n"
