"""Exact arithmetic and the one declared rounding (half-up) used by every number the tool shows."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from chibo4tot.formatting import round_half_up as _round_half_up
from chibo4tot.models.scales import Op

__all__ = ["ONE", "ZERO", "compare", "exact", "exact_sum", "ratio", "round_half_up", "round_ratio"]

Number = Fraction | Decimal | int

ZERO = Fraction(0)
ONE = Fraction(1)


def exact(value: Number) -> Fraction:
    if value.__class__ is Fraction or isinstance(value, Fraction):  # the first test skips the ABC's
        return value
    return _exact(value)


@functools.lru_cache(maxsize=1024)
def _exact(value: Decimal | int) -> Fraction:
    # Framework numbers (points, targets) are few and converted again and again.
    return Fraction(value)


def compare(op: Op, value: Number, target: Number) -> bool:
    a, b = exact(value), exact(target)
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    return a == b


def ratio(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def exact_sum(values: list[Fraction], divisor: int = 1) -> Fraction:
    """The exact sum (divided by ``divisor``), over one common denominator: one normalisation
    instead of one per addition."""
    n, d = 0, 1
    for value in values:
        vn, vd = value.as_integer_ratio()
        if vd == d:
            n += vn
        else:
            n, d = n * vd + vn * d, d * vd
    return Fraction(n, d * divisor)


@functools.lru_cache(maxsize=8)
def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def round_half_up(value: Number, places: int) -> Decimal:
    """formatting.round_half_up, in integers for the exact numbers scoring makes (same result)."""
    if isinstance(value, Decimal):
        if not value.is_finite() or value.adjusted() > 20:  # beyond any score: the declared way
            return _round_half_up(value, places)
        # Decimal's own half-up is half away from zero too; a zero loses its sign as it does there.
        rounded = value.quantize(_quantum(places), rounding=ROUND_HALF_UP)
        return rounded if rounded else rounded.copy_abs()
    n, d = value.as_integer_ratio() if isinstance(value, Fraction) else (value, 1)
    return round_ratio(n, d, places)


def round_ratio(n: int, d: int, places: int) -> Decimal:
    """round_half_up of n/d (d > 0), with no Fraction made: the floor below depends on the ratio only."""
    scale = 10**places
    magnitude = (2 * abs(n) * scale + d) // (2 * d)  # floor(|x| * 10^places + 1/2)
    digits = -magnitude if n < 0 else magnitude
    return Decimal(digits).scaleb(-places).quantize(_quantum(places))
