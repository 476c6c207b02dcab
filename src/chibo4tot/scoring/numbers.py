"""Exact arithmetic and the one declared rounding (half-up) used by every number the tool shows."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from chibo4tot.formatting import round_half_up
from chibo4tot.models.scales import Op

__all__ = ["ONE", "ZERO", "compare", "exact", "ratio", "round_half_up"]

Number = Fraction | Decimal | int

ZERO = Fraction(0)
ONE = Fraction(1)


def exact(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


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
