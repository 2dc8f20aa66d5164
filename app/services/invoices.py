"""Use case: the invoices of a period (showback drafts): attribute, price, allocate, round."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from app.domain.allocation import CostLine, PeriodAllocation, allocate
from app.domain.attribution import Attribution, Attributor
from app.domain.money import MONEY_CONTEXT
from app.domain.policy import Policy
from app.domain.policy_codec import document_from_mapping
from app.services.pricing import price_aggregate, workspace_price_book
from app.services.reporting import check_period
from app.workspace.db import Workspace
from app.workspace.policy_store import current_policy_mapping, provider_total
from app.workspace.usage_queries import usage_aggregates

WHO = ("api_key", "api_key_id", "workspace", "workspace_id", "user", "service_account", "tags")


@dataclass(frozen=True)
class PeriodInvoices:
    """A period's allocation plus what could not be priced."""

    period: str
    currency: str
    status: str
    allocation: PeriodAllocation
    unpriced_lines: int
    unpriced_models: tuple[str, ...]


def _dimensions(
    group: Mapping[str, str], model: str, tier: str, geo: str, window: str
) -> dict[str, str]:
    dims = {k: v for k, v in group.items() if k != "tags"}
    dims.update(model=model, service_tier=tier, inference_geo=geo, context_window=window)
    if group.get("tags"):
        for key, value in json.loads(group["tags"]).items():
            dims[f"tag.{key}"] = str(value)
    return dims


def load_policy(workspace: Workspace) -> Policy:
    with workspace.engine.connect() as conn:
        mapping = current_policy_mapping(conn)
    return document_from_mapping(mapping)[0].policy if mapping else Policy()


def period_invoices(workspace: Workspace, period: str) -> PeriodInvoices:
    """Draft invoices of ``period`` under the policy in force."""
    check_period(period)
    with workspace.engine.connect() as conn:
        mapping = current_policy_mapping(conn)
        book = workspace_price_book(conn)
        aggregates = usage_aggregates(conn, by=WHO, period=period)
        provider = provider_total(conn, period)
    policy = document_from_mapping(mapping)[0].policy if mapping else Policy()
    attributor = Attributor(policy)
    seen: dict[tuple[str, ...], Attribution] = {}
    merged: dict[tuple[str, str, str], Decimal] = {}
    unpriced = 0
    models: set[str] = set()
    for agg in aggregates:
        priced = price_aggregate(book, agg)
        if not priced.priced:
            unpriced += agg.lines
            models.add(agg.model)
            continue
        key = (*agg.group, agg.model, agg.service_tier, agg.inference_geo, agg.context_window)
        attribution = seen.get(key)
        if attribution is None:
            dims = _dimensions(
                dict(zip(WHO, agg.group, strict=True)),
                agg.model,
                agg.service_tier,
                agg.inference_geo,
                agg.context_window,
            )
            attribution = attributor.attribute(dims, period)
            seen[key] = attribution
        line_key = (attribution.team, agg.model, attribution.team_source)
        merged[line_key] = MONEY_CONTEXT.add(merged.get(line_key, Decimal(0)), priced.cost)
    lines = [
        CostLine(team, label, cost, reason=reason)
        for (team, label, reason), cost in sorted(merged.items())
    ]
    allocation = allocate(period, policy, lines, None if provider is None else Decimal(provider))
    return PeriodInvoices(
        period, policy.settings.currency, "draft", allocation, unpriced, tuple(sorted(models))
    )
