"""The workbook as .xlsx bytes: openpyxl's writer, with fixed zip dates and each sheet's rows written as text.

openpyxl writes a cell through lxml's incremental writer, one element context at a time: about
15 µs a cell, so 7 of the 12 seconds a 5,000-cell workbook (half a million cells) took. The rows
here are the same XML, byte for byte, built as strings; everything around them (columns, merged
cells, conditional formats, print setup, charts, styles) is still openpyxl's own output. A sheet
holding anything this does not know how to write (formulas, dates, rich text, comments,
hyperlinks) is handed to openpyxl whole.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import Element

if TYPE_CHECKING:
    from _typeshed import SizedBuffer, StrPath

# Cell types written here: numbers, booleans, error codes (a <v> each) and plain strings (inline).
_VALUE_TYPES = frozenset("nbe")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_EMPTY_DATA = b"<sheetData/>"  # what the stock writer is given in place of the rows


class _DatedZip(zipfile.ZipFile):
    """A zip whose entries carry a fixed time, so the same workbook gives the same bytes.

    openpyxl adds every part with ``writestr`` (a worksheet with ``write`` from a temporary file
    when it writes the sheet itself, whose time would otherwise be stamped on the entry).
    """

    def __init__(self, file: io.BytesIO, stamp: dt.datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self._stamp = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._stamp)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: StrPath,
        arcname: StrPath | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        name = os.fspath(arcname if arcname is not None else filename)
        self.writestr(str(name), Path(filename).read_bytes(), compress_type, compresslevel)


def _xml(text: str, table: dict[int, str]) -> str:
    """Text as lxml writes it in an ASCII document: markup escaped, every other character as &#N;."""
    return text.translate(table).encode("ascii", "xmlcharrefreplace").decode("ascii")


class _Unwritable(Exception):
    """A cell the text writer does not write (formula, date, rich text, comment, hyperlink)."""


class _StyleIds:
    """A cell's ``s="…"`` attribute, as ``cell.style_id`` gives it, registering each new style in the
    order openpyxl would; looked up by the style array's bytes (hashing the array itself costs more
    than the whole lookup). An unstyled cell (no array, or all zeros) has none."""

    def __init__(self, wb: Any) -> None:
        self._register = wb._cell_styles.add
        self._known: dict[bytes, str] = {}

    def attribute(self, style: Any) -> str:
        if style is None:
            return ""
        key = style.tobytes()
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = f' s="{self._register(style)}"' if any(style) else ""
        return found


def _value_text(value: object) -> str:
    return _xml(safe_string(value), _TEXT_ESCAPES)


def sheet_rows_xml(ws: Any, styles: _StyleIds) -> bytes:
    """The ``<sheetData>`` element of a worksheet, as openpyxl's ``write_rows`` would write it.

    Raises ``_Unwritable`` at the first cell it does not know how to write.
    """
    cells = ws._cells
    keys = sorted(cells)
    dims = ws.row_dimensions
    pending = sorted(dims.keys() - {row for row, _col in keys})  # styled rows without cells
    pending.append(1 << 30)
    letters: dict[int, str] = {}
    numbers: dict[tuple[type, object], str] = {}
    style_attribute = styles.attribute
    out = ["<sheetData>"]
    current = 0

    def open_row(row: int) -> None:
        attrs = "".join(f' {k}="{_xml(v, _ATTR_ESCAPES)}"' for k, v in dims[row]) if row in dims else ""
        out.append(f'<row r="{row}"{attrs}>')

    for key in keys:
        row, col = key
        if row != current:
            if current:
                out.append("</row>")
            while pending[0] < row:
                open_row(pending.pop(0))
                out.append("</row>")
            current = row
            open_row(row)
        cell = cells[key]
        if cell.comment is not None or cell.hyperlink is not None:  # even on an empty cell
            raise _Unwritable
        value = cell._value
        s = style_attribute(cell._style)
        if value is None and not s:
            continue
        letter = letters.get(col) or letters.setdefault(col, get_column_letter(col))
        kind = cell.data_type
        if kind == "s":
            if value is None or value == "":
                out.append(f'<c r="{letter}{row}"{s} t="inlineStr"></c>')
            elif isinstance(value, str):
                space = ' xml:space="preserve"' if value != value.strip() else ""
                text = _xml(value, _TEXT_ESCAPES)
                out.append(f'<c r="{letter}{row}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>')
            else:  # rich text
                raise _Unwritable
        elif kind not in _VALUE_TYPES:  # formulas, dates
            raise _Unwritable
        elif value is None or value == "":
            out.append(f'<c r="{letter}{row}"{s} t="{kind}"></c>')
        else:
            number = (type(value), value)
            text = numbers.get(number) or numbers.setdefault(number, _value_text(value))
            out.append(f'<c r="{letter}{row}"{s} t="{kind}"><v>{text}</v></c>')
    if current:
        out.append("</row>")
    for row in pending[:-1]:
        open_row(row)
        out.append("</row>")
    out.append("</sheetData>")
    return "".join(out).encode("ascii")


class _SheetWriter(WorksheetWriter):  # type: ignore[misc]
    """openpyxl's worksheet writer, writing an empty ``<sheetData/>`` where its rows go."""

    def write_rows(self) -> None:
        xf = self.xf.send(True)
        xf.write(Element("sheetData"))
        self.xf.send(None)


class _Writer(ExcelWriter):  # type: ignore[misc]
    """openpyxl's workbook writer with the worksheets' rows written by ``sheet_rows_xml``."""

    def __init__(self, wb: Any, archive: zipfile.ZipFile) -> None:
        super().__init__(wb, archive)
        self._styles = _StyleIds(wb)

    def write_worksheet(self, ws: Any) -> None:
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        ws._drawing = SpreadsheetDrawing()  # as ExcelWriter.write_worksheet does
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws, io.BytesIO())
        writer.write()  # before the rows, as openpyxl does: styles are numbered in the order they are met
        try:
            rows = sheet_rows_xml(ws, self._styles)
        except _Unwritable:
            super().write_worksheet(ws)
            return
        head, empty, tail = writer.read().partition(_EMPTY_DATA)
        if not empty:  # pragma: no cover - the stock writer always writes the placeholder
            raise AssertionError("worksheet XML without its sheetData")
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], head + rows + tail)
        self.manifest.append(ws)


def workbook_bytes(wb: Any) -> bytes:
    """Serialise without openpyxl's ``save``, which would stamp the current time as "modified"."""
    buffer = io.BytesIO()
    _Writer(wb, _DatedZip(buffer, wb.properties.created)).save()
    return buffer.getvalue()
