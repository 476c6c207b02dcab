"""One indicator over the year: its periods, the declared roll-up, composites graded by bands. Pure."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction

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
    at_max: set[str] = set()
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
            at_max.add(child.ind.id)
        else:
            fn, fd = fraction.numerator, fraction.denominator
            cn, cd = child.points_nd
            if fn == fd:
                points = child.points
                pn, pd = cn, cd
            elif fn == 0:
                points, pn, pd = ZERO, 0, 1
            else:
                points = fraction * child.points
                pn, pd = points.numerator, points.denominator
            raw_n, raw_d = (raw_n + pn, raw_d) if pd == raw_d else (raw_n * pd + pn * raw_d, raw_d * pd)
            top_n, top_d = (top_n + cn, top_d) if cd == top_d else (top_n * cd + cn * top_d, top_d * cd)
            if fn == fd or cn == 0:
                at_max.add(child.ind.id)
        children.append(IndicatorPeriod(child.ind.id, child.ind.name, child.ind.points, points, scored))
    full = plan.full_for(kind)
    on_scale = Fraction(raw_n * full.numerator * top_d, raw_d * full.denominator * top_n) if top_n else full
    band_ids = plan.band_ids
    band, capped = pick_band(ind.bands, on_scale, lambda b: at_max.issuperset(band_ids[id(b)]), plan.band_min)
    fraction, passed = plan.level_of_band[band.name]
    key = (on_scale.numerator, on_scale.denominator, full, band.name, capped)
    rule = plan.texts.get(key)
    if rule is None:
        rule = _("{points}/{full} điểm → xếp loại {band}").format(
            points=fmt_points(on_scale), full=fmt_number(full), band=band.name
        )
        if capped:
            rule += " " + _("(bị hạ vì chưa đủ điều kiện của mức {name})").format(name=capped)
        plan.texts[key] = rule
    return PeriodScore(
        label, fraction, passed, band.name, rule, ref.path, (), band=band.name, children=children
    )


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
    so_far, best, rule = roll_up(ind, periods, p)
    # Not applicable when every recorded period says so: a missing month does not make it count.
    recorded = False
    for period in periods:
        if not period.missing and not period.remaining:
            recorded = True
            if period.fraction is not None:
                break
    else:
        if recorded:
            return IndicatorResult(
                ind.id, ind.name, ind.points, ZERO, ZERO, True, True, _("không áp dụng"), periods
            )
    # Averaging roll-ups pass at the indicator's pass mark; counting ones give all or nothing.
    graded = ind.rollup is None or ind.rollup.method in ("mean", "min", "sum")
    passed = so_far >= p.pass_at if graded else so_far == ONE
    points = _share_of(so_far, p.points)
    top = points if best is so_far else _share_of(best, p.points)
    return IndicatorResult(ind.id, ind.name, ind.points, points, top, False, passed, rule, periods, p.top)


def _share_of(share: Fraction, points: Fraction) -> Fraction:
    # Counting roll-ups give all or nothing: no multiplication for those.
    return points if share is ONE else ZERO if share is ZERO else share * points


_MEAN = Rollup(method="mean")


def roll_up(
    ind: AnyIndicator, periods: list[PeriodScore], p: IndicatorPlan | None = None
) -> tuple[Fraction, Fraction, str]:
    """The year's share of the indicator's points: so far (remaining periods at zero) and at best."""
    if ind.period == "year" or len(periods) == 1:
        only = periods[0]
        value = only.fraction or ZERO
        return value, (ONE if only.remaining else value), _("chấm một lần trong năm")
    rollup = ind.rollup or _MEAN
    cached = p.rollup_rule if p is not None else None
    rule = cached if cached is not None else rollup_text(rollup)
    if p is not None:
        p.rollup_rule = rule
    # One pass: the periods reached so far; "at best" adds the remaining ones at full marks.
    fractions: list[Fraction] = []
    passed = reached = 0
    for period in periods:
        if period.remaining:
            continue
        reached += 1
        if period.fraction is not None:
            fractions.append(period.fraction)
            passed += period.passed
    total = len(periods)
    so_far = _apply(rollup, fractions, passed, reached, total)
    remaining = total - reached
    if not remaining:
        return so_far, so_far, rule
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
        return exact_sum(fractions) / denominator
    if method == "min":
        return min(fractions) if periods == total_periods else ZERO
    if method == "all":
        return ONE if passed == counted and periods == total_periods else ZERO
    if method == "at_least":
        return ONE if passed >= (rollup.count or 0) else ZERO
    return ONE if Fraction(passed, denominator) >= exact(rollup.share or Decimal(0)) else ZERO


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
