"""One printable table on a worksheet: title rows, a header row, column styles, text always stored as text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from chibo4tot.formatting import visible_controls
from chibo4tot.i18n import _
from chibo4tot.report.xlsx_write import TextRows

FONT_NAME = "Times New Roman"
FONT_SIZE = 12
POINTS = "0.00"
RATE = "0.00%"
HEADER_ROW = 4  # rows 1–2: title and subtitle, row 3 blank
MAX_SHEET_NAME = 31
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell

BASE_FONT = Font(name=FONT_NAME, sz=FONT_SIZE, family=1)
BOLD = Font(name=FONT_NAME, sz=FONT_SIZE, family=1, b=True)
TITLE_FONT = Font(name=FONT_NAME, sz=14, family=1, b=True)
SUBTITLE_FONT = Font(name=FONT_NAME, sz=FONT_SIZE, family=1, i=True)
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINE_HEIGHT = 15.75  # points, one line of 12 pt Times New Roman
HEADER_FILL = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)

# Colours of the conditional formats (background, text): Excel's own "good" and "bad" pairs.
GREEN = ("C6EFCE", "006100")
RED = ("FFC7CE", "9C0006")
AMBER = ("FFEB9C", "9C5700")

# The cell-guard rule of ``score --format csv`` (the workbook stores every string as a text cell,
# ``new_cell``): a text cell that starts like a formula is kept as text. Excel and
# LibreOffice take "+", "-" and "@" as a formula's start as well as "=", and some importers drop
# a leading TAB or CR before they look. A plain number ("-1,50", "+3", "12%") is not a formula:
# it stays a number.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*%?")


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would take this text cell as a formula rather than show it."""
    return text.startswith(FORMULA_START) and _PLAIN_NUMBER.fullmatch(text) is None


Value = str | int | Decimal | None


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table: its header, width (in characters) and how its cells look."""

    header: str
    width: float
    number_format: str | None = None
    wrap: bool = False
    centre: bool = False


def clean_text(value: str) -> str:
    """User text as a cell can hold it: every control shown as a visible stand-in
    (``formatting.CONTROLS``; openpyxl refuses XML-illegal ones), at most Excel's cell length."""
    return visible_controls(value)[:MAX_CELL_TEXT]


def text_lines(text: str, width: float, *, bold: bool = False) -> int:
    """How many lines a wrapped text takes in a column: an estimate. 12 pt Times New Roman fits
    1.1–1.3 characters a width unit (fewer with capitals, fewer in bold); the low end is used,
    as a row a little too tall reads better than one that hides text."""
    per_line = max(1, int(width * (0.95 if bold else 1.1)) - 2)
    return sum(-(-len(part) // per_line) or 1 for part in text.split("\n"))


def plain_kind(value: object) -> str | None:
    """The data type openpyxl gives a cell of this value ("n", "b"), or "s" for any string (kept as
    text); None for values of other types, left to openpyxl's own cell."""
    if value is None or isinstance(value, int | Decimal | float):
        return "b" if isinstance(value, bool) else "n"
    if isinstance(value, str):
        return "s"
    return None


def new_cell(ws: Any, row: int, column: int, value: Value | float, style: Any) -> Cell:
    """The cell ``Cell(ws, row, column, value, style_array=style)`` would make, with any string stored
    as text (a name like "=HYPERLINK(…)" is shown, never run).

    Half a million cells at 5,000 units: openpyxl's constructor checks each value's type and scans
    each string for characters XML forbids, which ``clean_text`` has already replaced; setting the
    slots directly costs a fifth of that. Values of any other type go through the constructor.
    """
    kind = plain_kind(value)
    if kind is None:
        return Cell(ws, row, column, value, style_array=style)
    cell = Cell.__new__(Cell)
    cell.parent = ws
    cell._style = None if style is None else copy(style)  # each cell owns its style array
    cell.row = row
    cell.column = column
    cell._value = value
    cell.data_type = kind
    cell._hyperlink = None
    cell._comment = None
    return cell


class Sheet:
    """A worksheet holding one titled table; rows are appended, each column styled from one template.

    Styling every cell through openpyxl's attribute setters costs a few microseconds a cell; each
    cell is given its column's style array instead (``Cell(style_array=…)``, as openpyxl's own
    ``copy_worksheet`` does), so a 5,000-unit workbook stays in seconds. The rows below the header
    are written as XML text when added (``xlsx_write.TextRows``): a plain row without making its
    cells at all, so half a million cells are never held until the file is written.
    """

    def __init__(
        self,
        wb: Any,
        name: str,
        title: str,
        subtitle: str,
        columns: Sequence[Column],
        note: str | None = None,
    ) -> None:
        """``note``: a line under the subtitle, above the table (else that row is blank)."""
        self.ws = wb.create_sheet(name[:MAX_SHEET_NAME])
        self._text: TextRows | None = None
        self.row = 0
        self.columns = list(columns)
        self.last_col = get_column_letter(len(self.columns))
        self._styles = [self._template(col) for col in self.columns]
        self._header_style = self._template(Column("", 0, wrap=True, centre=True), header=True)
        self._wrapped = [i for i, col in enumerate(self.columns) if col.wrap]
        for i, col in enumerate(self.columns, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = col.width
        self.add([title], styled=False, font=TITLE_FONT)
        self.add([subtitle], styled=False, font=SUBTITLE_FONT)
        for row in (1, 2):
            self.ws.merge_cells(f"A{row}:{self.last_col}{row}")
            self.ws.cell(row=row, column=1).alignment = CENTRED
        self.add([note] if note else [], styled=False)
        if note:
            self.ws.merge_cells(f"A3:{self.last_col}3")
            self.ws.cell(row=3, column=1).alignment = CENTRED
        self.header([c.header for c in self.columns])
        self._text = TextRows(self.ws)  # the rows below the header: text from the start

    def _template(self, col: Column, *, header: bool = False) -> Any:
        template = Cell(self.ws)  # never placed on the sheet: it only registers the style
        template.border = GRID
        template.alignment = Alignment(
            horizontal="center" if col.centre else None,
            vertical="center" if header else "top",
            wrap_text=col.wrap or None,
        )
        if col.number_format:
            template.number_format = col.number_format
        if header:
            template.font = BOLD
            template.fill = HEADER_FILL
        return template._style  # no public getter for a cell's style array

    def section(self, columns: Sequence[Column]) -> int:
        """A second table under the first on the same sheet, of no more columns: its own columns'
        styles and header row (each column as wide as the wider of the two). Returns the header's row."""
        self.columns = list(columns)
        self._styles = [self._template(col) for col in self.columns]
        self._wrapped = [i for i, col in enumerate(self.columns) if col.wrap]
        for i, col in enumerate(self.columns, 1):
            dimension = self.ws.column_dimensions[get_column_letter(i)]
            dimension.width = max(dimension.width or 0, col.width)
        return self.header([c.header for c in self.columns])

    def letter(self, column: int) -> str:
        return str(get_column_letter(column))

    def add(self, values: Sequence[Value], *, styled: bool = True, font: Font | None = None) -> int:
        """Append one row (inside the table's grid unless ``styled`` is off); strings stay strings
        whatever they start with. Returns the row number."""
        return self._append(values, self._styles if styled else None, font)

    def header(self, values: Sequence[Value]) -> int:
        """The table's header row: bold on grey, centred, tall enough for its wrapped labels."""
        r = self._append(values, [self._header_style] * len(self.columns), None)
        lines = [
            text_lines(str(v), col.width, bold=True) for v, col in zip(values, self.columns, strict=True) if v
        ]
        self.ws.row_dimensions[r].height = LINE_HEIGHT * max(lines, default=1)
        return r

    def _append(self, values: Sequence[Value], styles: list[Any] | None, font: Font | None) -> int:
        ws = self.ws
        row: int = ws._current_row + 1
        self.row = row
        width = max(len(values), len(styles) if styles else 0)
        cleaned = [values[c] if c < len(values) else None for c in range(width)]
        cleaned = [clean_text(v) or None if isinstance(v, str) else v for v in cleaned]
        looks = styles or [None] * width
        plain = [
            (v, k, look) for v, look in zip(cleaned, looks, strict=True) if (k := plain_kind(v)) is not None
        ]
        if self._text is not None and font is None and len(plain) == width:
            # The common row: no cell objects at all, each column's shared style array as it is.
            self._text.add_values(row, plain)
        else:
            cells = [
                new_cell(ws, row, c, v, look)
                for c, (v, look) in enumerate(zip(cleaned, looks, strict=True), 1)
            ]
            if font is not None:
                for cell in cells:
                    cell.font = font
            if self._text is not None:
                self._text.add(row, cells)
            else:  # the title and header rows, changed after they are added (merged, centred)
                ws._cells.update(((row, cell.column), cell) for cell in cells)
        ws._current_row = row  # as ``ws.append`` keeps it
        if styles is self._styles:  # a data row: tall enough for its wrapped texts
            lines = 1
            for c in self._wrapped:
                value = values[c] if c < len(values) else None
                if isinstance(value, str):
                    lines = max(lines, text_lines(value, self.columns[c].width))
            if lines > 1:
                ws.row_dimensions[row].height = LINE_HEIGHT * lines
        return row

    def colour(self, cells: str, rules: Sequence[tuple[str, tuple[str, str]]]) -> None:
        """Conditional colours for exact texts (e.g. Đạt green, Không đạt red) over a range."""
        for text, (background, foreground) in rules:
            fill = PatternFill(fill_type="solid", start_color=background, end_color=background)
            quoted = '"' + text.replace('"', '""') + '"'
            rule = CellIsRule(operator="equal", formula=[quoted], fill=fill, font=Font(color=foreground))
            self.ws.conditional_formatting.add(cells, rule)

    def finish(self, freeze: str, *, autofilter: bool = True) -> None:
        """Frozen panes under the header, repeated header row, A4 landscape fit to width, footer."""
        ws = self.ws
        ws.freeze_panes = freeze
        if autofilter and self.row > HEADER_ROW:
            ws.auto_filter.ref = f"A{HEADER_ROW}:{self.last_col}{self.row}"
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        setup(ws)


def setup(ws: Any) -> None:
    """Print settings shared by every sheet."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    footer = ws.oddFooter.center
    footer.text = _("Trang {page}/{pages}").format(page="&P", pages="&N")
    footer.font = f"{FONT_NAME},Regular"
    footer.size = 11
