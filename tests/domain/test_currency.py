"""Converting a closed month's document into the company's own currency (issue 15): exact,
once, and rounded as §5 so that the converted lines still add up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.currency import RateError, convert_cents, parse_rate
from app.domain.rounding import round_half_up_cents

cents = st.integers(min_value=-(10**9), max_value=10**9)
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("500"), places=6)


@given(st.lists(st.lists(cents, min_size=1, max_size=6), max_size=8), cents, rates)
def test_converted_lines_add_up_to_the_converted_total(invoices, unallocated, rate):
    teams = [f"T{i}" for i in range(len(invoices))]
    lines, converted_unallocated = convert_cents(invoices, teams, unallocated, rate)
    exact = Fraction(sum(map(sum, invoices)) + unallocated) * Fraction(rate) / 100
    assert sum(map(sum, lines)) + converted_unallocated == round_half_up_cents(exact)
    for original, converted in zip(invoices, lines, strict=True):
        assert len(converted) == len(original)
        for before, after in zip(original, converted, strict=True):
            assert abs(Fraction(after) - Fraction(before) * Fraction(rate)) < 1 + len(original)


def test_a_hand_computed_conversion():
    # $100.00 + $33.33 and $66.67 at 0.9 EUR per USD: 90.00 + 29.997 + 60.003 = 180.00 exactly;
    # the lines are 90.00, 30.00 and 60.00 (largest remainders), the unallocated $10.00 → 9.00.
    lines, unallocated = convert_cents([[10000, 3333], [6667]], ["A", "B"], 1000, Decimal("0.9"))
    assert lines == [[9000, 3000], [6000]] and unallocated == 900


@pytest.mark.parametrize(
    "text", ["0", "-1", "abc", "1e400", "", "0.000000000001", "1,380", "0,93", "1,380.25"]
)
def test_a_rate_must_be_a_positive_number_of_sensible_size(text):
    with pytest.raises(RateError):
        parse_rate(text)


def test_a_rate_keeps_its_digits():
    assert parse_rate("0.9215") == Decimal("0.9215") and parse_rate("1380.25") == Decimal("1380.25")
