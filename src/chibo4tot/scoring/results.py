"""What scoring produces: per unit, criterion, indicator and period, each with its trace. Pure data.

Results are cached between runs, so they pickle small and load fast (see
:mod:`chibo4tot.scoring.packing`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from chibo4tot.errors import Loc
from chibo4tot.models.workspace import Unit

GateStatus = Literal["passed", "failed", "pending"]
Status = Literal["recognised", "not_recognised", "in_progress"]


@dataclass(slots=True)
class PeriodScore:
    """One month (or quarter, or the year) of one indicator."""

    label: str  # "03/2024", "Quý 2", "2024"
    fraction: Fraction | None  # share of the period's maximum; None: not applicable
    passed: bool
    value: str  # the value used, as the user wrote it or as computed
    rule: str  # the rule applied, in Vietnamese
    path: Path | None = None
    loc: Loc = ()
    missing: bool = False  # no record for the period
    remaining: bool = False  # the period is after the as-of month
    band: str | None = None  # composite: the grade the period got
    children: tuple[IndicatorPeriod, ...] = ()  # composite: its sub-indicators (a tuple: none is shared)

    def __reduce__(self) -> tuple[Any, ...]:
        f = self.fraction
        return _period, (
            self.label,
            *_pair(f),
            self.passed,
            self.value,
            self.rule,
            self.path,
            self.loc,
            self.missing,
            self.remaining,
            self.band,
            self.children,
        )


@dataclass(slots=True)
class IndicatorPeriod:
    """A sub-indicator of a composite in one period."""

    id: str
    name: str
    max_points: Decimal
    points: Fraction | None  # None: not applicable
    score: PeriodScore

    def __reduce__(self) -> tuple[Any, ...]:
        return _sub_indicator, (self.id, self.name, self.max_points, *_pair(self.points), self.score)


@dataclass(slots=True)
class IndicatorResult:
    id: str
    name: str
    max_points: Decimal
    points: Fraction  # exact, on the year's scale
    best: Fraction  # the most it could still reach (remaining periods at full marks)
    not_applicable: bool
    passed: bool
    rule: str  # the roll-up rule
    periods: list[PeriodScore] = field(default_factory=list)
    period_max: Decimal = Decimal(0)  # what one period is worth on its own scale

    def __reduce__(self) -> tuple[Any, ...]:
        return _indicator, (
            self.id,
            self.name,
            self.max_points,
            *_pair(self.points),
            *_pair(self.best),
            self.not_applicable,
            self.passed,
            self.rule,
            self.periods,
            self.period_max,
        )


@dataclass(slots=True)
class CriterionResult:
    id: str
    name: str
    max_points: Decimal
    min_points: Decimal | None
    applicable_max: Decimal  # max_points minus not-applicable indicators
    raw: Fraction  # sum of indicator points before rescaling and deductions
    deduction: Decimal
    points: Decimal  # rounded, rescaled to max_points, deductions applied
    best: Decimal
    passed: bool
    indicators: list[IndicatorResult] = field(default_factory=list)

    def __reduce__(self) -> tuple[Any, ...]:
        # The indicators (every period of the year) travel packed: unpacked when read.
        return _criterion, (
            self.id,
            self.name,
            self.max_points,
            self.min_points,
            self.applicable_max,
            *_pair(self.raw),
            self.deduction,
            self.points,
            self.best,
            self.passed,
            _packed(self, ("indicators",), _encode_indicators),
        )


@dataclass(slots=True)
class LineItem:
    """A bonus or deduction line."""

    id: str
    name: str
    count: int
    points: Decimal
    criterion: str | None = None
    sources: list[tuple[Path | None, Loc]] = field(default_factory=list)

    def __reduce__(self) -> tuple[Any, ...]:
        return _line, (
            self.id,
            self.name,
            self.count,
            self.points,
            self.criterion,
            _packed(self, ("sources",)),
        )


@dataclass(slots=True)
class GateResult:
    id: str
    kind: str
    status: GateStatus
    reason: str  # the framework's sentence, a template over ``fields``
    detail: str  # what was found
    path: Path | None = None
    loc: Loc = ()
    fields: dict[str, str] = field(default_factory=dict)  # the particulars the reason may name
    title: str | None = None  # the framework's short name of the condition

    def __reduce__(self) -> tuple[Any, ...]:
        return _positional(self)


@dataclass(slots=True)
class ReviewGap:
    indicator: str
    label: str
    self_points: Decimal
    final_points: Decimal
    path: Path | None
    loc: Loc

    def __reduce__(self) -> tuple[Any, ...]:
        return _positional(self)


@dataclass(slots=True)
class UnitResult:
    unit: Unit
    framework_id: str
    framework_title: str
    year: int
    as_of: int
    months_recorded: list[int]
    months_missing: list[int]
    criteria: list[CriterionResult]
    bonus: Decimal
    bonus_items: list[LineItem]
    deductions: list[LineItem]
    total: Decimal
    best_total: Decimal
    max_total: Decimal
    min_total: Decimal
    rating: str | None
    rating_rule: str
    gates: list[GateResult]
    status: Status = "not_recognised"
    reasons: list[str] = field(default_factory=list)
    # The rule behind each reason, same order: "total", "criterion:<id>", "gate:<id>", "rating".
    reason_rules: list[str] = field(default_factory=list)
    needed: list[str] = field(default_factory=list)  # what would have been needed
    demoted_by: str | None = None
    review_gaps: list[ReviewGap] = field(default_factory=list)
    monthly: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    streak: int = 0
    year_path: Path | None = None
    provisional: bool = False  # before the year is over: the rating is projected (tạm tính)
    projected_total: Decimal | None = None  # the total projected to the whole year
    # False when the unit's framework is judged once a year (a đảng bộ cơ sở's): no months kept
    takes_months: bool = True
    previous: PreviousUnit | None = None  # its results of the year before, when known

    @property
    def recognised(self) -> bool:
        return self.status == "recognised"

    def __reduce__(self) -> tuple[Any, ...]:
        # A cache holds thousands of these: what a summary reads loads at once; the gates, the
        # review gaps and the monthly rows travel packed and are unpacked when read.
        values = tuple(None if name in _UNIT_PACKED else getattr(self, name) for name in _names(UnitResult))
        return _unit, (values, _packed(self, _UNIT_PACKED))


@dataclass(slots=True)
class Tally:
    units: int = 0
    recognised: int = 0

    def __reduce__(self) -> tuple[Any, ...]:
        return _positional(self)

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.recognised, self.units) if self.units else None

    def add(self, other: Tally) -> None:
        """Count ``other``'s cells in too."""
        self.units += other.units
        self.recognised += other.recognised


@dataclass(frozen=True, slots=True)
class PreviousUnit:
    """A unit's results of the year before, shown beside this year's: from the workspace's records
    of that year or from that year's export."""

    year: int
    total: Decimal
    rating: str | None
    recognised: bool
    criteria: tuple[tuple[str, Decimal], ...] = ()  # criterion id, points

    def __reduce__(self) -> tuple[Any, ...]:
        return _positional(self)


@dataclass(frozen=True, slots=True)
class PreviousYear:
    """The year before over the cells: how many were scored and recognised, overall and per đảng
    bộ (by parent id, as :class:`Summary` counts them); ``source`` is "records" or "export"."""

    year: int
    cells: Tally
    by_parent: dict[str, Tally]
    source: str = "records"

    def __reduce__(self) -> tuple[Any, ...]:
        return _positional(self)


@dataclass(slots=True)
class Summary:
    """Counts over the cells (chi bộ); đảng bộ verdicts are tallied apart."""

    cells: Tally
    by_kind: dict[str, Tally]
    by_parent: dict[str, Tally]
    dang_bo: Tally
    failed_criteria: dict[str, int]
    failed_gates: dict[str, int]

    def __reduce__(self) -> tuple[Any, ...]:
        return _positional(self)


@dataclass(slots=True)
class YearResults:
    year: int
    as_of: int
    framework_id: str
    framework_title: str
    units: list[UnitResult]
    summary: Summary
    unscored: list[tuple[Unit, str]] = field(default_factory=list)  # unit, why
    previous: PreviousYear | None = None  # the year before, when its results are known

    def __reduce__(self) -> tuple[Any, ...]:
        return _positional(self)


# The pickling (the __reduce__ above name its functions), below the classes it subclasses and
# reads: scoring.packing imports this module, and this package's __init__ imports this one first.
from chibo4tot.scoring.packing import (  # noqa: E402
    _UNIT_PACKED,
    _criterion,
    _encode_indicators,
    _indicator,
    _line,
    _names,
    _packed,
    _pair,
    _period,
    _positional,
    _sub_indicator,
    _unit,
)
