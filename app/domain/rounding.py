"""Largest-remainder rounding of exact amounts to cents (CHARGEBACK_MATH.md §5)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

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
