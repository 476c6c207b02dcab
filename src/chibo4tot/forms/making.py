"""What a form is made from: the workspace's cells, the framework each one uses, its recorded values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from chibo4tot.errors import InputError, UsageError
from chibo4tot.forms.fields import Row, Values, month_rows, record_values
from chibo4tot.forms.workbook import CellForm, render_form
from chibo4tot.forms.year_fields import year_rows, year_values
from chibo4tot.i18n import _
from chibo4tot.inputs.checks import framework_for, no_month_record
from chibo4tot.inputs.loading import Workspace, load_workspace
from chibo4tot.inputs.places import UNITS_FILE, WORKSPACE_FILE
from chibo4tot.models.framework import Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.types import UNIT_KIND_LABELS
from chibo4tot.models.workspace import Unit

MIN_ABSENTEE_ROWS = 6
MIN_CASE_ROWS = 2


@dataclass(frozen=True, slots=True)
class CellPeriod:
    """One cell's month (``2024-03``) or year (``2024``) as a form shows it and import reads it."""

    unit: Unit
    framework: Framework
    record: MonthRecord | YearRecord | None
    path: Path  # where its record is (or goes)
    period: str

    @property
    def is_year(self) -> bool:
        return len(self.period) == 4


def load_form_workspace(root: Path, year: int) -> Workspace:
    """The workspace, refused when what a form is made from (settings, units, frameworks) has errors."""
    ws = load_workspace(root, year=year, workers=1)
    setup = {root / WORKSPACE_FILE, root / UNITS_FILE}
    bad = [
        p
        for p in ws.problems.errors
        if p.path in setup or (p.path is not None and root / "criteria" in p.path.parents)
    ]
    if ws.config is None or bad:
        raise InputError(_("không gian làm việc có lỗi; hãy chạy “chibo4tot validate”"), bad)
    return ws


def cell_periods(ws: Workspace, period: str, wanted: list[str] | None) -> list[CellPeriod]:
    """The cells (all, or ``wanted`` in units.yaml's order) with their framework and record for ``period``."""
    assert ws.config is not None
    units = ws.units
    if wanted:
        known = {u.id for u in units}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            raise UsageError(
                _("không có chi bộ mã “{id}” trong units.yaml; các mã hiện có: {ids}").format(
                    id=", ".join(unknown), ids=", ".join(u.id for u in units)
                )
            )
        units = [u for u in units if u.id in set(wanted)]
    year = int(period[:4])
    if len(period) == 4:
        records = {rf.unit: rf.record for rf in ws.year_records if rf.year == year}
    else:
        records = {rf.unit: rf.record for rf in ws.month_records if rf.month == period}
    out = []
    for unit in units:
        # The units a framework scores that year, as validate and score count them: a đảng bộ
        # whose framework is for cells gets no sheet, unless asked for by name (then it is told).
        fid = framework_for(ws.config, year, unit.kind.value)
        loaded = ws.frameworks.get(fid or "")
        if loaded is None or unit.kind not in loaded.framework.applies_to:
            if not wanted:
                continue
            raise UsageError(
                _("chưa có khung tiêu chí cho năm {year} ({kind}) trong {file}").format(
                    year=year, kind=_(UNIT_KIND_LABELS[unit.kind]), file=WORKSPACE_FILE
                )
            )
        if len(period) != 4 and not loaded.framework.takes_months():
            # judged once a year (a đảng bộ cơ sở): no month record to fill
            if not wanted:
                continue
            raise no_month_record(unit, loaded.framework, year)
        name = "year.yaml" if len(period) == 4 else f"{period}.yaml"
        path = ws.root / "records" / str(year) / unit.id / name
        out.append(CellPeriod(unit, loaded.framework, records.get(unit.id), path, period))
    return out


def rows_for(cell: CellPeriod, count: int | None = None) -> list[Row]:
    """The sheet's rows, with ``count`` absentee rows (disciplinary cases in a year form), or enough."""
    record = cell.record
    if isinstance(record, YearRecord) or (record is None and cell.is_year):
        cases = len(record.discipline) if record is not None else 0
        wanted = count if count is not None else max(MIN_CASE_ROWS, cases + 1)
        return year_rows(cell.framework, cell.unit, int(cell.period), wanted)
    recorded = len(record.meeting.absentees) if record is not None else 0
    wanted = count if count is not None else max(MIN_ABSENTEE_ROWS, recorded + 3)
    return month_rows(cell.framework, cell.unit, cell.period, wanted)


def values_for(rows: list[Row], cell: CellPeriod) -> Values:
    """What the cell's record holds, as its sheet shows it."""
    if isinstance(cell.record, YearRecord):
        return year_values(rows, cell.record)
    return record_values(rows, cell.record)


def form_bytes(root: Path, period: str, units: list[str] | None, today: dt.date) -> bytes:
    """The form of ``period`` (``2024-03`` or ``2024``) for the workspace at ``root``, as .xlsx bytes."""
    ws = load_form_workspace(root, int(period[:4]))
    assert ws.config is not None
    cells = []
    for cell in cell_periods(ws, period, units):
        rows = rows_for(cell)
        cells.append(CellForm(cell.unit, cell.framework, rows, values_for(rows, cell)))
    if not cells:
        raise UsageError(
            _("units.yaml chưa có chi bộ nào được chấm theo khung tiêu chí năm {year}").format(
                year=period[:4]
            )
        )
    return render_form(workspace=ws.config.id, org=ws.config.name, period=period, cells=cells, today=today)
