"""Largest-remainder rounding keeps the total (CHARGEBACK_MATH.md §5, §6)."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.domain.money import AmountError, format_money, parse_decimal
from app.domain.rounding import round_to_cents_preserving_total

amounts = st.lists(
    st.decimals(
        min_value=-10_000, max_value=10_000, places=6, allow_nan=False, allow_infinity=False
    ),
    max_size=40,
)


@given(amounts)
def test_cents_sum_to_the_rounded_exact_total(values):
    cents = round_to_cents_preserving_total(values)
    exact = sum(values, Decimal(0)) * 100
    assert sum(cents) == int(exact.to_integral_value(rounding=ROUND_HALF_UP))


@given(amounts)
def test_each_line_moves_less_than_a_cent(values):
    cents = round_to_cents_preserving_total(values)
    for value, cent in zip(values, cents, strict=True):
        assert abs(value * 100 - cent) < 1


def test_thirds():
    third = Decimal(100) / 3
    assert round_to_cents_preserving_total([third] * 3, ["a", "b", "c"]) == [3334, 3333, 3333]


def test_parse_refuses_floats_and_junk():
    for bad in (0.1, "abc", "1,234.56", "NaN", "inf"):
        try:
            parse_decimal(bad)  # type: ignore[arg-type]
        except AmountError:
            continue
        raise AssertionError(bad)
    assert parse_decimal("3,60", decimal_comma=True) == Decimal("3.60")
    assert format_money(Decimal("20.52022672899")) == "20.52"
