"""Score one indicator in one period (a month, a quarter or the year) from values or facts. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from chibo4tot.errors import Loc
from chibo4tot.i18n import _
from chibo4tot.inputs.items import period_max
from chibo4tot.inputs.values import AnyIndicator, Value, ValueProblem, read_value
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
from chibo4tot.models.scales import Level
from chibo4tot.scoring.facts import (
    FactValue,
    RecordRef,
    UnitRecords,
    month_fact,
    thematic_combined,
    year_fact,
)
from chibo4tot.scoring.numbers import ONE, ZERO, compare, exact
from chibo4tot.scoring.results import ReviewGap
from chibo4tot.scoring.text import fmt_fact, fmt_number, op_text

LAYERS = (("review", ("review", "values")), ("vote", ("vote", "values")), ("assessment", ("assessment",)))


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


@dataclass(slots=True)
class Scored:
    """The outcome of one period before it is wrapped with its label."""

    fraction: Fraction | None
    passed: bool
    value: str
    rule: str
    path: Path | None = None
    loc: Loc = ()
    band: str | None = None


def final_value(rec: MonthRecord | YearRecord, ident: str) -> tuple[AssessedValue, Loc, str] | None:
    """The reviewed value decides where a review exists, then the chi bộ vote, then the self-assessment."""
    for name, prefix in LAYERS:
        layer = getattr(rec, name)
        values = layer if name == "assessment" else (layer.values if layer is not None else {})
        if ident in values:
            return values[ident], (*prefix, ident), name
    return None


def _level_fraction(levels: list[Level], level: Level) -> Fraction:
    top = max(exact(lv.points) for lv in levels)
    return exact(level.points) / top if top else ONE


def pass_fraction(ind: AnyIndicator) -> Fraction:
    """The share of the maximum at which an indicator counts as passed."""
    if isinstance(ind, PointsIndicator) and ind.pass_at is not None:
        top = exact(period_max(ind))
        return min(ONE, exact(ind.pass_at) / top) if top else ONE
    if isinstance(ind, LevelIndicator | CompositeIndicator):
        passing = [_level_fraction(ind.levels, lv) for lv in ind.levels if lv.passed]
        return min(passing, default=ONE)
    return ONE


def value_fraction(ind: AnyIndicator, value: Value, top: Decimal, target: Fraction) -> tuple[Fraction, bool]:
    if isinstance(ind, PassFailIndicator):
        return (ONE if value.passed else ZERO), bool(value.passed)
    if isinstance(ind, LevelIndicator) and value.level is not None:
        return _level_fraction(ind.levels, value.level), value.level.passed
    assert value.number is not None
    if isinstance(ind, PointsIndicator):
        fraction = exact(value.number) / exact(top) if top else ONE
        return fraction, fraction >= pass_fraction(ind)
    assert isinstance(ind, ThresholdIndicator | CountIndicator | DurationIndicator)
    ok = compare(ind.op, value.number, target)
    return (ONE if ok else ZERO), ok


def _target(ind: AnyIndicator, rec: MonthRecord | None) -> Fraction:
    if not isinstance(ind, ThresholdIndicator | CountIndicator | DurationIndicator):
        return ZERO
    target = exact(ind.target)
    for override in getattr(ind, "overrides", []):
        held = rec is not None and rec.thematic is not None and rec.thematic.held
        if (override.when == "thematic_combined" and rec is not None and thematic_combined(rec)) or (
            override.when == "thematic_held" and held
        ):
            target = exact(override.target)
    return target


def _rule(ind: AnyIndicator, target: Fraction) -> str:
    if isinstance(ind, ThresholdIndicator | CountIndicator | DurationIndicator):
        shown = fmt_fact(ind.source, target) if ind.source != "self" else fmt_number(target)
        return _("đạt khi {op} {target}").format(op=op_text(ind.op), target=shown)
    if isinstance(ind, PointsIndicator):
        return _("điểm tự chấm")
    if isinstance(ind, LevelIndicator):
        return _("mức → điểm")
    return _("Đạt / Không đạt")


def score_self(
    ind: AnyIndicator,
    parent: CompositeIndicator | None,
    ref: RecordRef[MonthRecord] | RecordRef[YearRecord],
    ctx: Context,
) -> Scored:
    """A self-assessed indicator: the final layer's value, with a warning when the review moved it a lot."""
    rec = ref.record
    month_rec = rec if isinstance(rec, MonthRecord) else None
    found = final_value(rec, ind.id)
    if found is None:
        return Scored(ZERO, False, "—", _("chưa ghi giá trị: tính 0 điểm"), ref.path, ("assessment",))
    assessed, loc, layer = found
    top = period_max(ind, parent)
    target = _target(ind, month_rec)
    try:
        value = read_value(ind, assessed, max_points=top)
    except ValueProblem as exc:
        return Scored(ZERO, False, str(assessed.value), str(exc), ref.path, loc)
    if value.not_applicable:
        return Scored(None, True, _("không áp dụng"), _("không tính vào điểm tối đa"), ref.path, loc)
    fraction, passed = value_fraction(ind, value, top, target)
    rule = _rule(ind, target)
    if layer != "assessment":
        rule += " " + (_("(đảng ủy thẩm định)") if layer == "review" else _("(chi bộ biểu quyết)"))
        _note_gap(ind, parent, rec, fraction, top, ref, loc, ctx)
    return Scored(fraction, passed, str(assessed.value), rule, ref.path, loc)


def _note_gap(
    ind: AnyIndicator,
    parent: CompositeIndicator | None,
    rec: MonthRecord | YearRecord,
    final: Fraction,
    top: Decimal,
    ref: RecordRef[MonthRecord] | RecordRef[YearRecord],
    loc: Loc,
    ctx: Context,
) -> None:
    own = rec.assessment.get(ind.id)
    if own is None:
        return
    try:
        value = read_value(ind, own, max_points=top)
    except ValueProblem:
        return
    if value.not_applicable:
        return
    own_fraction, _passed = value_fraction(
        ind, value, top, _target(ind, rec if isinstance(rec, MonthRecord) else None)
    )
    own_points, final_points = own_fraction * exact(top), final * exact(top)
    if abs(own_points - final_points) > exact(ctx.gap_warning):
        label = rec.month if isinstance(rec, MonthRecord) else str(rec.year)
        ctx.gaps.append(
            ReviewGap(
                ind.id,
                label,
                Decimal(str(float(own_points))),
                Decimal(str(float(final_points))),
                ref.path,
                loc,
            )
        )


def score_fact(ind: AnyIndicator, raw: FactValue, target: Fraction, path: Path | None, loc: Loc) -> Scored:
    """An indicator computed from a fact of the record."""
    shown = fmt_fact(ind.source, raw)
    if raw is None:
        if ind.source == "attendance_rate":
            return Scored(None, True, shown, _("không có đảng viên phải dự họp: không áp dụng"), path, loc)
        return Scored(ZERO, False, shown, _("chưa ghi số liệu: tính 0 điểm"), path, loc)
    if isinstance(ind, LevelIndicator | CompositeIndicator):
        wanted = str(raw).casefold()
        for level in ind.levels:
            if wanted in {level.name.casefold(), *(a.casefold() for a in level.aliases)}:
                return Scored(
                    _level_fraction(ind.levels, level), level.passed, shown, _("mức → điểm"), path, loc
                )
        return Scored(ZERO, False, shown, _("không khớp mức nào: tính 0 điểm"), path, loc)
    if isinstance(ind, PassFailIndicator):
        ok = bool(raw)
        return Scored(ONE if ok else ZERO, ok, shown, _("Đạt / Không đạt"), path, loc)
    number = exact(int(raw) if isinstance(raw, bool) else raw) if not isinstance(raw, str) else ZERO
    if isinstance(ind, PointsIndicator):
        top = exact(period_max(ind))
        fraction = min(ONE, number / top) if top else ONE
        return Scored(fraction, fraction >= pass_fraction(ind), shown, _("điểm theo số liệu"), path, loc)
    assert isinstance(ind, ThresholdIndicator | CountIndicator | DurationIndicator)
    ok = compare(ind.op, number, target)
    return Scored(ONE if ok else ZERO, ok, shown, _rule(ind, target), path, loc)


def score_month_indicator(
    ind: AnyIndicator,
    parent: CompositeIndicator | None,
    month: int,
    ref: RecordRef[MonthRecord],
    ctx: Context,
) -> Scored:
    if ind.source == "self":
        return score_self(ind, parent, ref, ctx)
    fact = month_fact(ref.record, ind.source, ctx.streaks.get(month, 0))
    return score_fact(ind, fact.value, _target(ind, ref.record), ref.path, fact.loc)


def score_quarter_indicator(ind: AnyIndicator, refs: list[RecordRef[MonthRecord]], ctx: Context) -> Scored:
    """A quarter: facts added up over its months (counts, booleans), a self value from its latest month."""
    if ind.source == "self":
        for ref in reversed(refs):
            if final_value(ref.record, ind.id) is not None:
                return score_self(ind, None, ref, ctx)
        return score_self(ind, None, refs[-1], ctx)
    values: list[FactValue] = []
    loc: Loc = ()
    for ref in refs:
        month = int(ref.record.month[5:])
        fact = month_fact(ref.record, ind.source, ctx.streaks.get(month, 0))
        values.append(fact.value)
        loc = fact.loc
    numbers = [exact(int(v)) if isinstance(v, bool | int) else v for v in values if v is not None]
    raw: FactValue
    texts = [v for v in values if isinstance(v, str)]
    if texts:  # a level (e.g. the quality of the quarter's thematic meeting): the latest one written
        raw = texts[-1]
    elif all(isinstance(v, bool | int) for v in values):
        raw = int(sum(numbers, ZERO))
    else:
        fractions = [n for n in numbers if isinstance(n, Fraction)]
        raw = sum(fractions, ZERO) / len(fractions) if fractions else None
    target = _target(ind, None)
    return score_fact(ind, raw, target, refs[-1].path, loc)


def score_year_indicator(ind: AnyIndicator, ctx: Context) -> Scored | None:
    """A year indicator from year.yaml (None when that record does not exist yet)."""
    if ind.source == "sub_units_recognised_share":
        return score_fact(ind, ctx.sub_units_share, _target(ind, None), None, ())
    ref = ctx.data.year
    if ref is None:
        return None
    if ind.source == "self":
        return score_self(ind, None, ref, ctx)
    fact = year_fact(ref, ind.source, ctx.data.months, ctx.sub_units_share)
    return score_fact(ind, fact.value, _target(ind, None), ref.path, fact.loc)
