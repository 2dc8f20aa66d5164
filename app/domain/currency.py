"""The company's own (functional) currency: a month's document converted once, at close, at
the month's rate — exactly, and rounded as CHARGEBACK_MATH.md §5 so that the converted lines
of every invoice add up to its converted total, and all of them with the converted Unallocated
to the month's converted total."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from app.domain.money import AmountError, parse_decimal
from app.domain.rounding import largest_remainder_cents, round_half_up_cents

_CODE = re.compile(r"^[A-Z]{3}$")
MIN_RATE = Decimal("0.000001")
MAX_RATE = Decimal("1000000")


class RateError(ValueError):
    """An exchange rate that cannot be used; the message says why."""


def is_currency_code(text: str) -> bool:
    """Whether ``text`` is a three-letter currency code (EUR, GBP, …)."""
    return bool(_CODE.match(text))


def parse_rate(text: str) -> Decimal:
    """A rate as typed (units of the company's currency per unit of the bill's): a positive
    number between 0.000001 and 1,000,000."""
    if "," in text:  # "1,380" is a thousands separator in one country, 1.38 in another
        raise RateError(f"write the rate with a decimal point and no separators: {text!r}")
    try:
        rate = parse_decimal(text.strip())
    except AmountError:
        raise RateError(f"not a number: {text!r}") from None
    if not MIN_RATE <= rate <= MAX_RATE:
        raise RateError(f"a rate is between {MIN_RATE} and {MAX_RATE:,}, not {text!r}")
    return rate


def convert_cents(
    invoices: Sequence[Sequence[int]],
    teams: Sequence[str],
    unallocated: int,
    rate: Decimal,
) -> tuple[list[list[int]], int]:
    """Each invoice's lines (cents) and the Unallocated converted at ``rate``: their sum is the
    exact converted month total rounded half up, each line within a cent or so of its own
    exact conversion (largest remainders, ties by team, then line order)."""
    exact_rate = Fraction(rate)
    amounts: list[Fraction] = []
    keys: list[tuple[int, str, int]] = []
    for team, lines in zip(teams, invoices, strict=True):
        for index, line in enumerate(lines):
            amounts.append(Fraction(line, 100) * exact_rate)
            keys.append((0, team, index))
    amounts.append(Fraction(unallocated, 100) * exact_rate)
    keys.append((1, "", 0))
    target = round_half_up_cents(sum(amounts, Fraction(0)))
    converted = largest_remainder_cents(amounts, target, keys)
    result: list[list[int]] = []
    position = 0
    for lines in invoices:
        result.append(converted[position : position + len(lines)])
        position += len(lines)
    return result, converted[-1]
