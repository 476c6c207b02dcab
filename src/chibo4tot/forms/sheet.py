"""A filled sheet's cells → its values by row key, every problem located as ``sheet › cell``.

Rows are found by the key each one keeps in a hidden column, never by position: a row deleted,
inserted, copied or merged is told, and a value is read only against the row it belongs to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chibo4tot.errors import Problem
from chibo4tot.forms.fields import NOT_APPLICABLE, Row, Values, read_cell
from chibo4tot.forms.making import CellPeriod, rows_for
from chibo4tot.forms.reading import SheetCells
from chibo4tot.forms.workbook import EVIDENCE, FIRST_ROW, KEY_COLUMN, NOTE, VALUE
from chibo4tot.i18n import _
from chibo4tot.inputs.values import ValueProblem

_COLUMNS = "ABCDEFG"


class SheetReport:
    """Problems of one sheet, each located as ``sheet › cell``."""

    def __init__(self, path: Path, name: str, problems: list[Problem]) -> None:
        self.path, self.name, self.problems = path, name, problems
        self.bad = False

    def add(
        self, message: str, row: int | None = None, column: int | None = None, where: str | None = None
    ) -> None:
        place = self.name
        if where is not None:
            place += f" › {where}"
        elif row is not None:
            place += f" › {_COLUMNS[(column or VALUE) - 1]}{row}"
        self.problems.append(Problem(self.path, message, where=place, code="form"))
        self.bad = True


def _text_value(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def read_sheet(
    sheet: SheetCells, cell: CellPeriod, report: SheetReport
) -> tuple[list[Row], Values, dict[str, int]] | None:
    """The sheet's values by row key, or None when its rows cannot be trusted (problems are told)."""
    for ref in sheet.merged:
        first_row = int("".join(ch for ch in ref.split(":")[0] if ch.isdigit()))
        if first_row >= FIRST_ROW - 1:
            report.add(
                _("các ô {range} bị gộp; hãy bỏ gộp ô (mỗi ô một giá trị)").format(range=ref), where=ref
            )
    keys: dict[str, int] = {}
    for (r, c), (value, _kind) in sorted(sheet.cells.items()):
        if c == KEY_COLUMN and r >= FIRST_ROW and isinstance(value, str):
            if value in keys:
                report.add(_("hàng này lặp lại hàng {row} (đã sao chép hàng?)").format(row=keys[value]), r, c)
            keys.setdefault(value, r)
    # As many absentee rows (cases of a year form) as the form was made with (the last of them, if
    # deleted, held nothing).
    group = "discipline." if cell.is_year else "absentee."
    numbers = [k.removeprefix(group).split(".")[0] for k in keys if k.startswith(group)]
    rows = rows_for(cell, max((int(n) for n in numbers if n.isdigit() and len(n) < 4), default=0))
    expected = {row.key: row for row in rows}
    for row in rows:
        if row.key not in keys:
            report.add(
                _("thiếu hàng “{label}” (hàng đã bị xóa?); hãy lập lại biểu bằng “chibo4tot form”").format(
                    label=row.label
                ),
                where=_("hàng {code}").format(code=row.code or row.label),
            )
    for key, r in keys.items():
        if key not in expected:
            report.add(_("hàng không thuộc biểu mẫu (khóa “{key}”)").format(key=key), r, KEY_COLUMN)
    known_rows = set(keys.values())
    for (r, c), (value, _kind) in sorted(sheet.cells.items()):
        if (
            r >= FIRST_ROW
            and c in (VALUE, NOTE, EVIDENCE)
            and r not in known_rows
            and _text_value(value) is not None
        ):
            report.add(_("ô có dữ liệu nhưng không thuộc hàng nào của biểu (hàng chèn thêm?)"), r, c)
    if report.bad:
        return None
    values: Values = {}
    for row in rows:
        if row.kind == "section":
            continue
        r = keys[row.key]
        columns = {VALUE: ""}
        if row.item is not None:
            columns.update({NOTE: "|note", EVIDENCE: "|evidence"})
        elif row.kind == "absentee":
            columns[NOTE] = "|reason"
        for column, suffix in columns.items():
            value, kind = sheet.cells.get((r, column), (None, "n"))
            if kind == "f":
                report.add(
                    _("ô chứa công thức ({formula}); hãy ghi giá trị, không dùng công thức").format(
                        formula=value
                    ),
                    r,
                    column,
                )
                continue
            if kind == "e":
                report.add(_("ô chứa lỗi {error} của Excel").format(error=value), r, column)
                continue
            value = _text_value(value)
            if value is None:
                continue
            try:
                if suffix == "|reason":
                    choice = Row(row.key, row.label, "choice", row.hint, row.choices)
                    values[row.key + suffix] = read_cell(choice, value)
                elif suffix:
                    values[row.key + suffix] = read_cell(Row(row.key, row.label, "text"), value)
                else:
                    values[row.key] = read_cell(row, value)
            except ValueProblem as exc:
                report.add(str(exc), r, column)
    if not values and not report.bad and cell.record is None:
        return rows, values, keys  # a cell that has not filled its sheet in: nothing to import
    for row in rows:
        if row.blank is not None and row.key not in values and not report_has(report, keys[row.key]):
            values[row.key] = row.blank
    # "Không" beside no thematic meeting, or for a case not found by the cell itself, says nothing.
    for key in [k for k, v in values.items() if v is False]:
        if key.endswith(".self_detected_remedied") or (
            key.startswith("thematic.") and key != "thematic.held" and values.get("thematic.held") is not True
        ):
            del values[key]
    _check_blanks(rows, values, keys, report)
    return rows, values, keys


def _check_blanks(rows: list[Row], values: Values, keys: dict[str, int], report: SheetReport) -> None:
    thematic = values.get("thematic.held") is True
    for row in rows:
        if row.kind == "section":
            continue
        r, value = keys[row.key], values.get(row.key)
        if row.required and value is None and not report_has(report, r):
            if row.item is not None:
                report.add(_("chưa ghi giá trị của chỉ tiêu {id}").format(id=row.code), r)
            else:
                report.add(_("chưa ghi “{label}”").format(label=row.label), r)
        if (
            row.key.startswith("thematic.")
            and row.key != "thematic.held"
            and value is not None
            and not thematic
        ):
            report.add(_("đã ghi nhưng ô “Có sinh hoạt chuyên đề” không phải Có"), r)
        if row.kind == "absentee":
            reason = values.get(row.key + "|reason")
            if value is not None and reason is None:
                report.add(_("chưa chọn vắng có lý do hay không lý do"), r, NOTE)
            if value is None and reason is not None:
                report.add(_("đã chọn lý do nhưng chưa ghi họ tên"), r)
        ind = row.item.indicator if row.item is not None else None
        if ind is not None and value == NOT_APPLICABLE and not ind.optional:
            report.add(_("chỉ tiêu “{id}” bắt buộc, không được ghi “không áp dụng”").format(id=row.code), r)


def report_has(report: SheetReport, row: int) -> bool:
    """Whether a problem is already told at this row's value (blank or not is then moot)."""
    mark = f" › {_COLUMNS[VALUE - 1]}{row}"
    return any(p.where is not None and p.where.endswith(mark) for p in report.problems)
