"""Load a workspace and score it: records grouped per unit and year, each year with its own framework."""

from __future__ import annotations

import dataclasses
import os
import pickle
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

from chibo4tot import progress, workers
from chibo4tot.errors import Problem, ProblemList, Severity
from chibo4tot.i18n import _
from chibo4tot.inputs.checks import framework_for
from chibo4tot.inputs.loading import (
    GapLayout,
    Workspace,
    load_workspace,
    year_gaps_laid_out,
    years_with_records,
)
from chibo4tot.inputs.memo import RecordMemo
from chibo4tot.inputs.record_file import RecordFile
from chibo4tot.models.framework import Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.workspace import Unit
from chibo4tot.results.export import build_export, framework_entries
from chibo4tot.results.history import load_history, previous_from_export, streaks_from_export
from chibo4tot.scoring import RecordRef, UnitRecords, YearResults, apply_streaks, score_year
from chibo4tot.scoring.organisation import CELL_KINDS, LastYear, apply_previous, previous_year
from chibo4tot.scoring.results import PreviousUnit, UnitResult
from chibo4tot.scoring.unit import score_unit

STREAK_YEARS = 10  # how far back "N năm liền" looks


@dataclass(frozen=True)
class NotScored:
    """A cell left out of the results, and why (a broken file, no framework for its kind)."""

    id: str
    name: str
    reason: str
    files: list[str] = field(default_factory=list)  # relative to the workspace, with "/"


# Cells scored by helper processes only when there are this many (a helper costs about half a
# second of CPU to start, what scoring some 250 cells takes) or when the helpers started for
# the parsing already (then a few pieces are enough); and this many cells per piece sent.
SCORE_POOL_MIN = 1000
SCORE_PIECE = 25


@dataclass(frozen=True, slots=True)
class Trace:
    """What the organisation did with a unit's own result in the year scored: the share of its
    cells recognised that it was scored with, its band and the band's rule before any quota, its
    recognised years in a row before this one and its results of the year before. Enough to do
    the organisation again for a few units without scoring the others (see :mod:`chibo4tot.results.rerun`)."""

    share: Fraction | None
    rating: str | None
    demoted_by: str | None
    rating_rule: str
    prior: int = 0
    previous: PreviousUnit | None = None  # its results of the year before


@dataclass
class Evaluation:
    """Results of one year, the workspace they came from, and every input problem."""

    workspace: Workspace
    results: YearResults
    problems: ProblemList
    blocked: dict[str, list[Path]]  # unit id → its files with errors (not scored)
    default_year: bool = False  # the year was not asked for: the latest one that can be scored
    gaps: list[Problem] = field(default_factory=list)  # completeness warnings (code "gap")
    inputs_key: bytes | None = None  # the cache's key of every input these results rest on
    traces: dict[str, Trace] = field(default_factory=dict)  # unit id → its trace (scored units)
    gap_layout: GapLayout | None = None  # where each unit's own gaps are among ``gaps``
    # Each unit's own result (before the organisation), pickled, as the cache keeps it: what a
    # kept run keeps of it besides what the organisation changed (see results.kept.keep)
    own_blobs: dict[str, bytes] = field(default_factory=dict)
    # Each unit's entry in ``score --format json`` as printed (same order as the units), when known
    unit_texts: list[str] | None = None

    def not_scored(self) -> list[NotScored]:
        """Every cell left out: no result may hide one (reports and JSON name each)."""
        root = self.workspace.root
        names = {u.id: u.name for u in self.workspace.units}
        out = [
            NotScored(
                unit_id,
                names.get(unit_id, unit_id),
                _("hồ sơ có lỗi"),
                sorted(os.path.relpath(p, root).replace(os.sep, "/") for p in paths),
            )
            for unit_id, paths in sorted(self.blocked.items())
        ]
        out += [NotScored(u.id, u.name, why) for u, why in self.results.unscored if u.kind in CELL_KINDS]
        return out


@dataclass
class UnitFiles:
    """The record files that score one unit in one year (their records not read yet)."""

    months: dict[int, RecordFile] = field(default_factory=dict)
    year: RecordFile | None = None

    def files(self) -> list[RecordFile]:
        return [*self.months.values(), *([self.year] if self.year is not None else [])]

    def records(self, unit: Unit) -> UnitRecords:
        months = {m: RecordRef(cast(MonthRecord, rf.record), rf.path) for m, rf in self.months.items()}
        year = (
            RecordRef(cast(YearRecord, self.year.record), self.year.path) if self.year is not None else None
        )
        return UnitRecords(unit, months, year)


def group_files(records: Iterable[RecordFile], year: int, skip: set[Path]) -> dict[str, UnitFiles]:
    """Each unit's files of ``year`` (the first of two for the same month, in path order)."""
    out: dict[str, UnitFiles] = defaultdict(UnitFiles)
    for rf in records:
        if rf.path in skip or rf.year != year:
            continue
        files = out[rf.unit]
        if rf.month is not None:
            files.months.setdefault(int(rf.month[5:]), rf)
        elif files.year is None:
            files.year = rf
    return out


def group_records(ws: Workspace, year: int, skip: set[Path]) -> dict[str, UnitRecords]:
    files = group_files(ws.records, year, skip)
    return {u.id: files.get(u.id, UnitFiles()).records(u) for u in ws.units}


def score_files(
    fw: Framework, unit: Unit, files: UnitFiles, year: int, months: int, share: Fraction | None
) -> UnitResult:
    """:func:`score_unit` over a unit's files, released again once read."""
    result = score_unit(fw, files.records(unit), year, months, share)
    for rf in files.files():
        rf.release()
    return result


def record_folder(root: Path, year: int, unit_id: str) -> Path:
    """Where a unit's records of ``year`` are (and the cache keeps its scores)."""
    return root / "records" / str(year) / unit_id


def score_cells_in_helpers(
    units: list[Unit],
    files: dict[str, UnitFiles],
    choose: Callable[[Unit], Framework | None],
    year: int,
    months: int,
    known: Callable[[Framework, Unit], bool],
    advance: Callable[[int], None],
    pickled: bool = False,
) -> dict[str, UnitResult | bytes]:
    """The cells of ``units`` (those with no unit under them) scored in pieces shared with the
    helper processes of the enclosing :func:`chibo4tot.workers.shared` block, when it pays: unit
    id → what :func:`score_unit` gives (with no share of cells, as a cell has none). A result
    from a helper arrives as the cache keeps it, its bulk packed until read; with ``pickled``
    every result is pickled where it is made, for the cache (so that this process does not
    pickle its own share after the helpers are done). Cells whose score is ``known`` (cached)
    are left out."""
    pool = workers.current()
    if pool is None or pool.processes < 2:
        return {}
    parents = {u.parent for u in units if u.parent is not None}
    todo: dict[str, list[tuple[Unit, UnitFiles]]] = defaultdict(list)
    frameworks: dict[str, Framework] = {}
    for unit in units:
        fw = choose(unit) if unit.id not in parents else None
        if fw is None or known(fw, unit):
            continue
        frameworks[fw.id] = fw
        todo[fw.id].append((unit, files.get(unit.id, UnitFiles())))
    count = sum(len(items) for items in todo.values())
    if count < (2 * SCORE_PIECE if pool.started else SCORE_POOL_MIN):
        return {}
    pieces = [
        (frameworks[fid], year, months, items[i : i + SCORE_PIECE], pickled)
        for fid, items in todo.items()
        for i in range(0, len(items), SCORE_PIECE)
    ]
    done = pool.run(_score_piece, pieces, lambda piece: advance(len(piece[3])))
    return {
        unit.id: result
        for piece, results in zip(pieces, done, strict=True)
        for (unit, _f), result in zip(piece[3], results, strict=True)
    }


def _score_piece(
    piece: tuple[Framework, int, int, list[tuple[Unit, UnitFiles]], bool],
) -> list[UnitResult | bytes]:
    """In a worker: each cell of the piece scored, pickled if asked (see score_cells_in_helpers)."""
    fw, year, months, items, pickled = piece
    results: list[UnitResult | bytes] = []
    for unit, files in items:
        results.append(score_files(fw, unit, files, year, months, None))
    if pickled:
        return [pickle.dumps(result, pickle.HIGHEST_PROTOCOL) for result in results]
    return results


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


def evaluate(
    root: Path, year: int, *, as_of: int = 12, shipped_dir: Path | None = None, document: bool = False
) -> Evaluation:
    """Load the workspace at ``root`` and score ``year`` (through month ``as_of``)."""
    ws = load_workspace(root, shipped_dir=shipped_dir)
    return evaluate_workspace(ws, year, as_of=as_of, document=document)


def evaluate_workspace(
    ws: Workspace,
    year: int,
    *,
    as_of: int = 12,
    year_over: bool = True,
    document: bool = False,
    memo: RecordMemo | None = None,
) -> Evaluation:
    """Score ``year`` of a loaded workspace; earlier years in it feed the streaks.

    Files with errors are left out, and so is every unit one of whose files has an error: a
    half-read unit would get a wrong verdict. The caller decides whether to show the rest.
    The completeness gaps of the year are listed too (with ``document``: also what a signed
    report prints from chibo4tot.yaml); ``year_over`` says whether year.yaml is due yet.
    """
    root = ws.root
    bad_files = {p.path for p in ws.problems.items if p.severity is Severity.ERROR and p.path is not None}
    blocked: dict[str, list[Path]] = defaultdict(list)
    for rf in ws.records:
        if rf.path in bad_files:
            blocked[rf.unit].append(rf.path)
    for path in bad_files:
        parts = path.parts
        if "records" in parts and len(parts) >= 3 and path.suffix in (".yaml", ".yml"):
            unit_id = parts[-2]
            if path not in blocked[unit_id]:
                blocked[unit_id].append(path)
    skip_units = set(blocked)
    skip_paths = {rf.path for rf in ws.records if rf.unit in skip_units} | bad_files

    def run(y: int, months: int, traces: dict[str, Trace] | None = None) -> YearResults:
        files = group_files(ws.records, y, skip_paths)
        units = [u for u in ws.units if u.id not in skip_units]
        root_id = ws.config.id if ws.config else ""
        choose = framework_chooser(ws, y)
        label = _("Đang chấm điểm {n} chi bộ, năm {year}").format(n=len(units), year=y)
        with progress.step(label, len(units)) as advance:
            keys: dict[tuple[str, str, Fraction | None], bytes | None] = {}

            def key_of(fw: Framework, unit: Unit, share: Fraction | None) -> bytes | None:
                # The unit by its id: units.yaml, like every framework, is in the memo's context.
                if memo is None:
                    return None
                known = (unit.id, fw.id, share)
                if known not in keys:
                    mine = files.get(unit.id, UnitFiles()).files()
                    keys[known] = memo.score_key((unit.id, fw.id, y, months, share), mine)
                return keys[known]

            def folder(unit: Unit) -> Path:
                return record_folder(root, y, unit.id)

            def known(fw: Framework, unit: Unit) -> bool:
                key = key_of(fw, unit, None)
                return memo is not None and key is not None and memo.has_score(folder(unit), key)

            made = score_cells_in_helpers(
                units, files, choose, y, months, known, advance, pickled=memo is not None
            )

            def scorer(fw: Framework, unit: Unit, share: Fraction | None) -> UnitResult:
                mine = files.get(unit.id, UnitFiles())
                ready = made.pop(unit.id, None) if share is None else None
                if ready is None:
                    advance(1)

                def compute() -> UnitResult:
                    return score_files(fw, unit, mine, y, months, share)

                key = key_of(fw, unit, share)
                if key is None:
                    if isinstance(ready, bytes):
                        result = cast(UnitResult, pickle.loads(ready))
                    else:
                        result = compute() if ready is None else ready
                else:
                    value, blob = memo.score(folder(unit), key, compute, ready)  # type: ignore[union-attr]
                    result = cast(UnitResult, value)
                    if traces is not None:
                        own_blobs[unit.id] = blob
                if traces is not None:
                    traces[unit.id] = Trace(share, result.rating, result.demoted_by, result.rating_rule)
                return result

            return score_year(y, units, {}, choose, as_of=months, root_id=root_id, scorer=scorer)

    traces: dict[str, Trace] = {}
    own_blobs: dict[str, bytes] = {}  # each unit's own result as the cache pickled it (with memo)
    results = run(year, as_of, traces)
    earlier = {y: run(y, 12) for y in sorted(years_with_records(ws)) if year - STREAK_YEARS <= y < year}
    root_id = ws.config.id if ws.config else ""
    history, history_problems = load_history(root, root_id) if ws.config else ({}, [])
    last = earlier.get(year - 1)
    from_records = previous_year(last, root_id) if last is not None else None
    # The year's records win over its export, when they give a result (a record of a year without a
    # framework gives none): said beside the export, which the user may think is what is compared.
    kept = history.get(year - 1)
    exported = kept if from_records is None else None
    if kept is not None and from_records is not None:
        history_problems.append(_records_win(kept.path, year - 1, len(from_records[1])))
    found: LastYear | None
    if exported is not None:
        prior = apply_streaks(results, {}, streaks_from_export(exported))
        found = previous_from_export(exported)
    else:
        prior = apply_streaks(results, earlier)
        found = from_records
    previous = apply_previous(results, found)
    traces = {
        unit_id: dataclasses.replace(traces[unit_id], prior=prior[unit_id], previous=previous[unit_id])
        for unit_id in (r.unit.id for r in results.units)
    }
    problems = ProblemList()
    problems.extend(ws.problems.items)
    problems.extend(history_problems)
    with_records = {rf.unit for rf in ws.records}
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
    gaps, layout = year_gaps_laid_out(ws, year, as_of, year_over=year_over, document=document)
    problems.extend(gaps)
    return Evaluation(
        ws, results, problems, dict(blocked), gaps=gaps, traces=traces, gap_layout=layout, own_blobs=own_blobs
    )


def _records_win(path: Path, year: int, units: int) -> Problem:
    """The warning on last year's export when the workspace's records of that year are used instead."""
    return Problem(
        path,
        _(
            "không dùng tệp này để so sánh với năm {year}: đã có hồ sơ năm {year} trong records/{year}/ "
            "({n} tổ chức đảng có kết quả), kết quả năm trước lấy từ các hồ sơ đó"
        ).format(year=year, n=units),
        severity=Severity.WARNING,
    )


def export_document(ev: Evaluation) -> dict[str, Any]:
    """The export of these results for the level above (see :mod:`chibo4tot.results.export`): what
    ``export`` writes, and whose fingerprint every report made from them carries."""
    config = ev.workspace.config
    if config is None:
        raise ValueError("workspace without chibo4tot.yaml")
    frameworks = {fid: loaded.framework for fid, loaded in ev.workspace.frameworks.items()}
    not_scored = [(n.id, n.name, n.reason) for n in ev.not_scored()]
    entries = framework_entries(frameworks, ev.results)
    return build_export(ev.results, config, entries, not_scored, len(set(ev.gaps)))
