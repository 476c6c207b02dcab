"""Which cells change result between two scorings of the same records (two versions of a framework),
and why: the criteria, total, rating and verdict before and after, and the rules that flipped. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from chibo4tot.formatting import rate, vn_percent
from chibo4tot.i18n import N_, _
from chibo4tot.results.views import num, rating_label, status_label, tally_json
from chibo4tot.scoring.organisation import CELL_KINDS
from chibo4tot.scoring.results import IndicatorResult, PeriodScore, Tally, UnitResult, YearResults
from chibo4tot.scoring.text import fmt_score


@dataclass
class IndicatorShift:
    """An indicator (or a sub-indicator of a composite) whose outcome differs."""

    id: str
    name: str
    points: tuple[Fraction | None, Fraction | None] | None = None  # top-level indicators only
    failing: list[str] = field(default_factory=list)  # periods that passed before and fail now
    passing: list[str] = field(default_factory=list)  # periods that failed before and pass now
    bands: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # period, before, after


@dataclass
class CellImpact:
    """One unit whose points per criterion, total, rating or verdict differ (``None``: not scored)."""

    id: str
    name: str
    before: UnitResult | None
    after: UnitResult | None
    criteria: list[tuple[str, Decimal | None, Decimal | None]]  # id, before, after: changed ones
    indicators: list[IndicatorShift]
    gates: list[tuple[str, str | None, str | None]]  # id, status before, after
    reasons_new: list[str]
    reasons_gone: list[str]


@dataclass
class Impact:
    year: int
    as_of: int
    cells: list[CellImpact]
    unchanged: int
    before: Tally
    after: Tally


def _outcome(r: UnitResult | None) -> tuple[object, ...]:
    if r is None:
        return (None,)
    return (tuple((c.id, c.points) for c in r.criteria), r.total, rating_label(r), r.status)


def _periods(periods: list[PeriodScore]) -> dict[str, PeriodScore]:
    return {p.label: p for p in periods if not p.remaining}


def _flips(before: dict[str, bool], after: dict[str, bool]) -> tuple[list[str], list[str]]:
    both = [label for label in after if label in before]
    return (
        [label for label in both if before[label] and not after[label]],
        [label for label in both if after[label] and not before[label]],
    )


def _indicator_shifts(old: IndicatorResult | None, new: IndicatorResult | None) -> list[IndicatorShift]:
    """The indicator's own shift (points, periods that flipped, composite bands), then its sub-indicators'."""
    some = new or old
    assert some is not None
    shift = IndicatorShift(some.id, some.name)
    if old is None or new is None or old.points != new.points:
        shift.points = (old.points if old else None, new.points if new else None)
    p_old = _periods(old.periods) if old else {}
    p_new = _periods(new.periods) if new else {}
    shift.failing, shift.passing = _flips(
        {k: p.passed for k, p in p_old.items()}, {k: p.passed for k, p in p_new.items()}
    )
    shift.bands = [
        (label, p_old[label].band, p.band)
        for label, p in p_new.items()
        if label in p_old and (p.band or p_old[label].band) and p.band != p_old[label].band
    ]
    out = [shift] if shift.points or shift.failing or shift.passing or shift.bands else []
    names: dict[str, str] = {}
    passed: dict[str, tuple[dict[str, bool], dict[str, bool]]] = {}
    for side, periods in enumerate((p_old, p_new)):
        for label, period in periods.items():
            for child in period.children:
                names.setdefault(child.id, child.name)
                passed.setdefault(child.id, ({}, {}))[side][label] = child.score.passed
    for cid, (before, after) in passed.items():
        failing, passing = _flips(before, after)
        if failing or passing:
            out.append(IndicatorShift(cid, names[cid], failing=failing, passing=passing))
    return out


def _cell(before: UnitResult | None, after: UnitResult | None) -> CellImpact:
    some = after or before
    assert some is not None
    old_c = {c.id: c for c in before.criteria} if before else {}
    new_c = {c.id: c for c in after.criteria} if after else {}
    criteria: list[tuple[str, Decimal | None, Decimal | None]] = []
    indicators: list[IndicatorShift] = []
    for cid in [*new_c, *(c for c in old_c if c not in new_c)]:
        o, n = old_c.get(cid), new_c.get(cid)
        if o is None or n is None or o.points != n.points:
            criteria.append((cid, o.points if o else None, n.points if n else None))
        old_i = {i.id: i for i in o.indicators} if o else {}
        new_i = {i.id: i for i in n.indicators} if n else {}
        for iid in [*new_i, *(i for i in old_i if i not in new_i)]:
            indicators += _indicator_shifts(old_i.get(iid), new_i.get(iid))
    # A reason is compared by the rule it is about: "total 69,67 < 90" and "total 68,67 < 90" is the
    # same rule still failing (its numbers are shown above), not a reason gone and one come.
    old_r = dict(zip(before.reason_rules, before.reasons, strict=True)) if before else {}
    new_r = dict(zip(after.reason_rules, after.reasons, strict=True)) if after else {}
    old_g: dict[str, str] = {g.id: g.status for g in before.gates} if before else {}
    new_g: dict[str, str] = {g.id: g.status for g in after.gates} if after else {}
    gates = [  # a gate whose reason came or went is told by its reason
        (gid, old_g.get(gid), new_g.get(gid))
        for gid in [*new_g, *(g for g in old_g if g not in new_g)]
        if old_g.get(gid) != new_g.get(gid) and (f"gate:{gid}" in old_r) == (f"gate:{gid}" in new_r)
    ]
    return CellImpact(
        some.unit.id,
        some.unit.name,
        before,
        after,
        criteria,
        indicators,
        gates,
        [text for rule, text in new_r.items() if rule not in old_r],
        [text for rule, text in old_r.items() if rule not in new_r],
    )


def compare_results(before: YearResults, after: YearResults) -> Impact:
    """The units whose result differs between two scorings of the same year, in the order scored."""
    old = {r.unit.id: r for r in before.units}
    new = {r.unit.id: r for r in after.units}
    order = [*new, *(u for u in old if u not in new)]
    cells = [_cell(old.get(u), new.get(u)) for u in order if _outcome(old.get(u)) != _outcome(new.get(u))]
    return Impact(after.year, after.as_of, cells, len(order) - len(cells), _tally(before), _tally(after))


def _tally(results: YearResults) -> Tally:
    """The cells recognised (before the year is over: still on track), as the summary counts them."""
    cells = [r for r in results.units if r.unit.kind in CELL_KINDS]
    wanted = "recognised" if results.as_of >= 12 else "in_progress"
    return Tally(len(cells), sum(1 for r in cells if r.status == wanted))


# --- rendering ---------------------------------------------------------------------------------


def _score(value: Decimal | Fraction | None) -> str:
    return fmt_score(value) if value is not None else "—"


def _verdict(r: UnitResult | None) -> str:
    return status_label(r) if r is not None else _("không chấm")


def _arrow(before: str, after: str) -> str:
    return f"{before} → {after}" if before != after else _("{value} (không đổi)").format(value=after)


_GATE = {"passed": N_("đạt"), "failed": N_("không đạt"), "pending": N_("chưa xét")}


def _gate(status: str | None) -> str:
    return _(_GATE[status]) if status is not None else "—"


def _indicator_line(s: IndicatorShift) -> str:
    parts: list[str] = []
    if s.points is not None:
        parts.append(
            _("{before} → {after} điểm").format(before=_score(s.points[0]), after=_score(s.points[1]))
        )
    if s.failing:
        parts.append(_("không còn đạt ở {periods}").format(periods=", ".join(s.failing)))
    if s.passing:
        parts.append(_("nay đạt ở {periods}").format(periods=", ".join(s.passing)))
    grades: dict[tuple[str, str], list[str]] = {}
    for label, before, after in s.bands:
        grades.setdefault((before or "—", after or "—"), []).append(label)
    for (before, after), labels in grades.items():
        parts.append(
            _("xếp loại {before} → {after} ở {periods}").format(
                before=before, after=after, periods=", ".join(labels)
            )
        )
    return _("chỉ tiêu {id} ({name}): {changes}").format(id=s.id, name=s.name, changes="; ".join(parts))


def render_cell(cell: CellImpact) -> list[str]:
    """One changed unit: what differs, then why (the rules that flipped, the reasons that came and went)."""
    lines = [f"{cell.name} ({cell.id})"]
    for cid, before, after in cell.criteria:
        lines.append(
            "  " + _("Tiêu chí {id}: {change}").format(id=cid, change=_arrow(_score(before), _score(after)))
        )
    b, a = cell.before, cell.after
    total = _arrow(_score(b.total if b else None), _score(a.total if a else None))
    lines.append("  " + _("Tổng điểm: {change}").format(change=total))
    rating = _arrow((rating_label(b) if b else "") or "—", (rating_label(a) if a else "") or "—")
    lines.append("  " + _("Xếp loại: {change}").format(change=rating))
    lines.append("  " + _("Kết quả: {change}").format(change=_arrow(_verdict(b), _verdict(a))))
    why = [_indicator_line(s) for s in cell.indicators]
    why += [
        _("điều kiện {id}: {before} → {after}").format(id=gid, before=_gate(before), after=_gate(after))
        for gid, before, after in cell.gates
    ]
    why += [_("nay không đạt: {reason}").format(reason=r) for r in cell.reasons_new]
    why += [_("nay đạt (trước đây: {reason})").format(reason=r) for r in cell.reasons_gone]
    if why:
        lines.append("  " + _("Vì:"))
        lines += [f"    - {line}" for line in why]
    return lines


def _tally_text(t: Tally) -> tuple[str, str]:
    return f"{t.recognised}/{t.units}", vn_percent(rate(t.recognised, t.units))


def render_impact(impact: Impact) -> list[str]:
    """The changed units one by one, the count of the others, and the recognition rate before and after."""
    lines = [
        _("{changed} chi bộ thay đổi kết quả; {unchanged} chi bộ không đổi.").format(
            changed=len(impact.cells), unchanged=impact.unchanged
        )
    ]
    for cell in impact.cells:
        lines += ["", *render_cell(cell)]
    (n_old, r_old), (n_new, r_new) = _tally_text(impact.before), _tally_text(impact.after)
    summary = (
        _("Công nhận “Chi bộ 4 tốt”: {before} → {after} chi bộ, {rate_before} → {rate_after}")
        if impact.as_of >= 12
        else _(
            "Tạm tính đến hết tháng {month}, còn trong tầm đạt “Chi bộ 4 tốt”: {before} → {after} chi bộ, "
            "{rate_before} → {rate_after}"
        )
    )
    lines += [
        "",
        summary.format(month=impact.as_of, before=n_old, after=n_new, rate_before=r_old, rate_after=r_new),
    ]
    return lines


def _side(r: UnitResult | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "framework": r.framework_id,
        "criteria": [{"id": c.id, "points": num(c.points), "passed": c.passed} for c in r.criteria],
        "total": num(r.total),
        "rating": r.rating,
        "status": r.status,
        "recognised": r.recognised,
        "reasons": r.reasons,
    }


def _maybe(value: Decimal | Fraction | None) -> int | float | None:
    return num(value) if value is not None else None


def impact_json(impact: Impact) -> dict[str, Any]:
    """The changed units with both sides, the count of the others and the two summaries."""
    return {
        "year": impact.year,
        "as_of_month": impact.as_of,
        "changed": [
            {
                "id": c.id,
                "name": c.name,
                "before": _side(c.before),
                "after": _side(c.after),
                "criteria": [{"id": i, "before": _maybe(b), "after": _maybe(a)} for i, b, a in c.criteria],
                "indicators": [
                    {
                        "id": s.id,
                        "name": s.name,
                        "points": (
                            {"before": _maybe(s.points[0]), "after": _maybe(s.points[1])}
                            if s.points is not None
                            else None
                        ),
                        "now_failing": s.failing,
                        "now_passing": s.passing,
                        "bands": [{"period": p, "before": b, "after": a} for p, b, a in s.bands],
                    }
                    for s in c.indicators
                ],
                "gates": [{"id": g, "before": b, "after": a} for g, b, a in c.gates],
                "reasons": {"added": c.reasons_new, "removed": c.reasons_gone},
            }
            for c in impact.cells
        ],
        "unchanged": impact.unchanged,
        "summary": {"before": tally_json(impact.before), "after": tally_json(impact.after)},
    }
