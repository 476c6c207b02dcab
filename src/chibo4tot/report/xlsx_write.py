"""The workbook as .xlsx bytes: openpyxl's writer, with fixed zip dates and each sheet's rows written as text.

openpyxl writes a cell through lxml's incremental writer, one element context at a time: about
15 µs a cell, so 7 of the 12 seconds a 5,000-cell workbook (half a million cells) took. The rows
here are the same XML, byte for byte, built as strings; everything around them (columns, merged
cells, conditional formats, print setup, charts, styles) is still openpyxl's own output. A sheet
holding anything this does not know how to write (formulas, dates, rich text, comments,
hyperlinks) is handed to openpyxl whole. A sheet may also hold rows already written as text
(``TextRows``, made as the rows are added), so that its cells are never all kept at once.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.dimensions import SheetDimension
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


class _CellText:
    """Cells as the XML openpyxl's ``write_row`` gives them (the ``<c>`` elements of one row)."""

    def __init__(self, styles: _StyleIds) -> None:
        self._style_attribute = styles.attribute
        self._letters: dict[int, str] = {}
        self._numbers: dict[tuple[type, object], str] = {}

    def row(self, row: int, cells: Iterable[Any]) -> str:
        """Raises ``_Unwritable`` at the first cell it does not know how to write."""
        out: list[str] = []
        for cell in cells:
            if cell.comment is not None or cell.hyperlink is not None:  # even on an empty cell
                raise _Unwritable
            self.put(out, row, cell.column, cell._value, cell.data_type, cell._style)
        return "".join(out)

    def put(self, out: list[str], row: int, col: int, value: object, kind: str, style: Any) -> None:
        """One cell's XML (none for an empty cell without a style) appended to ``out``."""
        s = self._style_attribute(style)
        if value is None and not s:
            return
        letter = self._letters.get(col) or self._letters.setdefault(col, get_column_letter(col))
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
            text = self._numbers.get(number) or self._numbers.setdefault(number, _value_text(value))
            out.append(f'<c r="{letter}{row}"{s} t="{kind}"><v>{text}</v></c>')


class TextRows:
    """Rows of a worksheet held as their cells' XML, made as each row is added, instead of as cell
    objects: at 5,000 units the workbook's half a million cells took 150 MB until it was written.

    Styles are numbered when a row is added, so rows must be added in the order they are written
    (sheet by sheet, top to bottom), each with its final styles; the cells the sheet already holds
    are numbered first, as they come first. A row is either here or among the sheet's cells.
    """

    def __init__(self, ws: Any) -> None:
        styles = _StyleIds(ws.parent)
        sheet_rows_xml(ws, styles)  # its cells' styles numbered now, as they will be written
        self._text = _CellText(styles)
        self.rows: dict[int, str] = {}
        self.columns = (0, 0)  # the first and last column with a cell; (0, 0) while there is none
        ws._text_rows = self  # where sheet_rows_xml finds them

    def add(self, row: int, cells: list[Any]) -> None:
        """One row's cells (openpyxl's, for the time it takes to write them); none: no row.

        Raises ``_Unwritable`` for a cell it does not know how to write."""
        if not cells:
            return
        self.rows[row] = self._text.row(row, cells)
        self._spans(cells[0].column, cells[-1].column)

    def add_values(self, row: int, cells: Sequence[tuple[object, str, Any]]) -> None:
        """One row given as each cell's (value, data type, style array) from column A: the row
        :meth:`add` would write for such cells, without making them."""
        if not cells:
            return
        out: list[str] = []
        put = self._text.put
        for col, (value, kind, style) in enumerate(cells, 1):
            put(out, row, col, value, kind, style)
        self.rows[row] = "".join(out)
        self._spans(1, len(cells))

    def _spans(self, first: int, last: int) -> None:
        self.columns = (min(first, self.columns[0] or first), max(last, self.columns[1]))


def _dimension(ws: Any, text: TextRows | None) -> str:
    """The ``<dimension ref>`` as ``ws.calculate_dimension`` gives it, counting the text rows' cells."""
    rows = {row for row, _col in ws._cells}
    cols = {col for _row, col in ws._cells}
    if text is not None and text.rows:
        rows.update((min(text.rows), max(text.rows)))
        cols.update(text.columns)
    if not rows:
        return "A1:A1"
    return f"{get_column_letter(min(cols))}{min(rows)}:{get_column_letter(max(cols))}{max(rows)}"


def sheet_rows_xml(ws: Any, styles: _StyleIds) -> bytes:
    """The ``<sheetData>`` element of a worksheet, as openpyxl's ``write_rows`` would write it: its
    cells and its text rows.

    Raises ``_Unwritable`` at the first cell it does not know how to write.
    """
    by_row: dict[int, list[Any]] = {}
    for key in sorted(ws._cells):
        by_row.setdefault(key[0], []).append(ws._cells[key])
    text: TextRows | None = getattr(ws, "_text_rows", None)
    written = text.rows if text is not None else {}
    if written.keys() & by_row.keys():
        raise AssertionError("a worksheet row both as cells and as text")
    dims = ws.row_dimensions
    cell_text = _CellText(styles)
    out = ["<sheetData>"]
    for row in sorted(by_row.keys() | written.keys() | dims.keys()):
        attrs = "".join(f' {k}="{_xml(v, _ATTR_ESCAPES)}"' for k, v in dims[row]) if row in dims else ""
        cells = written.get(row)
        if cells is None:
            cells = cell_text.row(row, by_row.get(row, ()))
        out.append(f'<row r="{row}"{attrs}>{cells}</row>')
    out.append("</sheetData>")
    return "".join(out).encode("ascii")


class _SheetWriter(WorksheetWriter):  # type: ignore[misc]
    """openpyxl's worksheet writer, writing an empty ``<sheetData/>`` where its rows go."""

    def write_dimensions(self) -> None:
        self.xf.send(SheetDimension(_dimension(self.ws, getattr(self.ws, "_text_rows", None))).to_tree())

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
            if getattr(ws, "_text_rows", None) is not None:  # openpyxl would leave them out
                raise
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
