"""Use case: the commitment forecast (issue 15) — twelve months of Anthropic spend, bottom-up
per team and model, as-is and optimised, and the commitment to negotiate against per quarter,
with every assumption listed.

The basis is each team × model's direct usage cost (what Anthropic bills, at today's price book
and discounts, before shared-cost pools and overhead) in the last complete months. Each series
gets a linear trend with a prediction interval (:mod:`app.domain.forecast`). The optimised
scenario applies the savings levers of the last complete month (routing, caching, batch:
:mod:`app.domain.savings`) at the adoption rates the user sets. The commitment of a quarter is
the lower bound of its optimised forecast: what is very likely spent even after the savings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.domain.forecast import CONFIDENCE, METHOD, MIN_TREND_MONTHS, fit_trend, quarter_label
from app.domain.periods import shifted_month
from app.domain.savings import ROUTE_FROM
from app.services.closing import current_month
from app.services.insights import month_insights, usage_facts
from app.workspace.db import Workspace
from app.workspace.usage_queries import periods_with_usage

LEVERS = ("routing", "caching", "batch")
DEFAULT_ADOPTION = Decimal("0.5")
CENT = Decimal("0.01")


class ForecastError(ValueError):
    """The forecast cannot be made as asked; the message says why."""


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Range:
    """A forecast amount and its interval, in cents."""

    point: Decimal
    low: Decimal
    high: Decimal

    def __add__(self, other: Range) -> Range:
        return Range(self.point + other.point, self.low + other.low, self.high + other.high)

    def scaled(self, factor: Decimal) -> Range:
        return Range(
            _cents(self.point * factor), _cents(self.low * factor), _cents(self.high * factor)
        )

    def as_json(self) -> dict[str, str]:
        return {"point": f"{self.point:.2f}", "low": f"{self.low:.2f}", "high": f"{self.high:.2f}"}


ZERO = Range(Decimal(0), Decimal(0), Decimal(0))


@dataclass(frozen=True)
class SeriesForecast:
    """One team's spend on one model."""

    team: str
    model: str
    history: tuple[Decimal, ...]
    as_is: tuple[Range, ...]
    optimised: tuple[Range, ...]
    optimised_factor: Decimal
    """The share of as-is cost left once the levers are adopted (1: no lever applies)."""
    trend: bool
    """A fitted trend; ``False``: too little history, forecast flat at its last month."""


@dataclass(frozen=True)
class QuarterCommitment:
    quarter: str
    months: tuple[str, ...]
    as_is: Range
    optimised: Range

    @property
    def commitment(self) -> Decimal:
        return self.optimised.low


@dataclass(frozen=True)
class CommitmentForecast:
    basis_months: tuple[str, ...]
    months: tuple[str, ...]
    history: tuple[Decimal, ...]
    """All series' cost per basis month."""
    as_is: tuple[Range, ...]
    optimised: tuple[Range, ...]
    quarters: tuple[QuarterCommitment, ...]
    series: tuple[SeriesForecast, ...]
    adoption: dict[str, Decimal]
    lever_savings: dict[str, Decimal]
    """Each lever's estimated monthly saving in the last basis month (before adoption)."""
    assumptions: tuple[str, ...]

    @property
    def commitment(self) -> Decimal:
        return sum((q.commitment for q in self.quarters), Decimal(0))

    def team_totals(self) -> list[tuple[str, Decimal, Decimal, Decimal]]:
        """(team, last basis month, 12-month as-is, 12-month optimised), largest first."""
        totals: dict[str, list[Decimal]] = {}
        for s in self.series:
            row = totals.setdefault(s.team, [Decimal(0)] * 3)
            row[0] += s.history[-1]
            row[1] += sum((r.point for r in s.as_is), Decimal(0))
            row[2] += sum((r.point for r in s.optimised), Decimal(0))
        return sorted(
            ((team, *values) for team, values in totals.items()),  # type: ignore[misc]
            key=lambda row: (-row[2], row[0]),
        )

    def as_json(self) -> dict[str, object]:
        return {
            "method": METHOD,
            "confidence": f"{CONFIDENCE}",
            "basis_months": list(self.basis_months),
            "adoption": {k: f"{v}" for k, v in self.adoption.items()},
            "lever_savings": {k: f"{v:.2f}" for k, v in self.lever_savings.items()},
            "months": [
                {"period": m, "as_is": a.as_json(), "optimised": o.as_json()}
                for m, a, o in zip(self.months, self.as_is, self.optimised, strict=True)
            ],
            "quarters": [
                {
                    "quarter": q.quarter,
                    "months": list(q.months),
                    "as_is": q.as_is.as_json(),
                    "optimised": q.optimised.as_json(),
                    "commitment": f"{q.commitment:.2f}",
                }
                for q in self.quarters
            ],
            "commitment": f"{self.commitment:.2f}",
            "series": [
                {
                    "team": s.team,
                    "model": s.model,
                    "method": "trend" if s.trend else "flat",
                    "history": [f"{v:.2f}" for v in s.history],
                    "optimised_factor": f"{s.optimised_factor}",
                    "as_is": [r.as_json() for r in s.as_is],
                    "optimised": [r.as_json() for r in s.optimised],
                }
                for s in self.series
            ],
            "assumptions": list(self.assumptions),
        }


def basis_months(workspace: Workspace, history: int) -> list[str]:
    """The last ``history`` complete months, from the first month with usage on."""
    with workspace.engine.connect() as conn:
        months = periods_with_usage(conn)
    this_month = current_month()
    complete = [m for m in months if m < this_month]
    if not complete:
        raise ForecastError(
            "a forecast needs at least one complete month of usage; import earlier months"
        )
    last = shifted_month(this_month, -1)
    first = max(complete[0], shifted_month(this_month, -history))
    found = []
    month = first
    while month <= last:
        found.append(month)
        month = shifted_month(month, 1)
    return found


def _monthly_costs(workspace: Workspace, months: list[str]) -> dict[tuple[str, str], list[Decimal]]:
    series: dict[tuple[str, str], list[Decimal]] = {}
    for index, month in enumerate(months):
        facts, _, _ = usage_facts(workspace, month)
        for fact in facts:
            costs = series.setdefault((fact.team, fact.model), [Decimal(0)] * len(months))
            costs[index] += fact.cost
    return series


def _factors(
    workspace: Workspace,
    last_month: str,
    series: Mapping[tuple[str, str], list[Decimal]],
    adoption: Mapping[str, Decimal],
) -> tuple[dict[tuple[str, str], Decimal], dict[str, Decimal], list[str]]:
    """Per series, the share of cost left once the levers are adopted; each lever's saving;
    each lever's assumption."""
    savings = month_insights(workspace, last_month).savings
    by_team: dict[tuple[str, str], Decimal] = {}
    per_lever = dict.fromkeys(LEVERS, Decimal(0))
    words: dict[str, str] = {}
    for estimate in savings:
        key = (estimate.team, estimate.lever)
        by_team[key] = by_team.get(key, Decimal(0)) + estimate.amount
        per_lever[estimate.lever] = per_lever.get(estimate.lever, Decimal(0)) + estimate.amount
        words.setdefault(estimate.lever, estimate.assumption)
    team_cost: dict[str, Decimal] = {}
    opus_cost: dict[str, Decimal] = {}
    for (team, model), costs in series.items():
        team_cost[team] = team_cost.get(team, Decimal(0)) + costs[-1]
        if model.startswith(ROUTE_FROM):
            opus_cost[team] = opus_cost.get(team, Decimal(0)) + costs[-1]
    factors = {}
    for team, model in series:
        saved = Decimal(0)
        if team_cost.get(team):
            for lever in ("caching", "batch"):
                share = by_team.get((team, lever), Decimal(0)) / team_cost[team]
                saved += adoption[lever] * share
        if model.startswith(ROUTE_FROM) and opus_cost.get(team):
            saved += (
                adoption["routing"] * by_team.get((team, "routing"), Decimal(0)) / opus_cost[team]
            )
        factors[(team, model)] = min(max(1 - saved, Decimal(0)), Decimal(1))
    lever_words = [f"{lever}: {words[lever]}" for lever in LEVERS if lever in words]
    return factors, {k: _cents(v) for k, v in per_lever.items()}, lever_words


def commitment_forecast(
    workspace: Workspace,
    months: int = 12,
    history: int = 6,
    adoption: Mapping[str, Decimal] | None = None,
) -> CommitmentForecast:
    """The next ``months`` months (this one first), from the last ``history`` complete ones."""
    if not 1 <= months <= 36:
        raise ForecastError(f"months: from 1 to 36, not {months}")
    if not 1 <= history <= 36:
        raise ForecastError(f"history: from 1 to 36 months, not {history}")
    rates = dict.fromkeys(LEVERS, DEFAULT_ADOPTION)
    for lever, rate in (adoption or {}).items():
        if lever not in LEVERS:
            raise ForecastError(f"adoption: a lever is one of {', '.join(LEVERS)}, not {lever!r}")
        if not Decimal(0) <= rate <= Decimal(1):
            raise ForecastError(f"adoption of {lever}: from 0 to 100 %, not {rate * 100:f} %")
        rates[lever] = rate
    basis = basis_months(workspace, history)
    series_costs = _monthly_costs(workspace, basis)
    factors, lever_savings, lever_words = _factors(workspace, basis[-1], series_costs, rates)
    ahead = [shifted_month(current_month(), i) for i in range(months)]
    found = []
    for (team, model), costs in sorted(series_costs.items()):
        fit = fit_trend(costs)
        as_is = []
        for step in range(1, months + 1):
            projection = fit.project(len(costs) + step)
            as_is.append(
                Range(_cents(projection.point), _cents(projection.low), _cents(projection.high))
            )
        factor = factors[(team, model)]
        found.append(
            SeriesForecast(
                team,
                model,
                tuple(_cents(c) for c in costs),
                tuple(as_is),
                tuple(r.scaled(factor) for r in as_is),
                factor,
                fit.spread is not None,
            )
        )
    monthly_as_is = [sum((s.as_is[i] for s in found), ZERO) for i in range(months)]
    monthly_optimised = [sum((s.optimised[i] for s in found), ZERO) for i in range(months)]
    quarters: dict[str, list[int]] = {}
    for index, month in enumerate(ahead):
        quarters.setdefault(quarter_label(month), []).append(index)
    by_quarter = tuple(
        QuarterCommitment(
            label,
            tuple(ahead[i] for i in indexes),
            sum((monthly_as_is[i] for i in indexes), ZERO),
            sum((monthly_optimised[i] for i in indexes), ZERO),
        )
        for label, indexes in quarters.items()
    )
    flat = sum(1 for s in found if not s.trend)
    assumptions = [
        f"Method: {METHOD}, fitted to each team × model's cost in the {len(basis)} complete "
        f"month(s) {basis[0]} to {basis[-1]}, with a {CONFIDENCE * 100:.0f} % prediction "
        f"interval (Student's t); a forecast never goes below zero.",
        f"Forecast months: {ahead[0]} to {ahead[-1]}; the month in progress is forecast whole.",
        "Cost: direct usage cost at today's price book and discounts (what Anthropic bills), "
        "before shared-cost pools and overhead; unpriced usage is left out.",
        f"Optimised: the savings levers of {basis[-1]} at adoption rates "
        + ", ".join(f"{lever} {rates[lever] * 100:.0f} %" for lever in LEVERS)
        + "; each saves the same share of its team's cost (routing: of its Opus cost) every "
        "month; levers add up, they are not compounded.",
        *(f"Lever {text}" for text in lever_words),
        "Totals and quarters add the series' bounds, as if their errors moved together: a "
        "wider interval than independent errors would give, never a narrower one.",
        "Commitment: per quarter, the lower bound of the optimised forecast — the spend that "
        f"is very likely ({(1 + CONFIDENCE) / 2 * 100:.0f} %) even after the savings.",
    ]
    if flat:
        assumptions.insert(
            1,
            f"{flat} team × model series with fewer than {MIN_TREND_MONTHS} months of history "
            "are forecast flat at their last month, without an interval.",
        )
    return CommitmentForecast(
        tuple(basis),
        tuple(ahead),
        tuple(
            _cents(sum((costs[i] for costs in series_costs.values()), Decimal(0)))
            for i in range(len(basis))
        ),
        tuple(monthly_as_is),
        tuple(monthly_optimised),
        by_quarter,
        tuple(found),
        rates,
        lever_savings,
        tuple(assumptions),
    )
