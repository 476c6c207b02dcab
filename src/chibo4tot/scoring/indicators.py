"""One indicator over the year: its periods, the declared roll-up, composites graded by bands. Pure."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from math import gcd

from chibo4tot.i18n import _
from chibo4tot.inputs.items import PERIODS_IN_YEAR
from chibo4tot.inputs.values import AnyIndicator
from chibo4tot.models.framework import CompositeIndicator, Framework
from chibo4tot.models.records import MonthRecord
from chibo4tot.models.scales import Band, Rollup
from chibo4tot.scoring.facts import RecordRef
from chibo4tot.scoring.numbers import ONE, ZERO, exact, exact_sum
from chibo4tot.scoring.periods import (
    Context,
    score_month_indicator,
    score_quarter_indicator,
    score_self,
    score_year_indicator,
)
from chibo4tot.scoring.plan import CompositePlan, IndicatorPlan
from chibo4tot.scoring.results import IndicatorPeriod, IndicatorResult, PeriodScore
from chibo4tot.scoring.text import fmt_number, fmt_points, month_labels, quarter_label


def score_indicator(ind: AnyIndicator, fw: Framework, ctx: Context, as_of: int) -> IndicatorResult:
    """Points of one top-level indicator for the year (exact), with every period traced."""
    assert ctx.plan is not None
    p = ctx.plan.of(ind)
    if not p.applies(ctx.kind):
        return IndicatorResult(
            ind.id, ind.name, ind.points, ZERO, ZERO, True, True, _("không áp dụng cho loại tổ chức này")
        )
    if ind.period == "year":
        label = str(ctx.year)
        period = score_year_indicator(p, ctx, label)
        if period is None:
            pending = as_of < 12
            period = PeriodScore(
                label,
                ZERO,
                False,
                "—",
                _("chưa có hồ sơ cuối năm") if pending else _("thiếu hồ sơ cuối năm: tính 0 điểm"),
                missing=not pending,
                remaining=pending,
            )
        return _result(p, [period], fw)
    if ind.period == "quarter":
        quarters = range(1, PERIODS_IN_YEAR["quarter"] + 1)
        periods = [_score_quarter(p, fw, ctx, number, as_of) for number in quarters]
    else:
        periods = _score_months(p, fw, ctx, as_of)
    return _result(p, periods, fw)


def _score_quarter(p: IndicatorPlan, fw: Framework, ctx: Context, number: int, as_of: int) -> PeriodScore:
    months = ctx.data.months
    label = quarter_label(number, ctx.year)
    span = range(3 * number - 2, 3 * number + 1)
    refs = [months[m] for m in span if m in months and m <= as_of]
    if span[-1] > as_of:  # the quarter is not over: what is already there may pass it
        if refs:
            scored = score_quarter_indicator(p, refs, ctx, label)
            if scored.passed:
                return scored
        return PeriodScore(label, ZERO, False, "—", _("kỳ chưa kết thúc"), remaining=True)
    if not refs:
        return _missing(label, fw, p.ind.rollup)
    return score_quarter_indicator(p, refs, ctx, label)


def _score_months(p: IndicatorPlan, fw: Framework, ctx: Context, as_of: int) -> list[PeriodScore]:
    months = ctx.data.months
    composite = ctx.plan.composites.get(id(p.ind)) if ctx.plan is not None else None
    labels = month_labels(ctx.year)
    own = p.own
    out: list[PeriodScore] = []
    for number, label in enumerate(labels, 1):
        if number > as_of:
            out.append(PeriodScore(label, ZERO, False, "—", _("tháng chưa đến"), remaining=True))
            continue
        ref = months.get(number)
        if ref is None:
            out.append(_missing(label, fw, p.ind.rollup))
        elif composite is not None:
            assert isinstance(p.ind, CompositeIndicator)
            out.append(score_composite(p.ind, composite, number, ref, ctx, label))
        elif own:
            out.append(score_self(p, ref, ctx, label))
        else:
            out.append(score_month_indicator(p, number, ref, ctx, label))
    return out


def _missing(label: str, fw: Framework, rollup: Rollup | None) -> PeriodScore:
    policy = (rollup.missing if rollup else None) or fw.missing_month
    rule = _("thiếu hồ sơ: tính 0 điểm") if policy == "zero" else _("thiếu hồ sơ: không tính kỳ này")
    return PeriodScore(label, ZERO if policy == "zero" else None, False, "—", rule, missing=True)


def score_composite(
    ind: CompositeIndicator,
    plan: CompositePlan,
    month: int,
    ref: RecordRef[MonthRecord],
    ctx: Context,
    label: str,
) -> PeriodScore:
    """Sub-indicators on their own scale → a band (capped when its conditions fail) → the band's level."""
    kind = ctx.kind
    children: list[IndicatorPeriod] = []
    # Sums in integers over one denominator: a Fraction operation costs a microsecond, and a
    # province has a hundred sub-indicator periods per cell.
    raw_n, raw_d, top_n, top_d = 0, 1, 0, 1
    at_max = 0  # the sub-indicators at their maximum (or not applicable), one bit each
    for child in plan.children_for(kind):
        scored = (
            score_self(child, ref, ctx, label)
            if child.own
            else score_month_indicator(child, month, ref, ctx, label)
        )
        fraction = scored.fraction
        points: Fraction | None
        if fraction is None:
            points = None
            at_max |= child.bit
        else:
            fn, fd = fraction.as_integer_ratio()
            cn, cd = child.points_nd
            if fn == fd:
                points = child.points
                pn, pd = cn, cd
            elif fn == 0:
                points, pn, pd = ZERO, 0, 1
            else:
                points = child.shares.get((fn, fd))
                if points is None:
                    points = child.shares[fn, fd] = fraction * child.points
                pn, pd = points.as_integer_ratio()
            raw_n, raw_d = (raw_n + pn, raw_d) if pd == raw_d else (raw_n * pd + pn * raw_d, raw_d * pd)
            top_n, top_d = (top_n + cn, top_d) if cd == top_d else (top_n * cd + cn * top_d, top_d * cd)
            if fn == fd or cn == 0:
                at_max |= child.bit
        children.append(IndicatorPeriod(child.id, child.name, child.max_points, points, scored))
    full = plan.full_for(kind)
    if top_n:
        n, d = raw_n * full.numerator * top_d, raw_d * full.denominator * top_n
        common = gcd(n, d)
        n, d = n // common, d // common
    else:
        n, d = full.numerator, full.denominator
    # The grade depends only on these: worked out once per framework.
    key = (kind, n, d, at_max)
    outcome = plan.outcomes.get(key)
    if outcome is None:
        outcome = plan.outcomes[key] = _grade(ind, plan, Fraction(n, d), full, at_max)
    fraction, passed, band, rule = outcome
    return PeriodScore(label, fraction, passed, band, rule, ref.path, (), band=band, children=tuple(children))


def _grade(
    ind: CompositeIndicator, plan: CompositePlan, on_scale: Fraction, full: Fraction, at_max: int
) -> tuple[Fraction, bool, str, str]:
    """A composite's band for its points on its scale (capped when its conditions fail), and the rule."""
    ids = {child.id for child in plan.children if at_max & child.bit}
    band_ids = plan.band_ids
    band, capped = pick_band(ind.bands, on_scale, lambda b: ids.issuperset(band_ids[id(b)]), plan.band_min)
    fraction, passed = plan.level_of_band[band.name]
    rule = _("{points}/{full} điểm → xếp loại {band}").format(
        points=fmt_points(on_scale), full=fmt_number(full), band=band.name
    )
    if capped:
        rule += " " + _("(bị hạ vì chưa đủ điều kiện của mức {name})").format(name=capped)
    return fraction, passed, band.name, rule


def pick_band(
    bands: list[Band],
    points: Fraction,
    ok: Callable[[Band], bool],
    minimum: Mapping[int, Fraction] | None = None,
) -> tuple[Band, str | None]:
    """The highest band the points reach whose conditions hold.

    A band whose conditions fail caps the grade at its ``otherwise`` band (or the next one
    down). Returns the band and the name of the band that was capped, if any.
    """
    by_name = {b.name: b for b in bands}
    capped: str | None = None
    if minimum is None:
        reachable = [b for b in bands if exact(b.min) <= points] or [bands[-1]]
    else:
        reachable = [b for b in bands if minimum[id(b)] <= points] or [bands[-1]]
    band = reachable[0]
    for _step in range(len(bands)):
        if ok(band):
            return band, capped
        capped = capped or band.name
        lower = by_name.get(band.otherwise or "") or next((b for b in bands if b.min < band.min), bands[-1])
        if lower is band:
            break
        band = lower
    return band, capped


def _result(p: IndicatorPlan, periods: list[PeriodScore], fw: Framework) -> IndicatorResult:
    ind = p.ind
    # One pass: the periods reached so far, and whether a recorded one counts (a missing month
    # does not make it count: not applicable when every recorded period says so).
    fractions: list[Fraction] = []
    passed = reached = 0
    recorded = counts = False
    for period in periods:
        if period.remaining:
            continue
        reached += 1
        fraction = period.fraction
        if fraction is not None:
            fractions.append(fraction)
            passed += period.passed
        if not period.missing:
            recorded = True
            counts = counts or fraction is not None
    if recorded and not counts:
        return IndicatorResult(
            ind.id, ind.name, ind.points, ZERO, ZERO, True, True, _("không áp dụng"), periods
        )
    so_far, best, rule = _roll_up(p, periods, fractions, passed, reached)
    # Averaging roll-ups pass at the indicator's pass mark; counting ones give all or nothing.
    graded = ind.rollup is None or ind.rollup.method in ("mean", "min", "sum")
    sn, sd = so_far.as_integer_ratio()  # compared in integers (denominators are positive)
    if graded:
        an, ad = p.pass_at.as_integer_ratio()
        passed_year = sn * ad >= an * sd
    else:
        passed_year = sn == sd
    points = _share_of(so_far, p)
    top = points if best is so_far else _share_of(best, p)
    return IndicatorResult(
        ind.id, ind.name, ind.points, points, top, False, passed_year, rule, periods, p.top
    )


def _share_of(share: Fraction, p: IndicatorPlan) -> Fraction:
    """The indicator's points at ``share``: counting roll-ups give all or nothing, and the shares
    met are few, so each product is worked out once per indicator."""
    if share is ONE:
        return p.points
    if share is ZERO:
        return ZERO
    key = share.as_integer_ratio()
    points = p.shares.get(key)
    if points is None:
        points = p.shares[key] = share * p.points
    return points


_MEAN = Rollup(method="mean")


def _roll_up(
    p: IndicatorPlan, periods: list[PeriodScore], fractions: list[Fraction], passed: int, reached: int
) -> tuple[Fraction, Fraction, str]:
    """The year's share of the indicator's points: so far (remaining periods at zero) and at best.

    ``fractions`` are the shares of the periods reached that count, ``passed`` how many of them
    passed, ``reached`` how many periods are not in the future.
    """
    ind = p.ind
    if ind.period == "year" or len(periods) == 1:
        only = periods[0]
        value = only.fraction or ZERO
        return value, (ONE if only.remaining else value), _("chấm một lần trong năm")
    rollup = ind.rollup or _MEAN
    rule = p.rollup_rule
    if rule is None:
        rule = p.rollup_rule = rollup_text(rollup)
    total = len(periods)
    so_far = _apply(rollup, fractions, passed, reached, total)
    remaining = total - reached
    if not remaining:
        return so_far, so_far, rule
    # "At best" adds the remaining periods at full marks.
    best = _apply(rollup, fractions + [ONE] * remaining, passed + remaining, total, total)
    return so_far, best, rule


def _apply(
    rollup: Rollup, fractions: list[Fraction], passed: int, periods: int, total_periods: int
) -> Fraction:
    """The roll-up over ``periods`` periods, of which ``fractions`` count (the others: not applicable)."""
    counted = len(fractions)
    if not counted:
        return ZERO
    method = rollup.method
    # Periods not reached yet count as zero in "so far": the denominator is the whole year.
    denominator = max(counted, total_periods - (periods - counted))
    if method in ("mean", "sum"):
        return exact_sum(fractions, denominator)
    if method == "min":
        return _least(fractions) if periods == total_periods else ZERO
    if method == "all":
        return ONE if passed == counted and periods == total_periods else ZERO
    if method == "at_least":
        return ONE if passed >= (rollup.count or 0) else ZERO
    return ONE if Fraction(passed, denominator) >= exact(rollup.share or Decimal(0)) else ZERO


def _least(fractions: list[Fraction]) -> Fraction:
    """min(fractions) (the first of the least), compared in integers (denominators are positive)."""
    least = fractions[0]
    ln, ld = least.as_integer_ratio()
    for fraction in fractions:
        fn, fd = fraction.as_integer_ratio()
        if fn * ld < ln * fd:
            least, ln, ld = fraction, fn, fd
    return least


def rollup_text(rollup: Rollup) -> str:
    if rollup.method == "sum":
        return _("cộng các kỳ")
    if rollup.method == "mean":
        return _("bình quân các kỳ")
    if rollup.method == "min":
        return _("lấy kỳ thấp nhất")
    if rollup.method == "all":
        return _("mọi kỳ đều phải đạt")
    if rollup.method == "at_least":
        return _("đủ điểm khi ít nhất {n} kỳ đạt").format(n=rollup.count)
    return _("đủ điểm khi từ {share} số kỳ đạt").format(
        share=fmt_number(exact(rollup.share or 0) * 100) + "%"
    )
