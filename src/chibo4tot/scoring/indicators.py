"""One indicator over the year: its periods, the declared roll-up, composites graded by bands. Pure."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from chibo4tot.i18n import _
from chibo4tot.inputs.items import PERIODS_IN_YEAR, period_max
from chibo4tot.inputs.values import AnyIndicator
from chibo4tot.models.framework import CompositeIndicator, Framework
from chibo4tot.models.records import MonthRecord
from chibo4tot.models.scales import Band, Rollup
from chibo4tot.scoring.facts import RecordRef
from chibo4tot.scoring.numbers import ONE, ZERO, exact
from chibo4tot.scoring.periods import (
    Context,
    Scored,
    pass_fraction,
    score_month_indicator,
    score_quarter_indicator,
    score_year_indicator,
)
from chibo4tot.scoring.results import IndicatorPeriod, IndicatorResult, PeriodScore
from chibo4tot.scoring.text import fmt_number, fmt_points, month_label, quarter_label


def _applies(ind: AnyIndicator, kind: str) -> bool:
    return ind.applies_to is None or kind in ind.applies_to


def score_indicator(ind: AnyIndicator, fw: Framework, ctx: Context, as_of: int) -> IndicatorResult:
    """Points of one top-level indicator for the year (exact), with every period traced."""
    kind = ctx.data.unit.kind.value
    if not _applies(ind, kind):
        return IndicatorResult(
            ind.id, ind.name, ind.points, ZERO, ZERO, True, True, _("không áp dụng cho loại tổ chức này")
        )
    if ind.period == "year":
        scored = score_year_indicator(ind, ctx)
        if scored is None:
            pending = as_of < 12
            period = PeriodScore(
                str(ctx.year),
                ZERO,
                False,
                "—",
                _("chưa có hồ sơ cuối năm") if pending else _("thiếu hồ sơ cuối năm: tính 0 điểm"),
                missing=not pending,
                remaining=pending,
            )
            return _result(ind, [period], fw, ctx)
        return _result(ind, [_wrap(scored, str(ctx.year))], fw, ctx)
    periods = [
        _score_period(ind, fw, ctx, number, as_of) for number in range(1, PERIODS_IN_YEAR[ind.period] + 1)
    ]
    return _result(ind, periods, fw, ctx)


def _wrap(scored: Scored, label: str) -> PeriodScore:
    return PeriodScore(
        label,
        scored.fraction,
        scored.passed,
        scored.value,
        scored.rule,
        scored.path,
        scored.loc,
        band=scored.band,
    )


def _score_period(ind: AnyIndicator, fw: Framework, ctx: Context, number: int, as_of: int) -> PeriodScore:
    months = ctx.data.months
    if ind.period == "quarter":
        label = quarter_label(number, ctx.year)
        span = range(3 * number - 2, 3 * number + 1)
        refs = [months[m] for m in span if m in months and m <= as_of]
        if span[-1] > as_of:  # the quarter is not over: what is already there may pass it
            if refs:
                scored = score_quarter_indicator(ind, refs, ctx)
                if scored.passed:
                    return _wrap(scored, label)
            return PeriodScore(label, ZERO, False, "—", _("kỳ chưa kết thúc"), remaining=True)
        if not refs:
            return _missing(label, fw, ind.rollup)
        return _wrap(score_quarter_indicator(ind, refs, ctx), label)
    label = month_label(number, ctx.year)
    if number > as_of:
        return PeriodScore(label, ZERO, False, "—", _("tháng chưa đến"), remaining=True)
    ref = months.get(number)
    if ref is None:
        return _missing(label, fw, ind.rollup)
    if isinstance(ind, CompositeIndicator):
        return score_composite(ind, number, ref, ctx, label)
    return _wrap(score_month_indicator(ind, None, number, ref, ctx), label)


def _missing(label: str, fw: Framework, rollup: Rollup | None) -> PeriodScore:
    policy = (rollup.missing if rollup else None) or fw.missing_month
    rule = _("thiếu hồ sơ: tính 0 điểm") if policy == "zero" else _("thiếu hồ sơ: không tính kỳ này")
    return PeriodScore(label, ZERO if policy == "zero" else None, False, "—", rule, missing=True)


def score_composite(
    ind: CompositeIndicator, month: int, ref: RecordRef[MonthRecord], ctx: Context, label: str
) -> PeriodScore:
    """Sub-indicators on their own scale → a band (capped when its conditions fail) → the band's level."""
    kind = ctx.data.unit.kind.value
    children: list[IndicatorPeriod] = []
    raw, top = ZERO, ZERO
    for child in ind.indicators:
        if not _applies(child, kind):
            continue
        scored = score_month_indicator(child, ind, month, ref, ctx)
        points = None if scored.fraction is None else scored.fraction * exact(child.points)
        children.append(IndicatorPeriod(child.id, child.name, child.points, points, _wrap(scored, label)))
        if points is not None:
            raw += points
            top += exact(child.points)
    full = sum((exact(c.points) for c in ind.indicators if _applies(c, kind)), ZERO)
    on_scale = raw * full / top if top else full
    at_max = {c.id for c in children if c.points is None or c.points == exact(c.max_points)}
    band, capped = pick_band(ind.bands, on_scale, lambda b: all(i in at_max for i in _band_ids(b)))
    level = next(lv for lv in ind.levels if lv.name == band.name)
    best = max(exact(lv.points) for lv in ind.levels)
    fraction = exact(level.points) / best if best else ONE
    rule = _("{points}/{full} điểm → xếp loại {band}").format(
        points=fmt_points(on_scale), full=fmt_number(full), band=band.name
    )
    if capped:
        rule += " " + _("(bị hạ vì chưa đủ điều kiện của mức {name})").format(name=capped)
    return PeriodScore(
        label, fraction, level.passed, band.name, rule, ref.path, (), band=band.name, children=children
    )


def _band_ids(band: Band) -> list[str]:
    return list(band.conditions.indicators_at_max) if band.conditions else []


def pick_band(bands: list[Band], points: Fraction, ok: Callable[[Band], bool]) -> tuple[Band, str | None]:
    """The highest band the points reach whose conditions hold.

    A band whose conditions fail caps the grade at its ``otherwise`` band (or the next one
    down). Returns the band and the name of the band that was capped, if any.
    """
    by_name = {b.name: b for b in bands}
    capped: str | None = None
    reachable = [b for b in bands if exact(b.min) <= points] or [bands[-1]]
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


def _result(ind: AnyIndicator, periods: list[PeriodScore], fw: Framework, ctx: Context) -> IndicatorResult:
    so_far, best, rule = roll_up(ind, periods)
    # Not applicable when every recorded period says so: a missing month does not make it count.
    recorded = [p for p in periods if not p.missing and not p.remaining]
    if recorded and all(p.fraction is None for p in recorded):
        return IndicatorResult(
            ind.id, ind.name, ind.points, ZERO, ZERO, True, True, _("không áp dụng"), periods
        )
    # Averaging roll-ups pass at the indicator's pass mark; counting ones give all or nothing.
    graded = ind.rollup is None or ind.rollup.method in ("mean", "min", "sum")
    passed = so_far >= pass_fraction(ind) if graded else so_far == ONE
    return IndicatorResult(
        ind.id,
        ind.name,
        ind.points,
        so_far * exact(ind.points),
        best * exact(ind.points),
        False,
        passed,
        rule,
        periods,
        period_max(ind),
    )


def roll_up(ind: AnyIndicator, periods: list[PeriodScore]) -> tuple[Fraction, Fraction, str]:
    """The year's share of the indicator's points: so far (remaining periods at zero) and at best."""
    if ind.period == "year" or len(periods) == 1:
        only = periods[0]
        value = only.fraction or ZERO
        return value, (ONE if only.remaining else value), _("chấm một lần trong năm")
    rollup = ind.rollup or Rollup(method="mean")
    so_far = _apply(rollup, [(p.fraction, p.passed) for p in periods if not p.remaining], len(periods))
    best = _apply(
        rollup,
        [(ONE, True) if p.remaining else (p.fraction, p.passed) for p in periods],
        len(periods),
    )
    return so_far, best, rollup_text(rollup)


def _apply(rollup: Rollup, values: list[tuple[Fraction | None, bool]], total_periods: int) -> Fraction:
    counted = [(f, ok) for f, ok in values if f is not None]
    if not counted:
        return ZERO
    method = rollup.method
    fractions = [f for f, _ok in counted]
    passed = sum(1 for _f, ok in counted if ok)
    # Periods not reached yet count as zero in "so far": the denominator is the whole year.
    denominator = max(len(counted), total_periods - (len(values) - len(counted)))
    if method in ("mean", "sum"):
        return sum(fractions, ZERO) / denominator
    if method == "min":
        return min(fractions) if len(values) == total_periods else ZERO
    if method == "all":
        return ONE if passed == len(counted) and len(values) == total_periods else ZERO
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
