"""An entry form (a month's or the year-end one) as .xlsx: instructions, a protected sheet per cell, facts.

Labels are locked and input cells are not; each input has its dropdown or number range and an input
message. A hidden, protected sheet says what the form was made for (workspace, period, each sheet's
unit and framework with a hash of it), so that import can refuse a form made for something else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from chibo4tot.forms.fields import FORM_VERSION, NO, YES, Row, Values
from chibo4tot.i18n import _
from chibo4tot.models.framework import Framework
from chibo4tot.models.workspace import Unit
from chibo4tot.report.xlsx_sheet import (
    BASE_FONT,
    BOLD,
    GRID,
    HEADER_FILL,
    LINE_HEIGHT,
    MAX_SHEET_NAME,
    TITLE_FONT,
    clean_text,
    setup,
    text_lines,
)
from chibo4tot.report.xlsx_write import workbook_bytes

META_SHEET = "_chibo4tot"
MARKER = "chibo4tot-form"
HEADER_ROW = 5
FIRST_ROW = HEADER_ROW + 1
KEY_COLUMN = 7  # G: each row's key, hidden
CODE, LABEL, HINT, VALUE, NOTE, EVIDENCE = range(1, 7)
WIDTHS = {CODE: 8, LABEL: 58, HINT: 22, VALUE: 18, NOTE: 28, EVIDENCE: 28, KEY_COLUMN: 16}
DATE_FORMAT = "dd/mm/yyyy"
SECTION_FILL = PatternFill(fill_type="solid", start_color="F2F2F2", end_color="F2F2F2")
INPUT_FILL = PatternFill(fill_type="solid", start_color="FFFFE0", end_color="FFFFE0")
_SUFFIXES = {VALUE: "", NOTE: "|note", EVIDENCE: "|evidence"}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_PROMPT_MAX, _TITLE_MAX = 250, 32  # Excel's limits for a validation's message and its title


@dataclass(frozen=True, slots=True)
class CellForm:
    """One cell's sheet: for whom, by which framework, its rows and the values already recorded."""

    unit: Unit
    framework: Framework
    rows: list[Row]
    values: Values


def framework_hash(fw: Framework) -> str:
    """What the form remembers of the framework it was made from (the merged one, all of it)."""
    return hashlib.sha256(fw.model_dump_json().encode("utf-8")).hexdigest()[:16]


def sheet_names(units: list[Unit]) -> list[str]:
    """A sheet name for each unit: its name, within Excel's 31 characters and rules, unique."""
    taken = {_("Hướng dẫn").casefold(), META_SHEET.casefold()}
    out = []
    for unit in units:
        base = _BAD_SHEET_CHARS.sub("-", unit.name).strip("' ") or unit.id
        name, n = base[:MAX_SHEET_NAME], 1
        while name.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        taken.add(name.casefold())
        out.append(name)
    return out


def _text(ws: Any, row: int, column: int, value: object, **style: Any) -> Any:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"  # user text stays text: "=…" is never a formula
    elif isinstance(value, Decimal):
        cell.value = float(value)
    elif isinstance(value, bool):
        cell.value = YES if value else NO
    else:
        cell.value = value
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _validation(row: Row) -> DataValidation:
    dv: DataValidation
    if row.kind in ("yesno", "choice") or (row.kind == "absentee"):
        items = ",".join(c.replace('"', '""') for c in row.choices)
        dv = DataValidation(type="list", formula1=f'"{items}"', allow_blank=True)
    elif row.kind == "date":
        assert row.low is not None and row.high is not None
        first, last = dt.date.fromordinal(int(row.low)), dt.date.fromordinal(int(row.high))
        dv = DataValidation(
            type="date",
            operator="between",
            formula1=str(int(to_excel(first))),
            formula2=str(int(to_excel(last))),
            allow_blank=True,
        )
    elif row.kind in ("whole", "number") and not row.choices:
        kind = "whole" if row.kind == "whole" else "decimal"
        top = row.high
        if top is None:
            dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        else:
            dv = DataValidation(
                type=kind, operator="between", formula1="0", formula2=f"{top.normalize():f}", allow_blank=True
            )
    else:
        dv = DataValidation(allow_blank=True)
    dv.showErrorMessage = dv.type is not None
    dv.errorTitle = _("Giá trị không hợp lệ")[:_TITLE_MAX]
    dv.error = (_("Cách ghi: {hint}").format(hint=row.hint))[:_PROMPT_MAX]
    dv.showInputMessage = True
    dv.promptTitle = (row.code or _("Cách ghi"))[:_TITLE_MAX]
    dv.prompt = (f"{row.hint}" if row.kind != "absentee" else _("Họ tên; cột bên phải: có lý do hay không"))[
        :_PROMPT_MAX
    ]
    return dv


def _period_words(period: str) -> str:
    """``2024-03`` → "tháng 03/2024", ``2024`` → "năm 2024"."""
    if len(period) == 4:
        return _("năm {yyyy}").format(yyyy=period)
    return _("tháng {mm}/{yyyy}").format(mm=period[5:], yyyy=period[:4])


def _cell_sheet(wb: Any, name: str, form: CellForm, period: str, org: str) -> None:
    ws = wb.create_sheet(name)
    for column, width in WIDTHS.items():
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.column_dimensions[get_column_letter(KEY_COLUMN)].hidden = True
    wrap = Alignment(vertical="top", wrap_text=True)
    title = _("BIỂU TỰ ĐÁNH GIÁ “CHI BỘ 4 TỐT” {period}").format(period=_period_words(period).upper())
    _text(ws, 1, 1, title, font=TITLE_FONT, alignment=Alignment(horizontal="center"))
    _text(ws, 2, 1, f"{form.unit.name} — {org}", font=BOLD, alignment=Alignment(horizontal="center"))
    subtitle = _("Khung tiêu chí: {title}").format(title=form.framework.title)
    _text(ws, 3, 1, subtitle, alignment=Alignment(horizontal="center", wrap_text=True))
    ws.row_dimensions[3].height = 32
    for top in (1, 2, 3):
        ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=EVIDENCE)
    headers = (_("Mã"), _("Nội dung"), _("Cách ghi"), _("Giá trị"), _("Ghi chú"), _("Minh chứng"), _("Khóa"))
    for column, header in enumerate(headers, 1):
        _text(ws, HEADER_ROW, column, header, font=BOLD, fill=HEADER_FILL, border=GRID, alignment=wrap)
    free = Protection(locked=False)
    for r, row in enumerate(form.rows, FIRST_ROW):
        _text(ws, r, KEY_COLUMN, row.key)
        if row.kind == "section":
            _text(ws, r, CODE, "", fill=SECTION_FILL, border=GRID)
            _text(ws, r, LABEL, row.label, font=BOLD, fill=SECTION_FILL, border=GRID, alignment=wrap)
            for column in (HINT, VALUE, NOTE, EVIDENCE):
                _text(ws, r, column, "", fill=SECTION_FILL, border=GRID)
            ws.row_dimensions[r].height = (
                LINE_HEIGHT * text_lines(row.label, WIDTHS[LABEL] * 0.9, bold=True) + 2
            )
            continue
        _text(ws, r, CODE, row.code, border=GRID, alignment=wrap)
        _text(ws, r, LABEL, row.label, border=GRID, alignment=wrap)
        _text(
            ws, r, HINT, row.hint, border=GRID, alignment=wrap, font=Font(name=BASE_FONT.name, sz=10, i=True)
        )
        inputs = (
            (VALUE, NOTE, EVIDENCE)
            if row.item is not None
            else (VALUE, NOTE)
            if row.kind == "absentee"
            else (VALUE,)
        )
        for column in (VALUE, NOTE, EVIDENCE):
            suffix = {
                VALUE: "",
                NOTE: "|reason" if row.kind == "absentee" else "|note",
                EVIDENCE: "|evidence",
            }[column]
            value = form.values.get(row.key + suffix)
            if column not in inputs:
                _text(ws, r, column, "", border=GRID)
                continue
            cell = _text(ws, r, column, value, border=GRID, alignment=wrap, protection=free, fill=INPUT_FILL)
            if row.kind == "date" and column == VALUE:
                cell.number_format = DATE_FORMAT
        target = f"{get_column_letter(VALUE)}{r}"
        dv = _validation(row)
        ws.add_data_validation(dv)
        if row.kind == "absentee":
            dv.add(f"{get_column_letter(NOTE)}{r}")
            name_prompt = DataValidation(allow_blank=True, showInputMessage=True)
            name_prompt.promptTitle, name_prompt.prompt = _("Họ tên"), _("Họ tên đảng viên vắng mặt")
            ws.add_data_validation(name_prompt)
            name_prompt.add(target)
        else:
            dv.add(target)
        texts = [(row.label, WIDTHS[LABEL] * 0.9), (row.hint, WIDTHS[HINT] * 1.3)]  # hints in 10 pt
        texts += [(str(form.values.get(row.key + sfx) or ""), WIDTHS[col]) for col, sfx in _SUFFIXES.items()]
        ws.row_dimensions[r].height = LINE_HEIGHT * max(text_lines(text, width) for text, width in texts) + 2
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{get_column_letter(EVIDENCE)}{FIRST_ROW + len(form.rows) - 1}"
    setup(ws)
    ws.page_setup.orientation = "landscape"
    ws.protection.sheet = True
    ws.protection.formatRows = False  # a secretary may make a row taller to read a long note
    ws.protection.formatColumns = False


def _instructions(wb: Any, period: str, org: str, names: list[str]) -> None:
    ws = wb.create_sheet(_("Hướng dẫn"))
    ws.column_dimensions["A"].width = 110
    lines = [
        _("HƯỚNG DẪN ĐIỀN BIỂU TỰ ĐÁNH GIÁ {period}").format(period=_period_words(period).upper()),
        org,
        "",
        _("1. Mỗi chi bộ có một trang tính riêng, mang tên chi bộ. Chỉ điền vào các ô màu vàng nhạt."),
        _(
            "2. Cột “Giá trị”: chọn trong danh sách thả xuống (Tốt / Khá…; Đạt / Không đạt; Có / Không) "
            "hoặc ghi số trong khoảng cho phép; điểm lẻ ghi 8,5 hoặc 8.5 đều được."
        ),
        _(
            "3. Ngày ghi theo dạng ngày/tháng/năm, ví dụ 12/03/2024; ngày phải thuộc {period} của biểu."
        ).format(period=_period_words(period)),
        _(
            "4. Có mặt + vắng có lý do + vắng không lý do phải bằng tổng số đảng viên trừ số được miễn "
            "sinh hoạt. Ghi họ tên từng đảng viên vắng mặt và chọn có lý do hay không."
        )
        if len(period) != 4
        else _(
            "4. Số đảng viên theo từng mức xếp loại (kể cả chưa xếp loại) cộng lại phải bằng số đảng "
            "viên cuối năm. Mỗi vụ kỷ luật ghi vào một nhóm hàng “Vụ 1”, “Vụ 2”…"
        ),
        _("5. Chỉ tiêu được phép “Không áp dụng” thì chọn “Không áp dụng” và ghi lý do ở cột Ghi chú."),
        _("6. Cột “Minh chứng”: mỗi minh chứng một dòng (Alt+Enter để xuống dòng trong ô)."),
        _(
            "7. Không đổi tên, thêm, xóa hay di chuyển trang tính, hàng, cột; không gộp ô; không dùng "
            "công thức. Biểu có khóa bảo vệ để tránh sửa nhầm nội dung."
        ),
        _(
            "8. Điền xong, lưu tệp (giữ định dạng .xlsx) và gửi lại văn phòng đảng ủy. Văn phòng nhập "
            "bằng lệnh “chibo4tot import”; mọi chỗ sai được báo theo trang tính và ô để sửa."
        ),
        "",
        _("Các chi bộ trong biểu: {names}").format(names="; ".join(names)),
    ]
    for r, line in enumerate(lines, 1):
        _text(ws, r, 1, line, font=TITLE_FONT if r == 1 else BASE_FONT, alignment=Alignment(wrap_text=True))
    setup(ws)
    ws.page_setup.orientation = "portrait"
    ws.protection.sheet = True


def _meta(wb: Any, workspace: str, period: str, cells: list[tuple[str, CellForm]]) -> None:
    ws = wb.create_sheet(META_SHEET)
    rows: list[list[object]] = [
        [MARKER, FORM_VERSION],
        ["workspace", workspace],
        ["year" if len(period) == 4 else "month", period],
        ["kind", "year" if len(period) == 4 else "month"],
        ["instructions", _("Hướng dẫn")],
        ["sheet", "unit", "framework", "framework_hash"],
    ]
    rows += [[name, f.unit.id, f.framework.id, framework_hash(f.framework)] for name, f in cells]
    for r, values in enumerate(rows, 1):
        for c, value in enumerate(values, 1):
            _text(ws, r, c, value)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def build_form(*, workspace: str, org: str, period: str, cells: list[CellForm], today: dt.date) -> Any:
    """The whole workbook in memory."""
    wb = Workbook()
    wb.remove(wb.active)
    wb._named_styles["Normal"].font = BASE_FONT
    props = wb.properties
    props.creator = props.lastModifiedBy = "chibo4tot"
    props.created = props.modified = dt.datetime.combine(today, dt.time())
    props.title = clean_text(
        _("Biểu tự đánh giá {period} — {org}").format(period=_period_words(period), org=org)
    )
    props.language = "vi-VN"
    names = sheet_names([c.unit for c in cells])
    _instructions(wb, period, org, names)
    for name, form in zip(names, cells, strict=True):
        _cell_sheet(wb, name, form, period, org)
    _meta(wb, workspace, period, list(zip(names, cells, strict=True)))
    wb.active = 1 if cells else 0
    return wb


def render_form(*, workspace: str, org: str, period: str, cells: list[CellForm], today: dt.date) -> bytes:
    return workbook_bytes(build_form(workspace=workspace, org=org, period=period, cells=cells, today=today))
