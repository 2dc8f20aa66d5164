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
from decimal import Decimal

from app.domain.forecast import (
    CONFIDENCE,
    METHOD,
    MIN_TREND_MONTHS,
    Fit,
    fit_trend,
    quarter_label,
)
from app.domain.money import round_cents
from app.domain.periods import days_in_month, month_range, shifted_month
from app.domain.savings import LEVERS
from app.services.closing import current_month
from app.services.insights import month_insights, usage_facts
from app.workspace.db import Workspace
from app.workspace.usage_queries import periods_with_usage

FAMILIES = ("opus", "sonnet", "haiku", "fable", "mythos")
OPUS = "Claude Opus"
DEFAULT_ADOPTION = Decimal("0.5")


class ForecastError(ValueError):
    """The forecast cannot be made as asked; the message says why."""


def _cents(amount: Decimal) -> Decimal:
    return round_cents(amount)


@dataclass(frozen=True)
class Range:
    """A forecast amount and its interval, in cents."""

    point: Decimal
    low: Decimal
    high: Decimal

    def __add__(self, other: Range) -> Range:
        return Range(self.point + other.point, self.low + other.low, self.high + other.high)

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
                    "model_family": s.model,
                    "method": "trend" if s.trend else "flat",
                    "history": [f"{v:.2f}" for v in s.history],
                    "optimised_factor": f"{s.optimised_factor.quantize(Decimal('0.0001'))}",
                    "as_is": [r.as_json() for r in s.as_is],
                    "optimised": [r.as_json() for r in s.optimised],
                }
                for s in self.series
            ],
            "assumptions": list(self.assumptions),
        }


def model_family(model: str) -> str:
    """A model's family (``Claude Opus`` for ``claude-opus-4-7`` or ``claude-3-opus``): a year
    sees several generations of each, and a team moving to the next one is the same spend."""
    parts = model.split("-")
    for family in FAMILIES:
        if family in parts:
            return f"Claude {family.capitalize()}"
    return model


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
    if complete[-1] < first:
        raise ForecastError(
            f"no usage in the last {history} complete months (the last was {complete[-1]}); "
            f"import recent months, or look further back with a longer history"
        )
    return month_range(first, last)


Series = tuple[str, str]
"""(team, model family)."""


def _costs_by_series(workspace: Workspace, month: str) -> dict[Series, Decimal]:
    found: dict[Series, Decimal] = {}
    facts, _, _ = usage_facts(workspace, month)
    for fact in facts:
        key = (fact.team, model_family(fact.model))
        found[key] = found.get(key, Decimal(0)) + fact.cost
    return found


def _monthly_costs(workspace: Workspace, months: list[str]) -> dict[Series, list[Decimal]]:
    series: dict[Series, list[Decimal]] = {}
    for index, month in enumerate(months):
        for key, cost in _costs_by_series(workspace, month).items():
            series.setdefault(key, [Decimal(0)] * len(months))[index] = cost
    return series


def _factors(
    workspace: Workspace,
    last_month: str,
    series: Mapping[Series, list[Decimal]],
    adoption: Mapping[str, Decimal],
) -> tuple[dict[Series, Decimal], dict[str, Decimal], list[str]]:
    """Per series, the share of cost left once the levers are adopted (compounded: each lever
    saves on what the others leave); each lever's saving; each lever's assumption."""
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
    for (team, family), costs in series.items():
        team_cost[team] = team_cost.get(team, Decimal(0)) + costs[-1]
        if family == OPUS:
            opus_cost[team] = opus_cost.get(team, Decimal(0)) + costs[-1]

    def share(team: str, lever: str, base: dict[str, Decimal]) -> Decimal:
        cost = base.get(team)
        return (
            min(by_team.get((team, lever), Decimal(0)) / cost, Decimal(1)) if cost else Decimal(0)
        )

    factors = {}
    for team, family in series:
        left = Decimal(1)
        for lever in ("caching", "batch"):
            left *= 1 - adoption[lever] * share(team, lever, team_cost)
        if family == OPUS:
            left *= 1 - adoption["routing"] * share(team, "routing", opus_cost)
        factors[(team, family)] = left
    lever_words = [f"{lever}: {words[lever]}" for lever in LEVERS if lever in words]
    return factors, {k: _cents(v) for k, v in per_lever.items()}, lever_words


def _series_fit(costs: list[Decimal]) -> tuple[Fit, int]:
    """The trend of a series from its first month with cost (a team or model that started
    mid-window has no earlier zeros); flat at zero once it stopped. With the months fitted."""
    first = next((i for i, c in enumerate(costs) if c), len(costs))
    fitted = costs[first:]
    if not fitted or not fitted[-1]:
        return Fit(Decimal(0), Decimal(0), None, len(fitted)), len(fitted)
    return fit_trend(fitted), len(fitted)


def _last_day_with_usage(workspace: Workspace, month: str) -> int:
    facts, _, _ = usage_facts(workspace, month)
    return max((int(f.day[8:10]) for f in facts), default=0)


def _checked_adoption(adoption: Mapping[str, Decimal] | None) -> dict[str, Decimal]:
    rates = dict.fromkeys(LEVERS, DEFAULT_ADOPTION)
    for lever, rate in (adoption or {}).items():
        if lever not in LEVERS:
            raise ForecastError(f"adoption: a lever is one of {', '.join(LEVERS)}, not {lever!r}")
        if not rate.is_finite() or not Decimal(0) <= rate <= Decimal(1):
            raise ForecastError(f"adoption of {lever}: from 0 to 100 %, not {rate}")
        rates[lever] = rate
    return rates


def commitment_forecast(
    workspace: Workspace,
    months: int = 12,
    history: int = 6,
    adoption: Mapping[str, Decimal] | None = None,
) -> CommitmentForecast:
    """The next ``months`` months (this one first), from the last ``history`` complete ones."""
    if not 1 <= months <= 36:
        raise ForecastError(f"months: from 1 to 36, not {months}")
    if not MIN_TREND_MONTHS <= history <= 36:
        raise ForecastError(f"history: from {MIN_TREND_MONTHS} to 36 months, not {history}")
    rates = _checked_adoption(adoption)
    basis = basis_months(workspace, history)
    series_costs = _monthly_costs(workspace, basis)
    this_month = current_month()
    so_far = _costs_by_series(workspace, this_month)
    for key in so_far:
        series_costs.setdefault(key, [Decimal(0)] * len(basis))
    factors, lever_savings, lever_words = _factors(workspace, basis[-1], series_costs, rates)
    days = days_in_month(this_month)
    spent_days = _last_day_with_usage(workspace, this_month)
    left = Decimal(days - spent_days) / days
    """The share of this month still to come: after its last day with usage imported."""
    ahead = [shifted_month(this_month, i) for i in range(months)]
    found = []
    for key, costs in sorted(series_costs.items()):
        team, family = key
        actual = so_far.get(key, Decimal(0))
        fit, fitted = _series_fit(costs)
        if not fitted and actual:
            # Started this month: its run rate so far, every month.
            rate = actual * days / max(spent_days, 1)
            fit = Fit(rate, Decimal(0), None, 0)
        factor = factors[key]
        as_is, optimised = [], []
        for step in range(1, months + 1):
            p = fit.project(fitted + step)
            bounds = (p.point, p.low, p.high)
            if step == 1:  # what is spent is spent; the rest of the month is forecast
                as_is.append(Range(*(_cents(actual + left * v) for v in bounds)))
                optimised.append(Range(*(_cents(actual + left * v * factor) for v in bounds)))
            else:
                as_is.append(Range(*(_cents(v) for v in bounds)))
                optimised.append(Range(*(_cents(v * factor) for v in bounds)))
        found.append(
            SeriesForecast(
                team,
                family,
                tuple(_cents(c) for c in costs),
                tuple(as_is),
                tuple(optimised),
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
        f"Method: {METHOD}, fitted to each team's cost per model family (Opus, Sonnet, Haiku, "
        f"…: a year sees several generations of each) in the complete months {basis[0]} to "
        f"{basis[-1]}, from the series' first month with cost, with a "
        f"{CONFIDENCE * 100:.0f} % prediction interval (Student's t); never below zero.",
        f"Forecast months: {ahead[0]} to {ahead[-1]}. "
        + (
            f"{this_month} is actual to its last day with usage ({this_month}-{spent_days:02d});"
            f" only the rest of it is forecast, and only that part optimised."
            if spent_days
            else f"{this_month} has no usage imported yet: it is forecast whole."
        ),
        "Cost: direct usage cost at today's price book and discounts (what Anthropic bills), "
        "before shared-cost pools and overhead; unpriced usage is left out.",
        f"Optimised: the savings levers of {basis[-1]} at adoption rates "
        + ", ".join(f"{lever} {rates[lever] * 100:.0f} %" for lever in LEVERS)
        + "; each saves the same share of its team's cost (routing: of its Opus cost) every "
        "month, compounded (each saves on what the others leave). The routing estimate "
        "already routes part of the Opus tokens; adoption applies to that estimate.",
        *(f"Lever {text}" for text in lever_words),
        "Totals and quarters add the series' bounds, as if their errors moved together: a "
        "wider interval than independent errors would give, never a narrower one.",
        "Commitment: per quarter, the lower bound of the optimised forecast — the spend that "
        f"is very likely ({(1 + CONFIDENCE) / 2 * 100:.0f} %) even after the savings.",
    ]
    if flat:
        assumptions.insert(
            1,
            f"{flat} series (a team's model family) with fewer than {MIN_TREND_MONTHS} months "
            "of cost, or none lately, are forecast flat at their last month without an "
            "interval: their commitment is their forecast.",
        )
    history_totals = tuple(
        sum((s.history[i] for s in found), Decimal(0)) for i in range(len(basis))
    )
    return CommitmentForecast(
        tuple(basis),
        tuple(ahead),
        history_totals,
        tuple(monthly_as_is),
        tuple(monthly_optimised),
        by_quarter,
        tuple(found),
        rates,
        lever_savings,
        tuple(assumptions),
    )
