"""Load a workspace and score it: records grouped per unit and year, each year with its own framework."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chibo4tot.errors import Problem, ProblemList, Severity
from chibo4tot.i18n import _
from chibo4tot.inputs.checks import framework_for
from chibo4tot.inputs.loading import Workspace, load_workspace
from chibo4tot.models.framework import Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.workspace import Unit
from chibo4tot.scoring import RecordRef, UnitRecords, YearResults, apply_streaks, score_year

STREAK_YEARS = 10  # how far back "N năm liền" looks


@dataclass
class Evaluation:
    """Results of one year, the workspace they came from, and every input problem."""

    workspace: Workspace
    results: YearResults
    problems: ProblemList
    blocked: dict[str, list[Path]]  # unit id → its files with errors (not scored)


def group_records(ws: Workspace, year: int, skip: set[Path]) -> dict[str, UnitRecords]:
    months: dict[str, dict[int, RecordRef[MonthRecord]]] = defaultdict(dict)
    years: dict[str, RecordRef[YearRecord]] = {}
    for rf in ws.records:
        if rf.path in skip:
            continue
        rec = rf.record
        if isinstance(rec, MonthRecord):
            if int(rec.month[:4]) == year:
                months[rec.unit].setdefault(int(rec.month[5:]), RecordRef(rec, rf.path))
        elif rec.year == year:
            years.setdefault(rec.unit, RecordRef(rec, rf.path))
    return {u.id: UnitRecords(u, months.get(u.id, {}), years.get(u.id)) for u in ws.units}


def framework_chooser(ws: Workspace, year: int) -> Callable[[Unit], Framework | None]:
    """The framework that scores a unit in ``year``: assigned in chibo4tot.yaml and meant for its kind."""
    frameworks = {fid: lf.framework for fid, lf in ws.frameworks.items()}

    def choose(unit: Unit) -> Framework | None:
        if ws.config is None:
            return None
        fid = framework_for(ws.config, year, unit.kind.value)
        fw = frameworks.get(fid or "")
        if fw is None or unit.kind not in fw.applies_to:
            return None
        return fw

    return choose


def years_with_records(ws: Workspace) -> set[int]:
    out: set[int] = set()
    for rf in ws.records:
        rec = rf.record
        out.add(int(rec.month[:4]) if isinstance(rec, MonthRecord) else rec.year)
    return out


def evaluate(root: Path, year: int, *, as_of: int = 12, shipped_dir: Path | None = None) -> Evaluation:
    """Load the workspace at ``root`` and score ``year`` (through month ``as_of``)."""
    return evaluate_workspace(load_workspace(root, shipped_dir=shipped_dir), year, as_of=as_of)


def evaluate_workspace(ws: Workspace, year: int, *, as_of: int = 12) -> Evaluation:
    """Score ``year`` of a loaded workspace; earlier years in it feed the streaks.

    Files with errors are left out, and so is every unit one of whose files has an error: a
    half-read unit would get a wrong verdict. The caller decides whether to show the rest.
    """
    root = ws.root
    bad_files = {p.path for p in ws.problems.items if p.severity is Severity.ERROR and p.path is not None}
    blocked: dict[str, list[Path]] = defaultdict(list)
    for rf in ws.records:
        if rf.path in bad_files:
            blocked[rf.record.unit].append(rf.path)
    for path in bad_files:
        parts = path.parts
        if "records" in parts and len(parts) >= 3 and path.suffix in (".yaml", ".yml"):
            unit_id = parts[-2]
            if path not in blocked[unit_id]:
                blocked[unit_id].append(path)
    skip_units = set(blocked)
    skip_paths = {rf.path for rf in ws.records if rf.record.unit in skip_units} | bad_files

    def run(y: int, months: int) -> YearResults:
        records = group_records(ws, y, skip_paths)
        units = [u for u in ws.units if u.id not in skip_units]
        root_id = ws.config.id if ws.config else ""
        return score_year(y, units, records, framework_chooser(ws, y), as_of=months, root_id=root_id)

    results = run(year, as_of)
    earlier = {y: run(y, 12) for y in sorted(years_with_records(ws)) if year - STREAK_YEARS <= y < year}
    apply_streaks(results, earlier)
    problems = ProblemList()
    problems.extend(ws.problems.items)
    with_records = {rf.record.unit for rf in ws.records}
    for unit, why in results.unscored:
        if unit.id in with_records:
            problems.add(Problem(root / "units.yaml", f"{unit.id}: {why}", severity=Severity.WARNING))
    for unit_id in sorted(blocked):
        problems.add(
            Problem(
                None,
                _("chi bộ “{id}” không được chấm vì hồ sơ có lỗi").format(id=unit_id),
                severity=Severity.WARNING,
            )
        )
    return Evaluation(ws, results, problems, dict(blocked))
