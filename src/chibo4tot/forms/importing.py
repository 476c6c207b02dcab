"""A filled form (month or year) → the records it makes, every problem located by sheet and cell, no guess.

The whole workbook is read and checked before anything is written: a problem anywhere stops every
sheet (or, with ``keep_going``, the sheets that have one). A record whose values are those already
recorded is left as it is, byte for byte; a changed one is written in ``new``'s layout, keeping what
the form does not carry (a vote, a review, events, notes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chibo4tot.errors import Problem
from chibo4tot.forms.fields import (
    FORM_VERSION,
    Row,
    Values,
    build_record,
)
from chibo4tot.forms.making import CellPeriod, cell_periods, load_form_workspace, values_for
from chibo4tot.forms.reading import SheetCells, read_form
from chibo4tot.forms.sheet import SheetReport, read_sheet
from chibo4tot.forms.workbook import (
    FIRST_ROW,
    MARKER,
    META_SHEET,
    framework_hash,
)
from chibo4tot.forms.year_fields import build_year_record
from chibo4tot.i18n import _
from chibo4tot.inputs.checks import check_record
from chibo4tot.inputs.loading import Workspace
from chibo4tot.inputs.messages import message_for
from chibo4tot.inputs.record_file import RecordFile
from chibo4tot.inputs.record_text import render_month_record, render_year_record
from chibo4tot.models.records import MonthRecord, YearRecord


@dataclass
class Planned:
    """One sheet's outcome: the record it makes, and whether that differs from what is on disk."""

    sheet: str
    unit: str
    path: Path
    text: str
    old: str | None  # the record file's text now, None when there is none
    changed: bool


@dataclass
class ImportPlan:
    """What import would do with a workbook: records to write, sheets refused, problems found."""

    period: str  # "2024-03", or "2024" for a year-end form
    planned: list[Planned] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # sheets with an error
    blank: list[str] = field(default_factory=list)  # sheets left empty, of cells with no record yet
    problems: list[Problem] = field(default_factory=list)


def _meta(sheets: dict[str, SheetCells]) -> tuple[dict[str, Any], list[list[Any]]]:
    meta = sheets[META_SHEET]
    grid: dict[int, dict[int, Any]] = {}
    for (r, c), (value, _kind) in meta.cells.items():
        grid.setdefault(r, {})[c] = value
    rows = [[grid[r].get(c) for c in range(1, 5)] for r in sorted(grid)]
    split = next((i for i, row in enumerate(rows) if row[0] == "sheet"), len(rows))
    head = {str(row[0]): row[1] for row in rows[:split] if row[0] is not None}
    return head, rows[split + 1 :]


def _key_of(loc: tuple[Any, ...], rows: list[Row], values: Values) -> str | None:
    keys = {row.key for row in rows}
    if not loc:
        return None
    if loc[0] in ("members", "new_members", "annual_classification"):
        return f"year.{loc[0]}"
    if loc[0] == "member_classification":
        return f"mc.{loc[1]}" if len(loc) > 1 and f"mc.{loc[1]}" in keys else "year.members"
    if loc[0] == "discipline" and len(loc) > 2 and isinstance(loc[1], int):
        cases = sorted({k.split(".")[1] for k in values if k.startswith("discipline.")}, key=int)
        if loc[1] < len(cases) and f"discipline.{cases[loc[1]]}.{loc[2]}" in keys:
            return f"discipline.{cases[loc[1]]}.{loc[2]}"
    if loc[0] == "meeting" and len(loc) == 1:
        return "meeting.present"
    if loc[0] == "assessment" and len(loc) > 1 and f"a.{loc[1]}" in keys:
        return f"a.{loc[1]}"
    if loc[0] == "meeting" and len(loc) > 2 and loc[1] == "absentees" and isinstance(loc[2], int):
        return f"absentee.{loc[2] + 1}"
    if len(loc) > 1 and f"{loc[0]}.{loc[1]}" in keys:
        return f"{loc[0]}.{loc[1]}"
    return None


def _tell(
    report: SheetReport,
    message: str,
    loc: tuple[Any, ...],
    rows: list[Row],
    keys: dict[str, int],
    values: Values,
) -> None:
    key = _key_of(loc, rows, values)
    if key is None:
        report.add(message)
    else:
        report.add(message, keys[key])


def _plan_sheet(
    file: Path, sheet: SheetCells, cell: CellPeriod, ws: Workspace, problems: list[Problem], force: bool
) -> Planned | None:
    period = cell.period
    report = SheetReport(file, sheet.name, problems)
    read = read_sheet(sheet, cell, report)
    if read is None or report.bad:
        return None
    rows, values, keys = read
    if not values:
        return None
    unchanged = cell.record is not None and values == values_for(rows, cell)
    model: type[MonthRecord] | type[YearRecord]
    if cell.is_year:
        base = cell.record if isinstance(cell.record, YearRecord) else None
        data = build_year_record(rows, values, base, cell.unit.id, int(period), cell.framework.id)
        model = YearRecord
    else:
        base_month = cell.record if isinstance(cell.record, MonthRecord) else None
        data = build_record(rows, values, base_month, cell.unit.id, period, cell.framework.id)
        model = MonthRecord
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            _tell(report, message_for(error, model), tuple(error["loc"]), rows, keys, values)
        return None
    rf = RecordFile(cell.path, int(period[:4]), cell.unit.id, cell.path.stem, record)
    kinds = {u.id: u.kind.value for u in ws.units}
    for problem in check_record(rf, kinds, ws.config, {cell.framework.id: cell.framework}):
        if problem.severity.name == "ERROR":
            _tell(report, problem.message, problem.loc, rows, keys, values)
    if report.bad:
        return None
    old = cell.path.read_text(encoding="utf-8") if cell.path.is_file() else None
    if unchanged:
        assert old is not None
        return Planned(sheet.name, cell.unit.id, cell.path, old, old, False)
    if old is not None and not force:
        report.add(
            _(
                "đã có hồ sơ {path} với số liệu khác; thêm --force để ghi đè (xem trước bằng --dry-run)"
            ).format(path=cell.path.relative_to(cell.path.parents[3]).as_posix())
        )
        return None
    if isinstance(record, YearRecord):
        text = render_year_record(cell.framework, cell.unit, record.year, record)
    else:
        text = render_month_record(cell.framework, cell.unit, period, record)
    return Planned(sheet.name, cell.unit.id, cell.path, text, old, text != old)


def plan_import(file: Path, root: Path, *, month: str | None = None, force: bool = False) -> ImportPlan:
    """Read and check the whole workbook; what it would write. Writes nothing."""
    sheets = {s.name: s for s in read_form(file)}
    problems: list[Problem] = []
    meta = sheets.get(META_SHEET)
    if meta is None:
        problems.append(
            Problem(
                file,
                _("tệp không phải biểu mẫu do “chibo4tot form” lập (không có trang {name})").format(
                    name=META_SHEET
                ),
            )
        )
        return ImportPlan(month or "", problems=problems)
    head, listed = _meta(sheets)
    kind = head.get("kind")
    form_month = str(head.get("year" if kind == "year" else "month") or "")
    plan = ImportPlan(form_month, problems=problems)

    def refuse(message: str) -> ImportPlan:
        problems.append(Problem(file, message, code="form"))
        return plan

    if head.get(MARKER) != FORM_VERSION or kind not in ("month", "year") or not form_month[:4].isdigit():
        return refuse(
            _("biểu mẫu lập bằng phiên bản khác của chibo4tot; hãy lập lại biểu bằng “chibo4tot form”")
        )
    if month is not None and form_month != month:
        return refuse(
            _("đây là biểu tháng {got}, không phải tháng {want}").format(
                got=_month_words(form_month), want=_month_words(month)
            )
        )
    ws = load_form_workspace(root, int(form_month[:4]))
    assert ws.config is not None
    if head.get("workspace") != ws.config.id:
        return refuse(
            _("biểu mẫu lập cho không gian làm việc “{got}”, không phải “{want}” ({name})").format(
                got=head.get("workspace"), want=ws.config.id, name=ws.config.name
            )
        )
    cells = {c.unit.id: c for c in cell_periods(ws, form_month, None)}
    seen: set[str] = set()
    for name, unit, fid, digest in listed:
        seen.add(str(name))
        report = SheetReport(file, str(name), problems)
        cell = cells.get(str(unit))
        sheet = sheets.get(str(name))
        if cell is None:
            report.add(_("chi bộ mã “{id}” không còn trong units.yaml").format(id=unit))
        elif sheet is None:
            report.add(
                _("không thấy trang tính này trong tệp (đã đổi tên hay xóa?); giữ nguyên tên trang tính")
            )
        elif fid != cell.framework.id:
            report.add(
                _(
                    "biểu mẫu lập theo khung tiêu chí “{got}”, nhưng năm {year} nay dùng khung “{want}”; "
                    "hãy lập lại biểu bằng “chibo4tot form”"
                ).format(got=fid, want=cell.framework.id, year=form_month[:4])
            )
        elif digest != framework_hash(cell.framework):
            report.add(
                _(
                    "khung tiêu chí “{id}” đã thay đổi sau khi lập biểu mẫu này (khác phiên bản); "
                    "hãy lập lại biểu bằng “chibo4tot form”"
                ).format(id=fid)
            )
        if report.bad or cell is None or sheet is None:
            plan.refused.append(str(name))
            continue
        bad = len(problems)
        planned = _plan_sheet(file, sheet, cell, ws, problems, force)
        if planned is None and len(problems) == bad:
            plan.blank.append(str(name))
        elif planned is None:
            plan.refused.append(str(name))
        else:
            plan.planned.append(planned)
    for name, sheet in sheets.items():
        if (
            name not in seen
            and name not in (META_SHEET, head.get("instructions"))
            and sheet.state == "visible"
        ) and any(r >= FIRST_ROW for r, _c in sheet.cells):
            problems.append(
                Problem(
                    file,
                    _("trang tính không thuộc biểu mẫu (đổi tên hay chép thêm?)"),
                    where=name,
                    code="form",
                )
            )
    return plan


def _month_words(month: str) -> str:
    return f"{month[5:]}/{month[:4]}" if len(month) == 7 else _("cuối năm {year}").format(year=month)
