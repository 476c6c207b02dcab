"""Exact arithmetic and the one declared rounding (half-up) used by every number the tool shows."""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction

from chibo4tot.formatting import round_half_up
from chibo4tot.models.scales import Op

__all__ = ["ONE", "ZERO", "compare", "exact", "ratio", "round_half_up"]

Number = Fraction | Decimal | int

ZERO = Fraction(0)
ONE = Fraction(1)


def exact(value: Number) -> Fraction:
    if isinstance(value, Fraction):
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
