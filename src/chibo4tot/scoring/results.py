"""What scoring produces: per unit, criterion, indicator and period, each with its trace. Pure data.

Results are cached between runs, so they pickle small and load fast: every class pickles its
fields by position (exact numbers as two integers), and the bulk of a unit (every period of every
indicator, the gates, the monthly rows) travels as compressed blobs unpacked on first read.
"""

from __future__ import annotations

import functools
import pickle
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
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


# ── pickling ──────────────────────────────────────────────────────────────────

_UNIT_PACKED = ("gates", "review_gaps", "monthly", "year_path")


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _positional(obj: object) -> tuple[Any, ...]:
    return type(obj), tuple(getattr(obj, name) for name in _names(type(obj)))


def _pair(value: Fraction | None) -> tuple[int | None, int]:
    return (None, 1) if value is None else (value.numerator, value.denominator)


@functools.lru_cache(maxsize=4096)
def _fraction(numerator: int, denominator: int) -> Fraction:
    # Periods repeat a few shares (1, 0, 1/2…): one shared immutable object each.
    return Fraction(numerator, denominator)


def _maybe(numerator: int | None, denominator: int) -> Fraction | None:
    return None if numerator is None else _fraction(numerator, denominator)


def _period(label: str, n: int | None, d: int, *rest: Any) -> PeriodScore:
    return PeriodScore(label, _maybe(n, d), *rest)


def _sub_indicator(
    ident: str, name: str, max_points: Decimal, n: int | None, d: int, score: PeriodScore
) -> IndicatorPeriod:
    return IndicatorPeriod(ident, name, max_points, _maybe(n, d), score)


def _indicator(
    ident: str, name: str, max_points: Decimal, pn: int, pd: int, bn: int, bd: int, *rest: Any
) -> IndicatorResult:
    return IndicatorResult(ident, name, max_points, _fraction(pn, pd), _fraction(bn, bd), *rest)


Codec = Callable[[tuple[Any, ...]], tuple[Any, ...]]


def _same(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return values


def _packed(obj: Any, names: tuple[str, ...], encode: Codec = _same) -> bytes:
    """The fields ``names`` of ``obj`` as one compressed pickle (the same bytes if never unpacked)."""
    blob: bytes | None = getattr(obj, "_blob", None)  # still packed: the same bytes again
    if blob is None:
        values = encode(tuple(getattr(obj, n) for n in names))
        blob = zlib.compress(pickle.dumps(values, protocol=5), 1)
    return blob


def _unpack(obj: Any, base: type, names: tuple[str, ...], decode: Codec) -> None:
    try:
        blob = obj._blob
    except AttributeError:  # made by hand (dataclasses.replace): nothing packed
        return
    if blob is None:  # unpacked already
        return
    obj._blob = None
    for name, value in zip(names, decode(pickle.loads(zlib.decompress(blob))), strict=True):
        base.__dict__[name].__set__(obj, value)


def _lazy(base: type, name: str, names: tuple[str, ...], decode: Codec = _same) -> Any:
    """A field of ``base`` read through a property that unpacks ``names`` first."""
    member = base.__dict__[name]

    def get(obj: Any) -> Any:
        _unpack(obj, base, names, decode)
        return member.__get__(obj, type(obj))

    def put(obj: Any, value: Any) -> None:
        _unpack(obj, base, names, decode)
        member.__set__(obj, value)

    return property(get, put)


# A criterion's indicators are most of a unit (every period of the year): they are packed as plain
# tuples by one function each way, which is several times faster than pickling object by object.


def _encode_period(p: PeriodScore) -> tuple[Any, ...]:
    children = tuple(
        (c.id, c.name, c.max_points, *_pair(c.points), _encode_period(c.score)) for c in p.children
    )
    return (
        p.label,
        *_pair(p.fraction),
        p.passed,
        p.value,
        p.rule,
        p.path,
        p.loc,
        p.missing,
        p.remaining,
        p.band,
        children,
    )


def _decode_period(t: tuple[Any, ...]) -> PeriodScore:
    label, n, d, passed, value, rule, path, loc, missing, remaining, band, children = t
    subs = tuple(
        IndicatorPeriod(i, name, top, _maybe(cn, cd), _decode_period(score))
        for i, name, top, cn, cd, score in children
    )
    return PeriodScore(label, _maybe(n, d), passed, value, rule, path, loc, missing, remaining, band, subs)


def _encode_indicators(values: tuple[Any, ...]) -> tuple[Any, ...]:
    (indicators,) = values
    return (
        tuple(
            (
                i.id,
                i.name,
                i.max_points,
                *_pair(i.points),
                *_pair(i.best),
                i.not_applicable,
                i.passed,
                i.rule,
                tuple(_encode_period(p) for p in i.periods),
                i.period_max,
            )
            for i in indicators
        ),
    )


def _decode_indicators(values: tuple[Any, ...]) -> tuple[Any, ...]:
    (indicators,) = values
    out = []
    for ident, name, top, pn, pd, bn, bd, not_applicable, passed, rule, periods, period_max in indicators:
        decoded = [_decode_period(p) for p in periods]
        out.append(
            IndicatorResult(
                ident,
                name,
                top,
                _fraction(pn, pd),
                _fraction(bn, bd),
                not_applicable,
                passed,
                rule,
                decoded,
                period_max,
            )
        )
    return (out,)


def _equal(base: type) -> Any:
    """Equality with the plain class: a loaded result equals the one scored."""

    def eq(self: Any, other: object) -> object:
        if not isinstance(other, base):
            return NotImplemented
        return bool(all(getattr(self, n) == getattr(other, n) for n in _names(base)))

    return eq


class _PackedCriterion(CriterionResult):
    """A criterion loaded from a pickle: its indicators are unpacked when first read."""

    __slots__ = ("_blob",)
    _blob: bytes | None
    indicators = _lazy(CriterionResult, "indicators", ("indicators",), _decode_indicators)
    __eq__ = _equal(CriterionResult)
    __hash__ = None  # type: ignore[assignment]


class _PackedLine(LineItem):
    """A bonus or deduction line loaded from a pickle: where it is written is unpacked when read."""

    __slots__ = ("_blob",)
    _blob: bytes | None
    sources = _lazy(LineItem, "sources", ("sources",))
    __eq__ = _equal(LineItem)
    __hash__ = None  # type: ignore[assignment]


class _ScoredUnit(UnitResult):
    """A unit as scored: its monthly rows (read by the workbook alone) are worked out when first read."""

    __slots__ = ("_rows",)
    _rows: Callable[[UnitResult], dict[int, dict[str, Decimal]]] | None
    __eq__ = _equal(UnitResult)
    __hash__ = None  # type: ignore[assignment]

    def _get_monthly(self) -> dict[int, dict[str, Decimal]]:
        rows = self._rows
        if rows is not None:
            self._rows = None
            _MONTHLY.__set__(self, rows(self))
        got: dict[int, dict[str, Decimal]] = _MONTHLY.__get__(self, UnitResult)
        return got

    def _set_monthly(self, value: dict[int, dict[str, Decimal]]) -> None:
        self._rows = None  # written before it was read: what was written stands
        _MONTHLY.__set__(self, value)

    monthly = property(_get_monthly, _set_monthly)


_MONTHLY = UnitResult.__dict__["monthly"]


def scored_unit(rows: Callable[[UnitResult], dict[int, dict[str, Decimal]]], **fields: Any) -> UnitResult:
    """A UnitResult whose ``monthly`` is ``rows(result)``, worked out on first read (or when pickled).

    ``rows`` must read only what scoring does not change afterwards (the criteria and the months).
    """
    r = _ScoredUnit.__new__(_ScoredUnit)
    r._rows = None
    UnitResult.__init__(r, **fields)
    r._rows = rows
    return r


class _PackedUnit(UnitResult):
    """A unit loaded from a pickle: gates, review gaps, monthly rows and its year file unpacked when read."""

    __slots__ = ("_blob",)
    _blob: bytes | None
    gates = _lazy(UnitResult, "gates", _UNIT_PACKED)
    review_gaps = _lazy(UnitResult, "review_gaps", _UNIT_PACKED)
    monthly = _lazy(UnitResult, "monthly", _UNIT_PACKED)
    year_path = _lazy(UnitResult, "year_path", _UNIT_PACKED)
    __eq__ = _equal(UnitResult)
    __hash__ = None  # type: ignore[assignment]


def _criterion(
    ident: str,
    name: str,
    max_points: Decimal,
    min_points: Decimal | None,
    applicable_max: Decimal,
    rn: int,
    rd: int,
    deduction: Decimal,
    points: Decimal,
    best: Decimal,
    passed: bool,
    blob: bytes,
) -> CriterionResult:
    c = _PackedCriterion.__new__(_PackedCriterion)
    c._blob = None  # nothing to unpack while the fields are set
    raw = _fraction(rn, rd)
    CriterionResult.__init__(
        c, ident, name, max_points, min_points, applicable_max, raw, deduction, points, best, passed, []
    )
    c._blob = blob
    return c


def _unit(values: tuple[Any, ...], blob: bytes) -> UnitResult:
    r = _PackedUnit.__new__(_PackedUnit)
    r._blob = None
    UnitResult.__init__(r, *values)
    r._blob = blob
    return r


def _line(ident: str, name: str, count: int, points: Decimal, criterion: str | None, blob: bytes) -> LineItem:
    line = _PackedLine.__new__(_PackedLine)
    line._blob = None
    LineItem.__init__(line, ident, name, count, points, criterion, [])
    line._blob = blob
    return line
