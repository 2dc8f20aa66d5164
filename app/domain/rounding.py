"""Largest-remainder rounding of exact amounts to cents (CHARGEBACK_MATH.md §5)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

from app.domain.money import MONEY_CONTEXT

_CENTS = Decimal(100)


def round_to_cents_preserving_total(
    amounts: Sequence[Decimal], tie_keys: Sequence[object] | None = None
) -> list[int]:
    """Round each amount to whole cents so that the cents sum to the exact total rounded.

    Amounts are floored to cents; the cents still missing go to the lines with the largest
    remainders, ties broken by ``tie_keys`` (e.g. team name, then line order) and then by
    position. Negative amounts work the same way (floor, then add cents back).
    """
    if tie_keys is None:
        tie_keys = list(range(len(amounts)))
    scaled = [MONEY_CONTEXT.multiply(a, _CENTS) for a in amounts]
    floors = [int(s.to_integral_value(rounding=ROUND_FLOOR)) for s in scaled]
    exact_total = sum(scaled, Decimal(0))
    target = int(exact_total.to_integral_value(rounding=ROUND_HALF_UP))
    missing = target - sum(floors)
    order = sorted(
        range(len(amounts)),
        key=lambda i: (-(scaled[i] - floors[i]), tie_keys[i], i),
    )
    result = list(floors)
    for i in order[:missing]:
        result[i] += 1
    return result


def cents_to_decimal(cents: int) -> Decimal:
    """Whole cents as a two-decimal Decimal."""
    return (Decimal(cents) / _CENTS).quantize(Decimal("0.01"))


def cents_of(amount: str) -> int:
    """A document's amount (decimal text with at most two places) as whole cents."""
    return int((Decimal(amount) * 100).to_integral_value())


def round_half_up_cents(amount: Fraction) -> int:
    """Whole cents of an exact amount, halves away from zero."""
    scaled = amount * 100
    floor = scaled.numerator // scaled.denominator
    remainder = scaled - floor
    if remainder > Fraction(1, 2) or (remainder == Fraction(1, 2) and scaled > 0):
        return floor + 1
    return floor


def largest_remainder_cents(
    amounts: Sequence[Fraction], target: int, tie_keys: Sequence[object]
) -> list[int]:
    """Cents per amount summing to ``target``: floors first, then the largest remainders.

    When the floors overshoot (negative remainders cannot occur with floors) or the target
    asks for fewer cents than the floors give, cents are taken back from the smallest
    remainders first, so every line stays within one cent of its exact value when possible.
    """
    scaled = [a * 100 for a in amounts]
    floors = [s.numerator // s.denominator for s in scaled]
    remainders = [s - f for s, f in zip(scaled, floors, strict=True)]
    result = list(floors)
    missing = target - sum(floors)
    order = sorted(range(len(amounts)), key=lambda i: (-remainders[i], tie_keys[i], i))
    if not order:
        return result
    step = 0
    while missing > 0:
        result[order[step % len(order)]] += 1
        missing -= 1
        step += 1
    step = 0
    while missing < 0:
        result[order[-1 - step % len(order)]] -= 1
        missing += 1
        step += 1
    return result
