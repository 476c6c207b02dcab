"""The workbook writer: rows as openpyxl writes them, byte for byte; what it cannot write goes to openpyxl."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.writer.excel import ExcelWriter

from chibo4tot.report import xlsx_write
from chibo4tot.report.xlsx_sheet import Value, new_cell
from chibo4tot.report.xlsx_write import TextRows, _DatedZip, sheet_rows_xml, workbook_bytes
from tests.xlsx_dump import dump_workbook

STAMP = dt.datetime(2025, 1, 15)

TEXTS: list[Value | float] = [
    "Chi bộ thôn Mã Pì Lèng",
    "  leading and trailing  ",
    "a & b < c > d \"quoted\" 'single'",
    "line\nbreak\tand tab\rand return",
    "emoji 😀 and Ω",
    "",
    '=HYPERLINK("http://x","y")',
    "#N/A",
]
NUMBERS: list[Value | float] = [
    0,
    1,
    -7,
    10**15,
    Decimal("20.17"),
    Decimal("0.4152"),
    Decimal("100.00"),
    1.5,
    1e-7,
    True,
    False,
]


def stock_bytes(wb: Any) -> bytes:
    """The same workbook through openpyxl's writer alone."""
    buffer = io.BytesIO()
    ExcelWriter(wb, _DatedZip(buffer, STAMP)).save()
    return buffer.getvalue()


def tricky_workbook(extra: Callable[[Any], None] | None = None) -> Any:
    wb = Workbook()
    wb.properties.created = wb.properties.modified = STAMP  # "modified" is otherwise the second it was made
    ws = wb.active
    ws.title = "Một"
    grid = Border(left=Side(style="thin"))
    ws.append(["Tiêu đề"])
    ws["A1"].font = Font(b=True)
    ws.merge_cells("A1:D1")
    ws.append([])
    for i, value in enumerate([*TEXTS, *NUMBERS, None], start=3):
        styled = new_cell(ws, i, 2, value, None)
        ws._cells[i, 2] = styled
        styled.border = grid
        styled.number_format = "0.00" if i % 2 else "General"
        if not (isinstance(value, str) and value.startswith("=")):  # that one would be a formula
            ws.cell(row=i, column=1, value=value)  # openpyxl's own cell beside it
        ws.cell(row=i, column=4).alignment = Alignment(wrap_text=True)  # styled, no value
    ws.row_dimensions[5].height = 31.5
    ws.row_dimensions[40].height = 20  # a styled row with no cell at all
    ws.row_dimensions[2].hidden = True
    other = wb.create_sheet("Hai")
    other.append([None, "chỉ một ô", None])
    wb.create_sheet("Trống")
    if extra is not None:
        extra(wb)
    return wb


def written_by_text(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the sheets whose rows ``sheet_rows_xml`` wrote (rather than handed to openpyxl)."""
    titles: list[str] = []

    def spy(ws: Any, styles: Any) -> bytes:
        rows = sheet_rows_xml(ws, styles)
        titles.append(ws.title)
        return rows

    monkeypatch.setattr(xlsx_write, "sheet_rows_xml", spy)
    return titles


def test_rows_are_openpyxls_own_xml_byte_for_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    titles = written_by_text(monkeypatch)
    ours, stock = workbook_bytes(tricky_workbook()), stock_bytes(tricky_workbook())
    assert titles == ["Một", "Hai", "Trống"]
    with zipfile.ZipFile(io.BytesIO(ours)) as a, zipfile.ZipFile(io.BytesIO(stock)) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
    assert ours == stock


def test_values_read_back_as_written() -> None:
    ws = dump_workbook(workbook_bytes(tricky_workbook()))
    assert 'B9\ts\t0.00\t\'=HYPERLINK("http://x","y")\'' in ws  # text, never a formula
    assert "B10\ts\tGeneral\t'#N/A'" in ws  # text, where openpyxl's own cell is an error code
    assert "A10\te\tGeneral\t'#N/A'" in ws
    assert "B21\tb\t0.00\tFalse" in ws
    assert "B7\ts\t0.00\t'emoji 😀 and Ω'" in ws


def _formula(wb: Any) -> None:
    wb["Hai"]["A5"] = "=1+1"


def _date(wb: Any) -> None:
    wb["Hai"]["A5"] = dt.date(2024, 3, 1)


def _comment(wb: Any) -> None:
    wb["Hai"]["A5"] = "x"
    wb["Hai"]["A5"].comment = Comment("ghi chú", "tác giả")


def _comment_on_an_empty_cell(wb: Any) -> None:
    wb["Hai"]["C7"].comment = Comment("ô trống có ghi chú", "tác giả")


def _hyperlink(wb: Any) -> None:
    wb["Hai"]["A5"] = "x"
    wb["Hai"]["A5"].hyperlink = "https://example.org"


@pytest.mark.parametrize("extra", [_formula, _date, _comment, _comment_on_an_empty_cell, _hyperlink])
def test_what_it_does_not_write_goes_to_openpyxl(
    extra: Callable[[Any], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    titles = written_by_text(monkeypatch)
    assert workbook_bytes(tricky_workbook(extra)) == stock_bytes(tricky_workbook(extra))
    assert titles == ["Một", "Trống"]  # "Hai" was openpyxl's


def test_text_rows_are_written_with_the_sheets_cells_in_row_order() -> None:
    wb = tricky_workbook()
    ws = wb["Hai"]
    rows = TextRows(ws)
    later = Workbook()  # the same rows as cells, for comparison
    later.remove(later.active)
    for name in wb.sheetnames:
        later.create_sheet(name)
    later["Hai"].append([None, "chỉ một ô", None])
    for row, values in ((3, ["ba", 3]), (5, [Decimal("5.5"), None, "năm"])):
        rows.add_values(row, [(v, "s" if isinstance(v, str) else "n", None) for v in values])
        for col, value in enumerate(values, 1):
            later["Hai"].cell(row=row, column=col, value=value)
    ours, theirs = dump_workbook(workbook_bytes(wb)), dump_workbook(workbook_bytes(later))
    assert ours.split("Hai", 1)[1] == theirs.split("Hai", 1)[1]
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(wb))) as archive:
        assert b'<dimension ref="A1:C5"/>' in archive.read("xl/worksheets/sheet2.xml")


def test_a_sheet_with_text_rows_is_never_handed_to_openpyxl() -> None:
    """openpyxl's writer knows only the cells: the text rows would silently go missing."""
    wb = tricky_workbook()
    TextRows(wb["Hai"]).add_values(4, [("bốn", "s", None)])
    wb["Hai"]["A5"] = dt.date(2024, 3, 1)  # a cell the text writer leaves to openpyxl
    with pytest.raises(xlsx_write._Unwritable):
        workbook_bytes(wb)
