"""Use cases: the invoices of a period — live drafts (showback) or frozen finals (chargeback)
(CHARGEBACK_MATH.md §4–7). Closing and reopening are in :mod:`app.services.closing`."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from app.domain.allocation import PRIOR_PERIOD, USAGE, CostLine, PeriodAllocation, allocate
from app.domain.attribution import Attribution, Attributor
from app.domain.disputes import with_dispute_moves
from app.domain.money import MONEY_CONTEXT
from app.domain.periods import late_usage_sources
from app.domain.policy import CHARGEBACK, Policy
from app.domain.price_book import PriceBook
from app.domain.unit_economics import UsageFact
from app.services.disputes import charging_months
from app.services.invoice_document import allocation_document
from app.services.period_cache import computed_once
from app.services.priced_slices import (
    PricedSlice,
    attributor_in_state,
    policy_from_mapping,
    priced_slices,
    priced_slices_under,
)
from app.services.reporting import check_period
from app.workspace import audit, periods
from app.workspace.db import Workspace
from app.workspace.disputes import moves_billed_by
from app.workspace.policy_store import current_policy_mapping, provider_total


@dataclass(frozen=True)
class PeriodInvoices:
    """A period's live allocation plus what could not be priced."""

    period: str
    currency: str
    status: str
    allocation: PeriodAllocation
    unpriced_lines: int
    unpriced_models: tuple[str, ...]
    daily_direct: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    """Direct usage cost per team per day of the month (for run-rate forecasts)."""
    last_day: int = 0
    """The last day of the month with usage."""
    billing: str = CHARGEBACK
    """``showback`` (before the go-live month: for information) or ``chargeback``."""


@dataclass
class _Collector:
    """Merges priced slices into cost lines per team."""

    merged: dict[tuple[str, str, str, str], Decimal] = field(default_factory=dict)
    listed: dict[tuple[str, str, str, str], Decimal] = field(default_factory=dict)
    """Of the merged lines with a negotiated discount, their list price."""
    daily: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    unpriced: int = 0
    models: frozenset[str] = frozenset()

    def add(self, slices: list[PricedSlice], kind: str, label: str | None) -> None:
        add = MONEY_CONTEXT.add
        merged = self.merged
        for item in slices:
            agg = item.aggregate
            if not item.priced:
                self.unpriced += agg.lines
                self.models = self.models | {agg.model}
                continue
            team = item.team
            if kind == USAGE:
                days = self.daily.setdefault(team, {})
                day = int(agg.day[8:10])
                days[day] = add(days.get(day, Decimal(0)), item.cost)
            line_key = (team, kind, label or agg.model, reason_text(item.team_source))
            merged[line_key] = add(merged.get(line_key, Decimal(0)), item.cost)
            if item.list_cost is not None or line_key in self.listed:
                listed = self.listed.get(
                    line_key, MONEY_CONTEXT.subtract(merged[line_key], item.cost)
                )
                self.listed[line_key] = add(listed, item.list_amount)


def reason_text(source: str) -> str:
    """Why a line is on its team, in words for the trail."""
    if source == "alias":
        return "team from a tag alias"
    if source == "default":
        return "no rule or alias matched"
    return f"rule: {source}"


def billing_scope(
    conn: Connection, period: str, closed: Collection[str]
) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """Which lines ``period``'s invoices bill: its own, and late lines of earlier months.

    A closed period bills exactly what it billed when it closed; an open one its own unbilled
    lines and the unbilled late lines of the closed months whose next open month it is.
    """
    if period in closed:
        own = {"billed_in": period}
        late = [(q, {"billed_in": period}) for q in periods.late_periods_billed_in(conn, period)]
    else:
        own = {"unbilled": True}
        late = [(q, {"unbilled": True}) for q in late_usage_sources(period, closed)]
    return own, late


def compute_invoices(
    conn: Connection,
    period: str,
    under: Attributor | None = None,
    book: PriceBook | None = None,
    provider_totals: dict[str, str] | None = None,
) -> PeriodInvoices:
    """The period's invoices as ``conn`` sees the workspace (see :func:`period_invoices`);
    with ``under``, as they would be under that attributor's policy, priced by ``book`` when
    given, with ``provider_totals`` (month → total) in place of the workspace's (an impact
    preview: nothing is cached)."""
    attributor = under or attributor_in_state(conn)
    policy = attributor.policy
    memo: dict[tuple[Any, ...], Attribution] = {}

    def slices(month: str, scope: dict[str, Any]) -> list[PricedSlice]:
        if under is None:
            return priced_slices(conn, month, scope, by_product=False)
        return priced_slices_under(conn, under, memo, month, scope, book)

    closed = periods.closed(conn)
    own, late = billing_scope(conn, period, closed)
    collector = _Collector()
    collector.add(slices(period, own), USAGE, None)
    for earlier, scope in late:
        collector.add(slices(earlier, scope), PRIOR_PERIOD, f"Prior-period usage ({earlier})")
    provider = (
        provider_total(conn, period) if provider_totals is None else provider_totals.get(period)
    )
    lines = [
        CostLine(team, label, cost, kind=kind, reason=reason, list_cost=collector.listed.get(key))
        for key, cost in sorted(collector.merged.items())
        for team, kind, label, reason in [key]
    ]
    allocation = with_dispute_moves(
        allocate(period, policy, lines, None if provider is None else Decimal(provider)),
        policy,
        moves_billed_by(conn, period, closed, charging_months(conn, policy)),
    )
    last_day = max((d for days in collector.daily.values() for d in days), default=0)
    return PeriodInvoices(
        period,
        policy.settings.currency,
        "final" if period in closed else "draft",
        allocation,
        collector.unpriced,
        tuple(sorted(collector.models)),
        collector.daily,
        last_day,
        audit.first_close_billing(conn, period) or policy.settings.billing_of(period),
    )


def period_invoices(workspace: Workspace, period: str) -> PeriodInvoices:
    """The period's invoices recomputed under the policy and prices in force.

    For an open period this is the live draft (showback); for a closed one it is the lines it
    billed, repriced today (the frozen document is what was invoiced).
    """
    check_period(period)
    return computed_once(
        workspace, ("invoices", period), lambda conn: compute_invoices(conn, period)
    )


def invoice_document(workspace: Workspace, period: str) -> dict[str, Any]:
    """The ``invoices --json`` document: frozen for a closed period, live otherwise."""
    check_period(period)
    with workspace.engine.connect() as conn:
        frozen = periods.frozen_document(conn, period)
    if frozen is not None:
        return json.loads(frozen)
    result = period_invoices(workspace, period)
    return allocation_document(
        result.allocation,
        result.currency,
        "draft",
        numbers=None,
        unpriced_lines=result.unpriced_lines,
        billing=result.billing,
    )


def load_policy(workspace: Workspace) -> Policy:
    with workspace.engine.connect() as conn:
        return policy_from_mapping(current_policy_mapping(conn))


UsageByModel = dict[str, tuple[tuple[str, int, int, Decimal], ...]]
"""Per team: (model, input tokens incl. cache, output tokens, direct cost), largest first."""


def _largest_first(sums: dict[str, dict[str, list[Any]]]) -> UsageByModel:
    return {
        team: tuple(
            sorted(
                ((model, p, o, c) for model, (p, o, c) in models.items()),
                key=lambda r: (-r[3], r[0]),
            )
        )
        for team, models in sums.items()
    }


def _add_usage(
    sums: dict[str, dict[str, list[Any]]],
    team: str,
    model: str,
    prompt: int,
    output: int,
    cost: Decimal,
) -> None:
    row = sums.setdefault(team, {}).setdefault(model, [0, 0, Decimal(0)])
    row[0] += prompt
    row[1] += output
    row[2] = MONEY_CONTEXT.add(row[2], cost)


def usage_by_model_of(facts: list[UsageFact]) -> UsageByModel:
    """:func:`usage_by_model` from a month's usage facts (frozen at close)."""
    sums: dict[str, dict[str, list[Any]]] = {}
    for fact in facts:
        prompt = fact.input_tokens + fact.cache_write_tokens + fact.cache_read_tokens
        _add_usage(sums, fact.team, fact.model, prompt, fact.output_tokens, fact.cost)
    return _largest_first(sums)


def usage_by_model(workspace: Workspace, period: str) -> UsageByModel:
    """Per team, the usage its invoice of ``period`` bills, by model: input tokens (cache
    included), output tokens and direct cost, largest first — from the slices the invoices were
    summed from (no extra pass over the month)."""
    with workspace.engine.connect() as conn:
        own, _ = billing_scope(conn, period, periods.closed(conn))
        slices = priced_slices(conn, period, own, by_product=False)
    sums: dict[str, dict[str, list[Any]]] = {}
    for item in slices:
        if not item.priced:
            continue
        agg = item.aggregate
        prompt = (
            agg.input_tokens
            + agg.cache_write_5m_tokens
            + agg.cache_write_1h_tokens
            + agg.cache_read_tokens
        )
        _add_usage(sums, item.team, agg.model, prompt, agg.output_tokens, item.cost)
    return _largest_first(sums)
