"""How results pickle: small and fast to load, for the caches that keep them between runs.

Every class of :mod:`chibo4tot.scoring.results` pickles its fields by position (exact numbers as
two integers), and the bulk of a unit (every period of every indicator, the gates, the monthly
rows) travels as compressed blobs unpacked on first read. The classes' ``__reduce__`` name the
functions here; the subclasses here stand for results loaded from a pickle, still packed.
"""

from __future__ import annotations

import functools
import pickle
import zlib
from collections.abc import Callable
from dataclasses import fields
from decimal import Decimal
from fractions import Fraction
from typing import Any

from chibo4tot.scoring.results import (
    CriterionResult,
    IndicatorPeriod,
    IndicatorResult,
    LineItem,
    PeriodScore,
    UnitResult,
)

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
