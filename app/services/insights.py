"""Use case: the insights of a month — unit economics (with month-over-month change), model
mix, business-metric unit costs, savings estimates and daily anomalies — from one place."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection

from app.domain.anomalies import Anomaly, find_anomalies
from app.domain.money import MONEY_CONTEXT
from app.domain.periods import previous_month
from app.domain.policy import UNALLOCATED
from app.domain.price_book import PriceBook, cost_by_type
from app.domain.rounding import cents_to_decimal, largest_remainder_cents, round_half_up_cents
from app.domain.savings import SavingsEstimate, estimate_savings
from app.domain.unit_economics import (
    UnitEconomics,
    UsageFact,
    across_days,
    change,
    merged_facts,
    unit_economics,
)
from app.services.attributed_usage import attributed_aggregates, driver_labels
from app.services.invoices import billing_scope, invoice_document
from app.services.period_cache import computed_once
from app.services.priced_slices import (
    attributor_in_state,
    price_book_in_state,
    priced_slices,
    slice_split,
)
from app.services.pricing import aggregate_quantities, integer_rates_of, token_counts
from app.services.reporting import check_period
from app.workspace import periods
from app.workspace.db import Workspace
from app.workspace.metrics import metric_rows
from app.workspace.usage_queries import UsageAggregate


@dataclass(frozen=True)
class TeamInsight:
    team: str
    figures: dict[str, Decimal | None]
    change: dict[str, Decimal | None]
    model_mix: dict[str, Decimal]
    unit_costs: dict[str, Decimal]
    """Cost per business unit (metric name → cost per unit), from imported metrics."""


@dataclass(frozen=True)
class Insights:
    period: str
    teams: list[TeamInsight]
    products: dict[str, dict[str, Decimal | None]]
    savings: list[SavingsEstimate]
    anomalies: list[Anomaly]


def usage_facts(
    workspace: Workspace, period: str, *, billed_only: bool = False
) -> tuple[list[UsageFact], dict[int, list[UsageAggregate]], PriceBook]:
    """Every priced, attributed slice of a month's usage (unpriced lines are left out).

    ``billed_only`` keeps the lines the month's own invoices bill: its own usage (billed at
    close, or not billed yet) and the late usage of earlier months it bills as prior-period
    usage — each attributed under the rules of its own month, as the invoices do.
    Computed once per workspace state; the result is shared and must not be changed.
    """
    return computed_once(
        workspace,
        lambda conn: ("facts", _fact_scopes(conn, period, billed_only)),
        lambda conn: _usage_facts(conn, _fact_scopes(conn, period, billed_only)),
    )


def _fact_scopes(conn: Connection, period: str, billed_only: bool) -> tuple[tuple[str, str], ...]:
    """Which lines the facts sum, as ``(month, scope)``; the month's billable lines and all
    its lines are one question while none of its lines is billed and no late usage is due."""
    if billed_only:
        own, late = billing_scope(conn, period, periods.closed(conn))
        scopes = [(period, own), *late]
    elif periods.has_billed_lines(conn, period):
        scopes = [(period, {})]
    else:
        scopes = [(period, {"unbilled": True})]
    return tuple((month, json.dumps(scope, sort_keys=True)) for month, scope in scopes)


def _usage_facts(
    conn: Connection, scopes: tuple[tuple[str, str], ...]
) -> tuple[list[UsageFact], dict[int, list[UsageAggregate]], PriceBook]:
    """Facts per team × product × environment × pricing key × day, merged from the priced
    slices the invoices share (a team's slices differ only by the rule that chose it)."""
    book = price_book_in_state(conn)
    facts: list[UsageFact] = []
    originals: dict[int, list[UsageAggregate]] = {}
    index: dict[tuple[Any, ...], int] = {}
    for usage_period, scope in scopes:
        for item in priced_slices(conn, usage_period, json.loads(scope)):
            split = slice_split(item, book)
            if not split:
                continue
            agg = item.aggregate
            fact = UsageFact(
                item.team,
                item.product,
                item.environment,
                agg.model,
                agg.service_tier,
                agg.day,
                "",  # named only where an anomaly needs it: see _drivers
                agg.requests,
                agg.input_tokens,
                agg.cache_write_5m_tokens + agg.cache_write_1h_tokens,
                agg.cache_read_tokens,
                agg.output_tokens,
                item.cost,
                split,
            )
            key = (item.team, item.product, item.environment, agg.model, agg.day)
            key += (
                agg.service_tier,
                agg.inference_geo,
                agg.context_window,
                agg.speed,
                agg.prompt_band,
            )
            key += (agg.has_usage, agg.has_provided_cost)
            found = index.get(key)
            if found is None:
                index[key] = len(facts)
                originals[len(facts)] = [agg]
                facts.append(fact)
            else:
                facts[found] = merged_facts(facts[found], fact)
                originals[found].append(agg)
    return facts, originals, book


def _daily(facts: list[UsageFact]) -> dict[str, dict[str, Decimal]]:
    """Cost per day of each team and of each model (``model <id>``)."""
    daily: dict[str, dict[str, Decimal]] = {}
    for fact in facts:
        for subject in (fact.team, f"model {fact.model}"):
            days = daily.setdefault(subject, {})
            days[fact.day] = MONEY_CONTEXT.add(days.get(fact.day, Decimal(0)), fact.cost)
    return daily


def _drivers(
    workspace: Workspace, period: str, days: list[str]
) -> dict[str, dict[str, dict[str, Decimal]]]:
    """Cost of ``days`` split by the key or person behind it: for each team by
    ``driver (model)``, for each model by ``driver (team)``."""
    drivers: dict[str, dict[str, dict[str, Decimal]]] = {}
    with workspace.engine.connect() as conn:
        book = price_book_in_state(conn)
        for usage_period, scope in _fact_scopes(conn, period, billed_only=False):
            for item in attributed_aggregates(
                conn,
                attributor_in_state(conn),
                usage_period,
                {**json.loads(scope), "days": days},
                driver_labels,
            ):
                agg = item.aggregate
                split = cost_by_type(book, *aggregate_quantities(agg))
                if not split:
                    continue
                cost = sum(split.values(), Decimal(0))
                team, driver = item.labels
                name = driver or agg.model
                for subject, label in (
                    (team, f"{name} ({agg.model})"),
                    (f"model {agg.model}", f"{name} ({team})"),
                ):
                    parts = drivers.setdefault(subject, {}).setdefault(agg.day, {})
                    parts[label] = MONEY_CONTEXT.add(parts.get(label, Decimal(0)), cost)
    return drivers


def _anomalies(
    workspace: Workspace, period: str, facts: list[UsageFact], before: list[UsageFact]
) -> list[Anomaly]:
    """Days of the month far above their history, each with its largest driver; the split
    by driver is read only for the days found."""
    daily = _daily(before + facts)
    days_in_period = sorted({f.day for f in facts})
    found = [
        a
        for subject, days in daily.items()
        for a in find_anomalies(subject, days, {}, days_in_period)
    ]
    if not found:
        return []
    drivers = _drivers(workspace, period, sorted({a.day for a in found}))
    named = [
        a
        for subject in sorted({a.subject for a in found})
        for a in find_anomalies(
            subject,
            daily[subject],
            drivers.get(subject, {}),
            sorted({f.day for f in found if f.subject == subject}),
        )
    ]
    return sorted(named, key=lambda a: (a.day, a.subject))


def month_insights(
    workspace: Workspace,
    period: str,
    routing_share: Decimal = Decimal("0.5"),
    target_hit_rate: Decimal = Decimal("0.5"),
) -> Insights:
    check_period(period)
    facts, originals, book = usage_facts(workspace, period)
    before, _, _ = usage_facts(workspace, previous_month(period))
    summed = across_days(facts)
    current = unit_economics(summed)
    earlier = unit_economics(across_days(before))
    with workspace.engine.connect() as conn:
        metrics = metric_rows(conn, period)
    teams = []
    # Sorted fully (cost, then name): rows come from the database in no set order.
    for team, economics in sorted(current.items(), key=lambda i: (-i[1].cost, i[0])):
        figures = economics.figures()
        previous = earlier.get(team, UnitEconomics()).figures()
        unit_costs = {
            name: MONEY_CONTEXT.divide(economics.cost, value)
            for (metric_team, name), value in metrics.items()
            if metric_team == team and value
        }
        teams.append(
            TeamInsight(
                team,
                figures,
                {k: change(v, previous.get(k)) for k, v in figures.items()},
                economics.model_mix(),
                unit_costs,
            )
        )
    products = {name: e.figures() for name, e in sorted(unit_economics(summed, "product").items())}
    index = {id(fact): i for i, fact in enumerate(facts)}

    def reprice(fact: UsageFact, model: str) -> Decimal | None:
        cost = Decimal(0)
        for agg in originals[index[id(fact)]]:
            part = _priced_as(book, agg, model)
            if part is None:
                return None
            cost = MONEY_CONTEXT.add(cost, part)
        return cost

    savings = estimate_savings(facts, reprice, routing_share, target_hit_rate)
    anomalies = _anomalies(workspace, period, facts, before)
    teams = _costs_as_invoiced(teams, invoice_document(workspace, period))
    return Insights(period, teams, products, savings, anomalies)


def _priced_as(book: PriceBook, agg: UsageAggregate, model: str) -> Decimal | None:
    """What ``agg``'s usage would cost on ``model`` (its own cost set aside)."""
    rates = integer_rates_of(book, agg, model)
    if rates is not None:
        return rates.cost(token_counts(agg), agg.web_searches)
    key, usage = aggregate_quantities(agg)
    priced = book.price(replace(key, model=model), replace(usage, provided_cost=None))
    return priced.cost if priced.priced else None


def team_figures(workspace: Workspace, period: str) -> dict[str, dict[str, Decimal | None]]:
    """Each team's unit economics of the month (cost as invoiced), without the rest of the
    insights (savings, anomalies, month-over-month change) that exports do not show."""
    check_period(period)
    facts, _, _ = usage_facts(workspace, period)
    teams = [
        TeamInsight(team, economics.figures(), {}, {}, {})
        for team, economics in sorted(
            unit_economics(across_days(facts)).items(), key=lambda i: -i[1].cost
        )
    ]
    return {
        t.team: t.figures for t in _costs_as_invoiced(teams, invoice_document(workspace, period))
    }


def _costs_as_invoiced(teams: list[TeamInsight], document: dict[str, Any]) -> list[TeamInsight]:
    """Each team's direct cost in cents that add up to the month's rounded total, with
    Unallocated exactly as the invoices show it (one rounded document, not two roundings)."""
    exact = [Fraction(t.figures["cost"] or 0) for t in teams]
    target = round_half_up_cents(sum(exact, Fraction(0)))
    shown = int(Decimal(document["unallocated"]) * 100)
    fixed = {
        i for i, t in enumerate(teams) if t.team == UNALLOCATED and abs(exact[i] * 100 - shown) < 1
    }
    rest = [i for i in range(len(teams)) if i not in fixed]
    cents = dict.fromkeys(fixed, shown)
    spread = largest_remainder_cents(
        [exact[i] for i in rest], target - sum(cents.values()), [teams[i].team for i in rest]
    )
    cents.update(zip(rest, spread, strict=True))
    return [
        replace(t, figures={**t.figures, "cost": cents_to_decimal(cents[i])})
        for i, t in enumerate(teams)
    ]
