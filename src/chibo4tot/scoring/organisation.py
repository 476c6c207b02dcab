"""The organisation in one year: cells, then the đảng bộ over them; quotas, roll-ups, streaks. Pure."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction

from chibo4tot.i18n import _
from chibo4tot.models.framework import Framework
from chibo4tot.models.types import UnitKind
from chibo4tot.models.workspace import Unit
from chibo4tot.runtime import no_gc
from chibo4tot.scoring.facts import UnitRecords
from chibo4tot.scoring.results import PreviousUnit, PreviousYear, Summary, Tally, UnitResult, YearResults
from chibo4tot.scoring.unit import score_unit
from chibo4tot.scoring.verdict import apply_quota, recognise

CELL_KINDS = frozenset({UnitKind.CHI_BO_TRUC_THUOC, UnitKind.CHI_BO_CO_SO})
FrameworkFor = Callable[[Unit], Framework | None]


def depths(units: list[Unit]) -> dict[str, int]:
    parents = {u.id: u.parent for u in units}
    depth: dict[str, int] = {}
    for u in units:
        d, walk, seen = 0, u.parent, {u.id}
        while walk is not None and walk in parents and walk not in seen:
            seen.add(walk)
            d, walk = d + 1, parents[walk]
        depth[u.id] = d
    return depth


def score_year(
    year: int,
    units: list[Unit],
    records: Mapping[str, UnitRecords],
    framework_for: FrameworkFor,
    *,
    as_of: int = 12,
    root_id: str = "",
    scorer: Callable[[Framework, Unit, Fraction | None], UnitResult] | None = None,
) -> YearResults:
    """Score every unit that has a framework for the year; the deepest units first, so a đảng bộ sees
    its cells' verdicts. Quotas apply within each level before recognition.

    ``scorer(framework, unit, share)``, when given, stands for ``score_unit`` over ``records``
    (the caller's memo of it); it must return a fresh result, which quotas and recognition change.
    """
    with no_gc():  # millions of small objects and no cycles: the collector would walk them all
        return _score_year(year, units, records, framework_for, as_of=as_of, root_id=root_id, scorer=scorer)


def _score_year(
    year: int,
    units: list[Unit],
    records: Mapping[str, UnitRecords],
    framework_for: FrameworkFor,
    *,
    as_of: int,
    root_id: str,
    scorer: Callable[[Framework, Unit, Fraction | None], UnitResult] | None,
) -> YearResults:
    children: dict[str, list[str]] = defaultdict(list)
    for u in units:
        if u.parent is not None:
            children[u.parent].append(u.id)
    depth = depths(units)
    done: dict[str, UnitResult] = {}
    unscored: list[tuple[Unit, str]] = []
    for level in sorted(set(depth.values()), reverse=True):
        batch: list[tuple[Framework, UnitResult]] = []
        for u in (u for u in units if depth[u.id] == level):
            fw = framework_for(u)
            if fw is None:
                unscored.append(
                    (
                        u,
                        _("không có khung tiêu chí áp dụng cho loại tổ chức này trong năm {year}").format(
                            year=year
                        ),
                    )
                )
                continue
            kids = [done[k] for k in children.get(u.id, []) if k in done]
            share = Fraction(sum(1 for k in kids if k.recognised), len(kids)) if kids else None
            if scorer is not None:
                batch.append((fw, scorer(fw, u, share)))
            else:
                data = records.get(u.id) or UnitRecords(u, {})
                batch.append((fw, score_unit(fw, data, year, as_of, share)))
        for fw in {id(f): f for f, _r in batch}.values():
            same = [r for f, r in batch if f is fw]
            for quota in fw.quotas:
                apply_quota(quota, same, by_unit(grouping(quota.scope, root_id)))
        for fw, result in batch:
            recognise(fw, result)
            done[result.unit.id] = result
    order = {u.id: i for i, u in enumerate(units)}
    results = sorted(done.values(), key=lambda r: order[r.unit.id])
    fw_ids = Counter(r.framework_id for r in results)
    # The framework most units use; a tie goes to the smallest id, whatever the order of units.
    main_id = min(fw_ids, key=lambda fid: (-fw_ids[fid], fid)) if fw_ids else ""
    main_title = next((r.framework_title for r in results if r.framework_id == main_id), "")
    return YearResults(year, as_of, main_id, main_title, results, summarise(results, root_id), unscored)


def grouping(scope: str, root_id: str) -> Callable[[Unit], str]:
    """Quota groups: each đảng bộ's direct cells ("parent"), or the whole workspace."""
    if scope == "parent":
        return lambda u: u.parent or root_id
    return lambda _u: ""


# What the summary counts of one unit: its kind, its đảng bộ (or the workspace's id), whether it
# is a cell, whether it is recognised, the criteria it failed, the gates it failed.
SummaryFacts = tuple[str, str, bool, bool, tuple[str, ...], tuple[str, ...]]


def by_unit(key: Callable[[Unit], str]) -> Callable[[UnitResult], str]:
    """``key`` of a result's unit."""
    return lambda r: key(r.unit)


def summary_facts(r: UnitResult, root_id: str = "") -> SummaryFacts:
    return (
        r.unit.kind.value,
        r.unit.parent or root_id,
        r.unit.kind in CELL_KINDS,
        r.recognised,
        tuple(c.id for c in r.criteria if not c.passed),
        tuple(g.id for g in r.gates if g.status == "failed"),
    )


def summarise(results: list[UnitResult], root_id: str = "") -> Summary:
    """Counts over cells by kind and by parent; đảng bộ verdicts apart; what failed most."""
    return summarise_facts(summary_facts(r, root_id) for r in results)


def summarise_facts(facts: Iterable[SummaryFacts]) -> Summary:
    """:func:`summarise` over what it counts of each unit, in the units' order."""
    cells, dang_bo = Tally(), Tally()
    by_kind: dict[str, Tally] = {}
    by_parent: dict[str, Tally] = {}
    failed_criteria: Counter[str] = Counter()
    failed_gates: Counter[str] = Counter()
    for kind, parent, is_cell, counted, criteria, gates in facts:
        if is_cell:
            for tally in (cells, by_kind.setdefault(kind, Tally()), by_parent.setdefault(parent, Tally())):
                tally.units += 1
                tally.recognised += counted
        else:
            dang_bo.units += 1
            dang_bo.recognised += counted
        failed_criteria.update(criteria)
        failed_gates.update(gates)
    return Summary(cells, by_kind, by_parent, dang_bo, dict(failed_criteria), dict(failed_gates))


def apply_streaks(
    current: YearResults, earlier: Mapping[int, YearResults], last: Mapping[str, int] | None = None
) -> dict[str, int]:
    """Streaks ("N năm liền"): recognised years in a row up to this one, each with its own framework.
    Returns each unit's recognised years in a row before this one (what its streak would be built on).
    ``last``, when given, is each unit's streak up to last year as an export of that year says
    (a unit not in it had none), in place of ``earlier``."""
    ids = [r.unit.id for r in current.units]
    if last is not None:
        prior = {unit_id: last.get(unit_id, 0) for unit_id in ids}
    else:
        prior = prior_streaks(ids, current.year, earlier)
    for r in current.units:
        r.streak = prior[r.unit.id] + 1 if r.recognised else 0
    return prior


def prior_streaks(unit_ids: list[str], year: int, earlier: Mapping[int, YearResults]) -> dict[str, int]:
    """Each unit's recognised years in a row just before ``year``."""
    recognised = {y: {p.unit.id for p in res.units if p.recognised} for y, res in earlier.items()}
    out: dict[str, int] = {}
    for unit_id in unit_ids:
        streak, y = 0, year - 1
        while y in recognised and unit_id in recognised[y]:
            streak, y = streak + 1, y - 1
        out[unit_id] = streak
    return out


def previous_unit(r: UnitResult) -> PreviousUnit:
    """What this year shows of a unit's result of the year before."""
    criteria = tuple((c.id, c.points) for c in r.criteria)
    return PreviousUnit(r.year, r.total, r.rating, r.recognised, criteria)


LastYear = tuple[PreviousYear, dict[str, PreviousUnit]]  # the year over the cells, each unit's


def previous_year(last: YearResults, root_id: str = "") -> LastYear | None:
    """Last year's figures from its results: the units that had a record of that year (a unit
    without one was not assessed then; its zero would not be a result), and the cells' tallies
    over them. None when no unit had one."""
    assessed = [r for r in last.units if r.months_recorded or r.year_path is not None]
    if not assessed:
        return None
    summary = summarise(assessed, root_id)
    units = {r.unit.id: previous_unit(r) for r in assessed}
    return PreviousYear(last.year, summary.cells, summary.by_parent), units


def apply_previous(current: YearResults, found: LastYear | None) -> dict[str, PreviousUnit | None]:
    """Set last year's figures on ``current`` and on each of its units; returns each unit's."""
    year, units = found if found is not None else (None, {})
    current.previous = year
    out: dict[str, PreviousUnit | None] = {}
    for r in current.units:
        r.previous = out[r.unit.id] = units.get(r.unit.id)
    return out
