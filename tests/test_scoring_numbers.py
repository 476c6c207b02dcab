"""Scoring's integer rounding and sums give exactly what the declared Fraction arithmetic gives."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from chibo4tot import formatting
from chibo4tot.scoring.indicators import _least
from chibo4tot.scoring.numbers import exact_sum, round_half_up, round_ratio

numerators = st.integers(min_value=-(10**12), max_value=10**12)
denominators = st.integers(min_value=1, max_value=10**6)
places = st.integers(min_value=0, max_value=4)


@given(numerators, denominators, places)
def test_rounding_a_fraction_in_integers_is_the_declared_half_up(n: int, d: int, p: int) -> None:
    value = Fraction(n, d)
    expected = formatting.round_half_up(value, p)
    got = round_half_up(value, p)
    assert (got, str(got)) == (expected, str(expected))  # the same number with the same exponent


@given(numerators, denominators, st.integers(min_value=1, max_value=50), places)
def test_rounding_a_ratio_does_not_need_it_reduced(n: int, d: int, k: int, p: int) -> None:
    # n·k / d·k is the same number: the rounding must not depend on how it is written.
    assert str(round_ratio(n * k, d * k, p)) == str(formatting.round_half_up(Fraction(n, d), p))


@given(st.integers(min_value=-1000, max_value=1000), places)
def test_whole_numbers_and_decimals_round_as_before(n: int, p: int) -> None:
    assert str(round_half_up(n, p)) == str(formatting.round_half_up(n, p))
    d = Decimal(n) / 8
    assert str(round_half_up(d, p)) == str(formatting.round_half_up(d, p))


@given(st.lists(st.fractions(max_denominator=1000), max_size=30))
def test_the_sum_over_one_denominator_is_the_exact_sum(values: list[Fraction]) -> None:
    assert exact_sum(values) == sum(values, Fraction(0))


@given(st.lists(st.fractions(max_denominator=1000), max_size=30), st.integers(min_value=1, max_value=12))
def test_the_sum_divided_in_integers_is_the_mean_as_before(values: list[Fraction], divisor: int) -> None:
    assert exact_sum(values, divisor) == sum(values, Fraction(0)) / divisor


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=None),
    places,
)
def test_rounding_a_decimal_is_the_declared_half_up(value: Decimal, p: int) -> None:
    expected = formatting.round_half_up(value, p)
    got = round_half_up(value, p)
    assert (got, str(got)) == (expected, str(expected))


@given(st.integers(min_value=-(10**6), max_value=10**6), st.integers(min_value=0, max_value=6), places)
def test_rounding_a_decimal_at_its_halves_is_the_declared_half_up(n: int, exponent: int, p: int) -> None:
    value = Decimal(n).scaleb(-exponent)  # 0.125, -2.5, 0.005…: exactly half way, and signed zeros
    for v in (value, -value, Decimal(5).scaleb(-p - 1) * (1 if n >= 0 else -1)):
        expected = formatting.round_half_up(v, p)
        got = round_half_up(v, p)
        assert (got, str(got)) == (expected, str(expected))


@given(st.lists(st.fractions(min_value=0, max_value=1, max_denominator=60), min_size=1, max_size=12))
def test_the_least_share_in_integers_is_min_the_first_of_equals(values: list[Fraction]) -> None:
    assert _least(values) is min(values)
