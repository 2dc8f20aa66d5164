"""The commitment forecast's method (issue 15): a linear trend, fitted by ordinary least
squares to a series' monthly cost, projected month by month with a two-sided prediction
interval from Student's t distribution.

For months ``x = 1 … n`` with costs ``y``: slope ``b = Sxy / Sxx``, intercept ``a = ȳ − b·x̄``,
residual spread ``s = √(SSE / (n − 2))``; month ``x₀`` is forecast at ``a + b·x₀`` and lies,
with the chosen confidence, within ``± t · s · √(1 + 1/n + (x₀ − x̄)² / Sxx)``. Exact decimal
arithmetic throughout (square roots to 28 digits); a cost never goes below zero. A series with
fewer than three months cannot have a spread: it is forecast flat at its last month, with no
interval (and said so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal

METHOD = "linear trend (ordinary least squares) on monthly cost"
MIN_TREND_MONTHS = 3
_PRECISION = Context(prec=28)

T_QUANTILE_95 = {
    1: "6.314",
    2: "2.920",
    3: "2.353",
    4: "2.132",
    5: "2.015",
    6: "1.943",
    7: "1.895",
    8: "1.860",
    9: "1.833",
    10: "1.812",
    11: "1.796",
    12: "1.782",
    13: "1.771",
    14: "1.761",
    15: "1.753",
    16: "1.746",
    17: "1.740",
    18: "1.734",
    19: "1.729",
    20: "1.725",
    21: "1.721",
    22: "1.717",
    23: "1.714",
    24: "1.711",
    25: "1.708",
    26: "1.706",
    27: "1.703",
    28: "1.701",
    29: "1.699",
    30: "1.697",
    31: "1.696",
    32: "1.694",
    33: "1.692",
    34: "1.691",
}
"""Student's t, 95th percentile, by degrees of freedom (a 90 % two-sided interval); beyond 30,
the normal distribution's 1.645 (a history is at most 36 months: 34 degrees of freedom)."""
CONFIDENCE = Decimal("0.90")


def t_quantile(degrees_of_freedom: int) -> Decimal:
    return Decimal(T_QUANTILE_95.get(degrees_of_freedom, "1.645"))


@dataclass(frozen=True)
class Projection:
    """One forecast month: the expected cost and the interval around it (exact)."""

    point: Decimal
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class Fit:
    """A series' trend: ``a + b·x`` for its month ``x`` (1 for the first), and its spread."""

    intercept: Decimal
    slope: Decimal
    spread: Decimal | None
    """``s``, or ``None`` for fewer than three months (flat, no interval)."""
    months: int

    def project(self, month: int) -> Projection:
        """Month ``month`` of the series (``months + 1`` is the first forecast month)."""
        point = max(self.intercept + self.slope * month, Decimal(0))
        if self.spread is None:
            return Projection(point, point, point)
        n = Decimal(self.months)
        centre = (n + 1) / 2
        sxx = sum(((Decimal(x) - centre) ** 2 for x in range(1, self.months + 1)), Decimal(0))
        leverage = 1 + 1 / n + (Decimal(month) - centre) ** 2 / sxx
        half = t_quantile(self.months - 2) * self.spread * leverage.sqrt(_PRECISION)
        return Projection(
            point,
            max(self.intercept + self.slope * month - half, Decimal(0)),
            max(self.intercept + self.slope * month + half, Decimal(0)),
        )


def fit_trend(costs: Sequence[Decimal]) -> Fit:
    """The least-squares line through ``costs`` (one per month, oldest first)."""
    n = len(costs)
    if n == 0:
        return Fit(Decimal(0), Decimal(0), None, 0)
    if n < MIN_TREND_MONTHS:
        return Fit(costs[-1], Decimal(0), None, n)
    xs = [Decimal(x) for x in range(1, n + 1)]
    x_mean = sum(xs, Decimal(0)) / n
    y_mean = sum(costs, Decimal(0)) / n
    sxx = sum(((x - x_mean) ** 2 for x in xs), Decimal(0))
    sxy = sum(((x - x_mean) * (y - y_mean) for x, y in zip(xs, costs, strict=True)), Decimal(0))
    slope = sxy / sxx
    intercept = y_mean - slope * x_mean
    sse = sum(
        ((y - intercept - slope * x) ** 2 for x, y in zip(xs, costs, strict=True)), Decimal(0)
    )
    return Fit(intercept, slope, (sse / (n - 2)).sqrt(_PRECISION), n)


def quarter_label(period: str) -> str:
    """``Q1 2027`` for ``2027-02``."""
    year, month = period.split("-")
    return f"Q{(int(month) - 1) // 3 + 1} {year}"
