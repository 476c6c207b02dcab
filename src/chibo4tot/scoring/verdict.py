"""The recognition rule and quotas: who is recognised, who is moved down a band, and why. Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from math import floor

from chibo4tot.i18n import _
from chibo4tot.models.framework import Framework, Quota
from chibo4tot.scoring.results import UnitResult
from chibo4tot.scoring.text import fmt_points, fmt_score, render_reason


def recognise(fw: Framework, result: UnitResult) -> None:
    """Apply the recognition rule; one Vietnamese sentence per failed rule, and what was needed."""
    rule = fw.recognition
    reasons: list[str] = []
    rules: list[str] = []  # which rule each reason is about, for comparing two scorings
    needed: list[str] = []
    in_progress = result.as_of < 12
    total_short = result.total < rule.min_total
    if total_short and not in_progress:
        gap = rule.min_total - result.total
        rules.append("total")
        reasons.append(
            _("Tổng điểm {total} thấp hơn mức công nhận {min} điểm.").format(
                total=fmt_score(result.total), min=fmt_points(rule.min_total)
            )
        )
        needed.append(_("thiếu {gap} điểm tổng").format(gap=fmt_score(gap)))
    if rule.every_criterion_min:
        for c in result.criteria:
            if c.min_points is None or c.points >= c.min_points or in_progress:
                continue
            gap = c.min_points - c.points
            rules.append(f"criterion:{c.id}")
            reasons.append(
                _("Tiêu chí {id} ({name}) đạt {points} điểm, dưới mức tối thiểu {min} điểm.").format(
                    id=c.id, name=c.name, points=fmt_score(c.points), min=fmt_points(c.min_points)
                )
            )
            needed.append(_("thiếu {gap} điểm ở tiêu chí {id}").format(gap=fmt_score(gap), id=c.id))
    if rule.gates_must_pass:
        for gate in result.gates:
            if gate.status == "failed":
                rules.append(f"gate:{gate.id}")
                reasons.append(render_reason(gate.reason, gate.detail, gate.fields))
    if rule.min_rating and result.rating is not None and fw.rating is not None and not in_progress:
        order = [b.name for b in fw.rating.bands]
        if result.rating in order and order.index(result.rating) > order.index(rule.min_rating):
            rules.append("rating")
            reasons.append(
                _("Xếp loại “{rating}” thấp hơn mức “{min}” cần để được công nhận.").format(
                    rating=result.rating, min=rule.min_rating
                )
            )
    if in_progress:
        _outlook(fw, result, reasons, rules, needed)
        result.status = "not_recognised" if reasons else "in_progress"
    else:
        result.status = "not_recognised" if reasons else "recognised"
    result.reasons = reasons
    result.reason_rules = rules
    result.needed = needed


def _outlook(
    fw: Framework, result: UnitResult, reasons: list[str], rules: list[str], needed: list[str]
) -> None:
    """Mid-year: the points still needed in the remaining months, and whether they can still be reached."""
    rule = fw.recognition
    gap = rule.min_total - result.total
    if gap > 0:
        needed.append(
            _("cần thêm {gap} điểm tổng trong các tháng còn lại (tối đa còn đạt được {best} điểm)").format(
                gap=fmt_score(gap), best=fmt_score(result.best_total)
            )
        )
    if result.best_total < rule.min_total:
        rules.append("total")
        reasons.append(
            _(
                "Dù các tháng còn lại đạt tối đa, tổng điểm cũng chỉ đạt {best}, dưới mức công nhận {min}."
            ).format(best=fmt_score(result.best_total), min=fmt_points(rule.min_total))
        )
    for c in result.criteria:
        if c.min_points is None or c.points >= c.min_points:
            continue
        needed.append(
            _("tiêu chí {id} cần thêm {gap} điểm").format(id=c.id, gap=fmt_score(c.min_points - c.points))
        )
        if c.best < c.min_points:
            rules.append(f"criterion:{c.id}")
            reasons.append(
                _("Tiêu chí {id} ({name}) không thể đạt mức tối thiểu {min} điểm trong năm.").format(
                    id=c.id, name=c.name, min=fmt_points(c.min_points)
                )
            )


def _sort_key(result: UnitResult, keys: list[str]) -> tuple[object, ...]:
    out: list[object] = []
    for key in keys:
        if key == "total":
            out.append(-result.total)
        elif key == "name":
            out.append(result.unit.name.casefold())
        elif key == "id":
            out.append(result.unit.id)
        else:
            cid = key.split(":", 1)[1]
            points = next((c.points for c in result.criteria if c.id == cid), Decimal(0))
            out.append(-points)
    out.append(result.unit.id)  # a total order whatever the declared keys
    return tuple(out)


def apply_quota(quota: Quota, results: list[UnitResult], group_of: Callable[[UnitResult], str]) -> None:
    """At most ``max_ratio`` × (units in the base bands) may keep ``band`` in each group, taken by rank.

    The allowance is rounded down: a quota of 20% over 6 units lets 1 unit keep the band, never 2.
    """
    groups: dict[str, list[UnitResult]] = defaultdict(list)
    for r in results:
        groups[group_of(r)].append(r)
    for members in groups.values():
        base = sum(1 for r in members if r.rating in quota.base_bands)
        allowed = floor(Fraction(base) * Fraction(quota.max_ratio))
        holders = sorted(
            (r for r in members if r.rating == quota.band), key=lambda r: _sort_key(r, quota.tie_break)
        )
        for r in holders[allowed:]:
            r.rating = quota.demote_to
            r.demoted_by = quota.reason
            r.rating_rule += " " + _("→ {band} do hạn mức (được giữ {n}/{base} đơn vị)").format(
                band=quota.demote_to, n=allowed, base=base
            )
