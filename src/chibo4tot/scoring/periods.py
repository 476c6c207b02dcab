"""Score one indicator in one period (a month, a quarter or the year) from values or facts. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from chibo4tot.errors import Loc
from chibo4tot.i18n import N_, _
from chibo4tot.inputs.items import period_max
from chibo4tot.inputs.values import ValueProblem
from chibo4tot.models.framework import (
    CompositeIndicator,
    CountIndicator,
    DurationIndicator,
    LevelIndicator,
    PassFailIndicator,
    PointsIndicator,
    ThresholdIndicator,
)
from chibo4tot.models.records import AssessedValue, MonthRecord, YearRecord
from chibo4tot.scoring.facts import (
    FactValue,
    RecordRef,
    UnitRecords,
    month_fact,
    thematic_combined,
    year_fact,
)
from chibo4tot.scoring.numbers import ONE, ZERO, compare, exact
from chibo4tot.scoring.plan import IndicatorPlan, Judged, Plan
from chibo4tot.scoring.results import PeriodScore, ReviewGap
from chibo4tot.scoring.text import fmt_fact


@dataclass(slots=True)
class Context:
    """One unit in one year, as the period scorers need it."""

    data: UnitRecords
    year: int
    gap_warning: Decimal
    streaks: dict[int, int]
    sub_units_share: Fraction | None = None
    warnings: list[str] = field(default_factory=list)
    gaps: list[ReviewGap] = field(default_factory=list)
    plan: Plan | None = None
    kind: str = ""


def final_value(rec: MonthRecord | YearRecord, ident: str) -> tuple[AssessedValue, Loc, str] | None:
    """The reviewed value decides where a review exists, then the chi bộ vote, then the self-assessment."""
    review = rec.review
    if review is not None and ident in review.values:
        return review.values[ident], ("review", "values", ident), "review"
    vote = rec.vote
    if vote is not None and ident in vote.values:
        return vote.values[ident], ("vote", "values", ident), "vote"
    if ident in rec.assessment:
        return rec.assessment[ident], ("assessment", ident), "assessment"
    return None


def _target(p: IndicatorPlan, rec: MonthRecord | None) -> Fraction:
    target = p.target
    if p.overrides and rec is not None:
        held = rec.thematic is not None and rec.thematic.held
        for when, override in p.overrides:
            if (when == "thematic_combined" and thematic_combined(rec)) or (when == "thematic_held" and held):
                target = override
    return target


_BY_LAYER = {"review": N_("(đảng ủy thẩm định)"), "vote": N_("(chi bộ biểu quyết)")}


def score_self(
    p: IndicatorPlan,
    ref: RecordRef[MonthRecord] | RecordRef[YearRecord],
    ctx: Context,
    label: str,
) -> PeriodScore:
    """A self-assessed indicator: the final layer's value, with a warning when the review moved it a lot."""
    rec = ref.record
    # final_value, with where each layer is written worked out once per indicator
    ident = p.id
    review, vote = rec.review, rec.vote
    if review is not None and ident in review.values:
        assessed, loc, layer = review.values[ident], p.locs[0], "review"
    elif vote is not None and ident in vote.values:
        assessed, loc, layer = vote.values[ident], p.locs[1], "vote"
    elif ident in rec.assessment:
        assessed, loc, layer = rec.assessment[ident], p.locs[2], "assessment"
    else:
        return PeriodScore(
            label, ZERO, False, "—", _("chưa ghi giá trị: tính 0 điểm"), ref.path, ("assessment",)
        )
    try:
        value, fraction, passed, shown = p.read(assessed)
    except ValueProblem as exc:
        return PeriodScore(label, ZERO, False, str(assessed.value), str(exc), ref.path, loc)
    if fraction is None:
        return PeriodScore(
            label, None, True, _("không áp dụng"), _("không tính vào điểm tối đa"), ref.path, loc
        )
    if p.overridden:
        target = _target(p, rec if isinstance(rec, MonthRecord) else None)
        fraction, passed = p.judge(value, target)
        rule = p.rule(target)
    else:
        rule = p.base_rule if p.base_rule is not None else p.rule(p.target)
    if layer != "assessment":
        rule += " " + _(_BY_LAYER[layer])
        _note_gap(p, rec, fraction, ref, loc, ctx)
    return PeriodScore(label, fraction, passed, shown, rule, ref.path, loc)


def _note_gap(
    p: IndicatorPlan,
    rec: MonthRecord | YearRecord,
    final: Fraction,
    ref: RecordRef[MonthRecord] | RecordRef[YearRecord],
    loc: Loc,
    ctx: Context,
) -> None:
    own = rec.assessment.get(p.ind.id)
    if own is None:
        return
    try:
        value, own_fraction, _passed, _shown = p.read(own)
    except ValueProblem:
        return
    if own_fraction is None:
        return
    if p.overridden:
        own_fraction, _passed = p.judge(value, _target(p, rec if isinstance(rec, MonthRecord) else None))
    own_points, final_points = own_fraction * p.top_exact, final * p.top_exact
    if abs(own_points - final_points) > exact(ctx.gap_warning):
        label = rec.month if isinstance(rec, MonthRecord) else str(rec.year)
        ctx.gaps.append(
            ReviewGap(
                p.ind.id,
                label,
                Decimal(str(float(own_points))),
                Decimal(str(float(final_points))),
                ref.path,
                loc,
            )
        )


def score_fact(
    p: IndicatorPlan, raw: FactValue, target: Fraction, path: Path | None, loc: Loc, label: str
) -> PeriodScore:
    """An indicator computed from a fact of the record."""
    # The verdict depends only on the value and the target: worked out once per framework.
    kind = raw.__class__
    value_key = raw.as_integer_ratio() if kind is Fraction else (kind, raw)  # type: ignore[union-attr]
    key = value_key if target is p.target else (value_key, target.numerator, target.denominator)
    judged = p.facts.get(key)
    if judged is None:
        judged = p.facts[key] = _judge_fact(p, raw, target)
    fraction, passed, shown, rule = judged
    return PeriodScore(label, fraction, passed, shown, rule, path, loc)


def _judge_fact(p: IndicatorPlan, raw: FactValue, target: Fraction) -> Judged:
    ind = p.ind
    shown = fmt_fact(ind.source, raw)
    if raw is None:
        if ind.source == "attendance_rate":
            return None, True, shown, _("không có đảng viên phải dự họp: không áp dụng")
        return ZERO, False, shown, _("chưa ghi số liệu: tính 0 điểm")
    if isinstance(ind, LevelIndicator | CompositeIndicator):
        level = p.levels_by_word.get(str(raw).casefold())
        if level is not None:
            return p.level_fraction(level), level.passed, shown, _("mức → điểm")
        return ZERO, False, shown, _("không khớp mức nào: tính 0 điểm")
    if isinstance(ind, PassFailIndicator):
        return ONE if raw else ZERO, bool(raw), shown, _("Đạt / Không đạt")
    number = exact(int(raw) if isinstance(raw, bool) else raw) if not isinstance(raw, str) else ZERO
    if isinstance(ind, PointsIndicator):
        top = exact(period_max(ind))
        fraction = min(ONE, number / top) if top else ONE
        return fraction, fraction >= p.pass_at, shown, _("điểm theo số liệu")
    assert isinstance(ind, ThresholdIndicator | CountIndicator | DurationIndicator)
    ok = compare(ind.op, number, target)
    return ONE if ok else ZERO, ok, shown, p.rule(target)


def score_month_indicator(
    p: IndicatorPlan, month: int, ref: RecordRef[MonthRecord], ctx: Context, label: str
) -> PeriodScore:
    if p.own:
        return score_self(p, ref, ctx, label)
    rec = ref.record
    found = p.month_fact
    if found is None:
        raise KeyError(p.ind.source)  # not a month fact (as month_fact says)
    get, loc = found
    value = get(rec, ctx.streaks.get(month, 0))
    target = _target(p, rec) if p.overridden else p.target
    return score_fact(p, value, target, ref.path, loc, label)


def score_quarter_indicator(
    p: IndicatorPlan, refs: list[RecordRef[MonthRecord]], ctx: Context, label: str
) -> PeriodScore:
    """A quarter: facts added up over its months (counts, booleans), a self value from its latest month."""
    ind = p.ind
    if ind.source == "self":
        for ref in reversed(refs):
            if final_value(ref.record, ind.id) is not None:
                return score_self(p, ref, ctx, label)
        return score_self(p, refs[-1], ctx, label)
    values: list[FactValue] = []
    loc: Loc = ()
    for ref in refs:
        month = int(ref.record.month[5:])
        fact = month_fact(ref.record, ind.source, ctx.streaks.get(month, 0))
        values.append(fact.value)
        loc = fact.loc
    raw: FactValue
    texts = [v for v in values if isinstance(v, str)]
    if texts:  # a level (e.g. the quality of the quarter's thematic meeting): the latest one written
        raw = texts[-1]
    elif len(counts := [int(v) for v in values if isinstance(v, bool | int)]) == len(values):
        raw = sum(counts)  # counts and yes/no: added up in integers
    else:
        numbers = [exact(int(v)) if isinstance(v, bool | int) else v for v in values if v is not None]
        fractions = [n for n in numbers if isinstance(n, Fraction)]
        raw = sum(fractions, ZERO) / len(fractions) if fractions else None
    return score_fact(p, raw, _target(p, None), refs[-1].path, loc, label)


def score_year_indicator(p: IndicatorPlan, ctx: Context, label: str) -> PeriodScore | None:
    """A year indicator from year.yaml (None when that record does not exist yet)."""
    ind = p.ind
    if ind.source == "sub_units_recognised_share":
        return score_fact(p, ctx.sub_units_share, _target(p, None), None, (), label)
    ref = ctx.data.year
    if ref is None:
        return None
    if ind.source == "self":
        return score_self(p, ref, ctx, label)
    fact = year_fact(ref, ind.source, ctx.data.months, ctx.sub_units_share)
    return score_fact(p, fact.value, _target(p, None), ref.path, fact.loc, label)
