"""Use cases: the invoices of a period — live drafts (showback) or frozen finals (chargeback) —
and closing and reopening periods (CHARGEBACK_MATH.md §4–7)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.domain.allocation import PRIOR_PERIOD, USAGE, CostLine, PeriodAllocation, allocate
from app.domain.attribution import Attribution, Attributor
from app.domain.money import MONEY_CONTEXT
from app.domain.policy import Policy
from app.domain.policy_codec import document_from_mapping
from app.domain.price_book import PriceBook
from app.services.invoice_document import allocation_document
from app.services.invoices_numbering import invoice_codes
from app.services.pricing import price_aggregate, workspace_price_book
from app.services.reporting import ReportError, check_period
from app.workspace import audit, periods
from app.workspace.db import Workspace
from app.workspace.policy_store import current_policy_mapping, provider_total
from app.workspace.usage_queries import UsageAggregate, usage_aggregates

WHO = ("api_key", "api_key_id", "workspace", "workspace_id", "user", "service_account", "tags")


class PeriodError(ValueError):
    """A period cannot be closed or reopened as asked; the message says why."""


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


def _dimensions(group: Mapping[str, str], agg: UsageAggregate) -> dict[str, str]:
    dims = {k: v for k, v in group.items() if k != "tags"}
    dims.update(
        model=agg.model,
        service_tier=agg.service_tier,
        inference_geo=agg.inference_geo,
        context_window=agg.context_window,
    )
    if group.get("tags"):
        for key, value in json.loads(group["tags"]).items():
            dims[f"tag.{key}"] = str(value)
    return dims


@dataclass
class _Collector:
    """Prices aggregates, attributes them once per dimension set, merges cost lines."""

    attributor: Attributor
    book: PriceBook
    merged: dict[tuple[str, str, str, str], Decimal]
    daily: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    unpriced: int = 0
    models: frozenset[str] = frozenset()

    def add(
        self, aggregates: list[UsageAggregate], period: str, kind: str, label: str | None
    ) -> None:
        seen: dict[tuple[str, ...], Attribution] = {}
        for agg in aggregates:
            priced = price_aggregate(self.book, agg)
            if not priced.priced:
                self.unpriced += agg.lines
                self.models = self.models | {agg.model}
                continue
            key = (*agg.group, agg.model, agg.service_tier, agg.inference_geo, agg.context_window)
            attribution = seen.get(key)
            if attribution is None:
                attribution = self.attributor.attribute(
                    _dimensions(dict(zip(WHO, agg.group, strict=True)), agg), period
                )
                seen[key] = attribution
            if kind == USAGE:
                days = self.daily.setdefault(attribution.team, {})
                day = int(agg.day[8:10])
                days[day] = MONEY_CONTEXT.add(days.get(day, Decimal(0)), priced.cost)
            line_key = (
                attribution.team,
                kind,
                label or agg.model,
                _reason(attribution.team_source),
            )
            self.merged[line_key] = MONEY_CONTEXT.add(
                self.merged.get(line_key, Decimal(0)), priced.cost
            )


def _reason(source: str) -> str:
    """Why a line is on its team, in words for the trail."""
    if source == "alias":
        return "team from a tag alias"
    if source == "default":
        return "no rule or alias matched"
    return f"rule: {source}"


def _next_month(period: str) -> str:
    year, month = (int(p) for p in period.split("-"))
    return f"{year + month // 12}-{month % 12 + 1:02d}"


def next_open_period(period: str, closed: Mapping[str, int]) -> str:
    candidate = _next_month(period)
    while candidate in closed:
        candidate = _next_month(candidate)
    return candidate


def _policy(mapping: dict[str, Any] | None) -> Policy:
    return document_from_mapping(mapping)[0].policy if mapping else Policy()


def period_invoices(workspace: Workspace, period: str) -> PeriodInvoices:
    """Live (draft) invoices of ``period`` under the policy and prices in force."""
    check_period(period)
    with workspace.engine.connect() as conn:
        policy = _policy(current_policy_mapping(conn))
        closed = periods.closed(conn)
        collector = _Collector(Attributor(policy), workspace_price_book(conn), {})
        collector.add(
            usage_aggregates(conn, by=WHO, period=period, up_to_batch=closed.get(period)),
            period,
            USAGE,
            None,
        )
        for earlier, last_batch in sorted(closed.items()):
            if earlier < period and next_open_period(earlier, closed) == period:
                late = usage_aggregates(conn, by=WHO, period=earlier, after_batch=last_batch)
                collector.add(late, earlier, PRIOR_PERIOD, f"Prior-period usage ({earlier})")
        provider = provider_total(conn, period)
    lines = [
        CostLine(team, label, cost, kind=kind, reason=reason)
        for (team, kind, label, reason), cost in sorted(collector.merged.items())
    ]
    allocation = allocate(period, policy, lines, None if provider is None else Decimal(provider))
    last_day = max((d for days in collector.daily.values() for d in days), default=0)
    return PeriodInvoices(
        period,
        policy.settings.currency,
        "draft",
        allocation,
        collector.unpriced,
        tuple(sorted(collector.models)),
        collector.daily,
        last_day,
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
    )


def close_period(workspace: Workspace, period: str) -> dict[str, Any]:
    """Freeze the period's invoices with numbers; refuses while lines are unpriced."""
    try:
        check_period(period)
    except ReportError as exc:
        raise PeriodError(str(exc)) from None
    with workspace.engine.connect() as conn:
        if periods.frozen_document(conn, period) is not None:
            raise PeriodError(f"{period} is already closed")
    result = period_invoices(workspace, period)
    if result.unpriced_lines:
        raise PeriodError(
            f"{period} has {result.unpriced_lines} unpriced line(s) "
            f"({', '.join(result.unpriced_models)}); add price-book entries "
            f"before closing"
        )
    compact = period.replace("-", "")
    codes = invoice_codes(load_policy(workspace), [i.team for i in result.allocation.invoices])
    numbers = {team: f"CB-{compact}-{code}" for team, code in codes.items()}
    document = allocation_document(
        result.allocation, result.currency, "final", numbers=numbers, unpriced_lines=0
    )
    text = json.dumps(document, sort_keys=True)
    with workspace.engine.begin() as conn:
        periods.close(conn, period, text, periods.last_batch_id(conn))
        audit.record(
            conn,
            "period.close",
            period=period,
            invoices=sorted(numbers.values()),
            grand_total=document["grand_total"],
        )
    return document


def load_policy(workspace: Workspace) -> Policy:
    with workspace.engine.connect() as conn:
        return _policy(current_policy_mapping(conn))


def reopen_period(workspace: Workspace, period: str, reason: str) -> None:
    """Back to draft, with a reason; the frozen document is kept in the audit log."""
    if not reason.strip():
        raise PeriodError("reopening needs a reason")
    with workspace.engine.begin() as conn:
        frozen = periods.frozen_document(conn, period)
        if frozen is None:
            raise PeriodError(f"{period} is not closed")
        periods.reopen(conn, period)
        audit.record(conn, "period.reopen", period=period, reason=reason, frozen=json.loads(frozen))
