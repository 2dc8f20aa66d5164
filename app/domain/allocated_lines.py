"""Spreading each invoice over its usage: the allocated cost per team × product × environment ×
model × day, whose cents add up exactly to each invoice total (exports, GL detail)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.domain.rounding import largest_remainder_cents


@dataclass(frozen=True)
class DirectSlice:
    """A team's direct usage cost for one product, environment, model and day."""

    team: str
    product: str
    environment: str
    model: str
    day: str
    direct: Decimal


@dataclass(frozen=True)
class AllocatedSlice:
    team: str
    product: str
    environment: str
    model: str
    day: str
    direct: Decimal
    allocated_cents: int
    dispute: str | None = None
    """The accepted dispute (``D-12``) whose move this row carries, if it is one."""


def allocate_slices(
    slices: Sequence[DirectSlice], invoice_cents: dict[str, int], period_last_day: str
) -> list[AllocatedSlice]:
    """Each team's invoice total spread over its slices in proportion to direct cost.

    A team with an invoice but no direct usage (only shared cost) gets one slice labelled
    ``(shared cost)`` on the period's last day.
    """
    by_team: dict[str, list[DirectSlice]] = {}
    for item in slices:
        by_team.setdefault(item.team, []).append(item)
    result: list[AllocatedSlice] = []
    for team, total in invoice_cents.items():
        items = sorted(
            by_team.get(team, []), key=lambda s: (s.day, s.product, s.environment, s.model)
        )
        weight = sum((Fraction(s.direct) for s in items), Fraction(0))
        if not items or weight <= 0:
            result.append(
                AllocatedSlice(team, "(shared cost)", "", "", period_last_day, Decimal(0), total)
            )
            continue
        shares = [Fraction(total, 100) * Fraction(s.direct) / weight for s in items]
        cents = largest_remainder_cents(shares, total, list(range(len(items))))
        result += [
            AllocatedSlice(s.team, s.product, s.environment, s.model, s.day, s.direct, c)
            for s, c in zip(items, cents, strict=True)
        ]
    return result
