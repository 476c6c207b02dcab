"""A framework compiled once for scoring: exact numbers, level tables and rule texts per indicator. Pure.

Scoring a province reads the same indicator thousands of times; everything that depends only on
the framework (and the language of the texts) is worked out here once and looked up after.
Frameworks are frozen models, so a plan stays true for as long as its framework lives.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from chibo4tot.errors import Loc
from chibo4tot.i18n import _, current_language
from chibo4tot.inputs.items import period_max
from chibo4tot.inputs.values import AnyIndicator, Value, ValueProblem, read_value
from chibo4tot.models.framework import (
    CompositeIndicator,
    CountIndicator,
    DurationIndicator,
    Framework,
    LevelIndicator,
    PassFailIndicator,
    PointsIndicator,
    ThresholdIndicator,
)
from chibo4tot.models.records import AssessedValue
from chibo4tot.models.scales import Level
from chibo4tot.scoring.facts import MONTH_FACTS, MonthFact
from chibo4tot.scoring.numbers import ONE, ZERO, compare, exact
from chibo4tot.scoring.text import fmt_fact, fmt_number, op_text

_KEEP = 16  # frameworks whose plans stay cached (a workspace uses a handful)

# A value as read: the value, its share at the indicator's usual target (None: not applicable), passed,
# and the value as written (what explain shows).
Read = tuple[Value, Fraction | None, bool, str]
# A fact judged: its share (None: not applicable), passed, the fact as shown, the rule applied.
Judged = tuple[Fraction | None, bool, str, str]


def _level_fraction(levels: list[Level], level: Level) -> Fraction:
    top = max(exact(lv.points) for lv in levels)
    return exact(level.points) / top if top else ONE


@dataclass(slots=True, eq=False)
class IndicatorPlan:
    """One indicator (or sub-indicator of a composite) as the period scorers read it."""

    ind: AnyIndicator
    points: Fraction  # the year's points, exact
    points_nd: tuple[int, int]  # the same as numerator and denominator, for sums in integers
    top: Decimal  # what one period is worth (period_max)
    top_exact: Fraction
    pass_at: Fraction  # share of the period's maximum at which it counts as passed
    target: Fraction  # the threshold before any override
    level_fractions: dict[int, Fraction]  # id(level) → share of the top level
    levels_by_word: dict[str, Level]  # casefolded name or alias → level (facts naming a level)
    applies_to: frozenset[str] | None
    overridden: bool  # a threshold whose target changes with the month's thematic meeting
    own: bool  # self-assessed (source: self)
    id: str
    name: str
    max_points: Decimal  # the points as declared
    # Where a self-assessed value is written, by layer: review, vote, assessment.
    locs: tuple[Loc, Loc, Loc]
    month_fact: MonthFact | None  # how a month fact is read (None: self-assessed, or not a month fact)
    bit: int = 0  # a composite's sub-indicator: its bit in the composite's masks
    overrides: tuple[tuple[str, Fraction], ...] = ()  # (when, target) of a threshold's overrides
    shares: dict[tuple[int, int], Fraction] = field(default_factory=dict)  # a period's share → its points
    rules: dict[tuple[int, int], str] = field(default_factory=dict)  # target → "đạt khi …"
    base_rule: str | None = None  # the rule at the usual target
    rollup_rule: str | None = None  # how its periods add up to the year, in words
    facts: dict[object, Judged] = field(default_factory=dict)  # (raw fact, target) → its verdict
    values: dict[object, Read | str] = field(default_factory=dict)  # read_value, memoised

    def applies(self, kind: str) -> bool:
        return self.applies_to is None or kind in self.applies_to

    def rule(self, target: Fraction) -> str:
        """The rule a period applies, in the plan's language (cached per target)."""
        if target is self.target and self.base_rule is not None:
            return self.base_rule
        key = (target.numerator, target.denominator)
        text = self.rules.get(key)
        if text is None:
            text = self.rules[key] = _rule_text(self.ind, target)
        if target is self.target:
            self.base_rule = text
        return text

    def read(self, assessed: AssessedValue) -> Read:
        """read_value against this indicator and its share at the usual target, once per written value.

        Raises ValueProblem as read_value does.
        """
        raw = assessed.value
        kind = raw.__class__
        # 1 and 1.0 and "1" read alike but may be shown apart in a message: keep them apart
        if kind is not str and kind is not int and kind is not bool and isinstance(raw, float | Decimal):
            raw_key: object = repr(raw)
        else:
            raw_key = raw
        key: object = (kind, raw_key, assessed.not_applicable)
        try:
            got = self.values.get(key)
        except TypeError:  # an unhashable value: read it every time
            got, key = None, None
        if got is None:
            try:
                value = read_value(self.ind, assessed, max_points=self.top)
            except ValueProblem as exc:
                got = str(exc)
            else:
                shared = (None, True) if value.not_applicable else self.judge(value, self.target)
                got = (value, *shared, str(raw))
            if key is not None:
                self.values[key] = got
        if isinstance(got, str):
            raise ValueProblem(got)
        return got

    def judge(self, value: Value, target: Fraction) -> tuple[Fraction, bool]:
        """A value's share of the period's maximum, and whether it passes."""
        ind = self.ind
        if isinstance(ind, PassFailIndicator):
            return (ONE if value.passed else ZERO), bool(value.passed)
        if isinstance(ind, LevelIndicator) and value.level is not None:
            return self.level_fraction(value.level), value.level.passed
        assert value.number is not None
        if isinstance(ind, PointsIndicator):
            fraction = exact(value.number) / self.top_exact if self.top else ONE
            return fraction, fraction >= self.pass_at
        assert isinstance(ind, ThresholdIndicator | CountIndicator | DurationIndicator)
        ok = compare(ind.op, value.number, target)
        return (ONE if ok else ZERO), ok

    def level_fraction(self, level: Level) -> Fraction:
        return self.level_fractions[id(level)]


@dataclass(slots=True, eq=False)
class CompositePlan:
    """A composite's bands and levels, worked out once."""

    children: list[IndicatorPlan]
    full: dict[str, Fraction]  # unit kind → sum of the points of the sub-indicators that apply
    band_min: dict[int, Fraction]  # id(band) → its minimum, exact
    band_ids: dict[int, tuple[str, ...]]  # id(band) → the sub-indicators it needs at their maximum
    level_of_band: dict[str, tuple[Fraction, bool]]  # band name → (share of the best level, passed)
    # (unit kind, points on the composite's scale as numerator and denominator, mask of the
    # sub-indicators at their maximum) → the period's share, passed, band and rule
    outcomes: dict[tuple[str, int, int, int], tuple[Fraction, bool, str, str]] = field(default_factory=dict)
    applicable: dict[str, list[IndicatorPlan]] = field(default_factory=dict)  # unit kind → sub-indicators

    def children_for(self, kind: str) -> list[IndicatorPlan]:
        got = self.applicable.get(kind)
        if got is None:
            got = self.applicable[kind] = [c for c in self.children if c.applies(kind)]
        return got

    def full_for(self, kind: str) -> Fraction:
        got = self.full.get(kind)
        if got is None:
            got = self.full[kind] = sum((c.points for c in self.children if c.applies(kind)), ZERO)
        return got


@dataclass(slots=True, eq=False)
class Plan:
    """Every indicator of one framework, compiled."""

    framework: Framework
    indicators: dict[int, IndicatorPlan]  # id(indicator) → plan (sub-indicators keyed likewise)
    composites: dict[int, CompositePlan]
    # Per criterion, for the monthly rows: its maximum and, of each monthly indicator, its place
    # in the criterion and its points (numerator and denominator of each).
    monthly: tuple[tuple[str, int, int, tuple[tuple[int, int, int], ...]], ...] = ()
    takes_months: bool = True  # see Framework.takes_months

    def of(self, ind: AnyIndicator) -> IndicatorPlan:
        return self.indicators[id(ind)]


def _rule_text(ind: AnyIndicator, target: Fraction) -> str:
    if isinstance(ind, ThresholdIndicator | CountIndicator | DurationIndicator):
        shown = fmt_fact(ind.source, target) if ind.source != "self" else fmt_number(target)
        return _("đạt khi {op} {target}").format(op=op_text(ind.op), target=shown)
    if isinstance(ind, PointsIndicator):
        return _("điểm tự chấm")
    if isinstance(ind, LevelIndicator):
        return _("mức → điểm")
    return _("Đạt / Không đạt")


def _pass_at(ind: AnyIndicator, top: Fraction, level_fractions: dict[int, Fraction]) -> Fraction:
    if isinstance(ind, PointsIndicator) and ind.pass_at is not None:
        # pass_at is on the year's scale against period_max without a parent (as scoring always did)
        year_top = exact(period_max(ind))
        return min(ONE, exact(ind.pass_at) / year_top) if year_top else ONE
    if isinstance(ind, LevelIndicator | CompositeIndicator):
        passing = [level_fractions[id(lv)] for lv in ind.levels if lv.passed]
        return min(passing, default=ONE)
    return ONE


def _indicator_plan(ind: AnyIndicator, parent: CompositeIndicator | None, bit: int = 0) -> IndicatorPlan:
    top = period_max(ind, parent)
    level_fractions: dict[int, Fraction] = {}
    by_word: dict[str, Level] = {}
    if isinstance(ind, LevelIndicator | CompositeIndicator):
        for level in ind.levels:
            level_fractions[id(level)] = _level_fraction(ind.levels, level)
        for level in reversed(ind.levels):  # the first level that matches wins, as before
            for word in (level.name, *level.aliases):
                by_word[word.casefold()] = level
    target = (
        exact(ind.target)
        if isinstance(ind, ThresholdIndicator | CountIndicator | DurationIndicator)
        else ZERO
    )
    points = exact(ind.points)
    return IndicatorPlan(
        ind,
        points,
        (points.numerator, points.denominator),
        top,
        exact(top),
        _pass_at(ind, exact(top), level_fractions),
        target,
        level_fractions,
        by_word,
        frozenset(k.value for k in ind.applies_to) if ind.applies_to is not None else None,
        bool(getattr(ind, "overrides", None)),
        ind.source == "self",
        ind.id,
        ind.name,
        ind.points,
        (("review", "values", ind.id), ("vote", "values", ind.id), ("assessment", ind.id)),
        MONTH_FACTS.get(ind.source),
        bit,
        tuple((o.when, exact(o.target)) for o in getattr(ind, "overrides", None) or ()),
    )


def _compile(fw: Framework) -> Plan:
    indicators: dict[int, IndicatorPlan] = {}
    composites: dict[int, CompositePlan] = {}
    for criterion in fw.criteria:
        for ind in criterion.indicators:
            indicators[id(ind)] = _indicator_plan(ind, None)
            if isinstance(ind, CompositeIndicator):
                children = [_indicator_plan(child, ind, 1 << i) for i, child in enumerate(ind.indicators)]
                for child in children:
                    indicators[id(child.ind)] = child
                full: dict[str, Fraction] = {}
                best = max(exact(lv.points) for lv in ind.levels)
                levels = {
                    lv.name: (exact(lv.points) / best if best else ONE, lv.passed)
                    for lv in reversed(ind.levels)
                }
                composites[id(ind)] = CompositePlan(
                    children,
                    full,
                    {id(b): exact(b.min) for b in ind.bands},
                    {id(b): tuple(b.conditions.indicators_at_max) if b.conditions else () for b in ind.bands},
                    levels,
                )
    monthly = tuple(
        (
            c.id,
            exact(c.max_points).numerator,
            exact(c.max_points).denominator,
            tuple(
                (place, *indicators[id(ind)].points_nd)
                for place, ind in enumerate(c.indicators)
                if ind.period == "month"
            ),
        )
        for c in fw.criteria
    )
    return Plan(fw, indicators, composites, monthly, fw.takes_months())


_PLANS: OrderedDict[tuple[int, str], Plan] = OrderedDict()


def plan_for(fw: Framework) -> Plan:
    """The framework's plan in the current language, compiled on first use."""
    key = (id(fw), current_language())
    plan = _PLANS.get(key)
    if plan is None or plan.framework is not fw:
        plan = _PLANS[key] = _compile(fw)
        while len(_PLANS) > _KEEP:
            _PLANS.popitem(last=False)
    else:
        _PLANS.move_to_end(key)
    return plan
