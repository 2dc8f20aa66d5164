"""Budget status and run-rate forecasts (CHARGEBACK_MATH.md §8). Budgets guide, never gate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

UNDER, WARNING, OVER = "under", "warning", "over"
RUN_RATE_DAYS = 7


@dataclass(frozen=True)
class BudgetStatus:
    """One team's month against its budget."""

    team: str
    budget: Decimal | None
    actual: Decimal
    forecast: Decimal
    used: Decimal | None
    status: str | None
    at_risk: bool


def forecast(
    actual: Fraction,
    daily_direct: Mapping[int, Fraction],
    direct_to_date: Fraction,
    as_of_day: int,
    month_days: int,
) -> Fraction:
    """Actual to date + mean daily cost of the last 7 days with data × days remaining.

    The daily figures are direct usage; the run rate is marked up by the team's ratio of
    charged amount to direct cost so far (shared costs and overhead grow with usage).
    """
    remaining = month_days - as_of_day
    days = sorted(d for d, v in daily_direct.items() if v and d <= as_of_day)[-RUN_RATE_DAYS:]
    if remaining <= 0 or not days:
        return actual
    mean = sum((daily_direct[d] for d in days), Fraction(0)) / len(days)
    markup = actual / direct_to_date if direct_to_date else Fraction(1)
    return actual + mean * remaining * markup


def status_of(
    actual: Fraction, budget: Decimal | None, warn: Decimal
) -> tuple[Decimal | None, str | None]:
    if budget is None or budget <= 0:
        return None, None
    used = actual / Fraction(budget)
    if used >= 1:
        state = OVER
    elif used >= Fraction(warn):
        state = WARNING
    else:
        state = UNDER
    ratio = Decimal(used.numerator) / Decimal(used.denominator)
    return ratio.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP), state


def suggest(actuals: Mapping[str, Decimal], buffer: Decimal) -> dict[str, Decimal]:
    """Budgets from a chosen month's actuals × (1 + buffer), rounded to whole currency units."""
    return {
        team: (amount * (1 + buffer)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        for team, amount in actuals.items()
    }


def team_order(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(names))
