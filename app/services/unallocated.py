"""Use case: what the month's Unallocated cost is made of — the raw values (API key, user,
workspace, tags) no rule or alias maps, biggest first, so a controller sees what to map."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.domain.attribution import Attribution, Attributor
from app.domain.money import MONEY_CONTEXT
from app.domain.policy import UNALLOCATED
from app.domain.price_book import PriceBook
from app.services.attributed_usage import attributed_aggregates
from app.services.priced_slices import attributor_in_state, price_book_in_state
from app.services.pricing import price_aggregate
from app.services.reporting import check_period
from app.workspace.db import Workspace

DRIVERS = (
    ("api_key", "API key"),
    ("api_key_id", "API key id"),
    ("user", "user"),
    ("service_account", "service account"),
    ("workspace", "workspace"),
    ("workspace_id", "workspace id"),
)
"""The raw value that best names an unmapped line, in this order."""


@dataclass(frozen=True)
class UnmappedValue:
    """One raw value whose lines went to Unallocated, and their cost this month."""

    dimension: str
    """How the value is named: ``API key``, ``user``, ``tags``…"""
    value: str
    cost: Decimal
    lines: int
    conditions: tuple[tuple[str, str], ...] = ()
    """What a rule must test to catch exactly these lines (empty: nothing to map on)."""


@dataclass(frozen=True)
class UnallocatedQueue:
    """A month's unmapped values, biggest first, and how much of its usage cost is mapped."""

    period: str
    values: tuple[UnmappedValue, ...]
    unallocated_cost: Decimal
    total_cost: Decimal

    @property
    def allocated_share(self) -> Decimal:
        """The share of the month's usage cost that reaches a team (1 for no cost)."""
        if not self.total_cost:
            return Decimal(1)
        return (self.total_cost - self.unallocated_cost) / self.total_cost


def _driver(attribution: Attribution, dims: Mapping[str, str]) -> tuple[str, ...]:
    for name, label in DRIVERS:
        if dims.get(name):
            return attribution.team, label, dims[name], json.dumps([[name, dims[name]]])
    tags = sorted((k, v) for k, v in dims.items() if k.startswith("tag.") and v)
    if tags:
        return (
            attribution.team,
            "tags",
            ", ".join(f"{k} = {v}" for k, v in tags),
            json.dumps(tags),
        )
    return attribution.team, "nothing to map on", "(no key, user, workspace or tag)", "[]"


def unallocated_queue(
    workspace: Workspace,
    period: str,
    under: Attributor | None = None,
    book: PriceBook | None = None,
) -> UnallocatedQueue:
    """Every raw value behind the month's unallocated cost, biggest first; with ``under``,
    as it would be under that attributor's policy, priced by ``book`` when given (an impact
    preview)."""
    check_period(period)
    found: dict[tuple[str, str, str], list[Any]] = {}
    add = MONEY_CONTEXT.add
    total = unallocated = Decimal(0)
    with workspace.engine.connect() as conn:
        book = book or price_book_in_state(conn)
        attributor, memo = (attributor_in_state(conn), None) if under is None else (under, {})
        for item in attributed_aggregates(conn, attributor, period, {}, _driver, memo):
            team, dimension, value, conditions = item.labels
            priced = price_aggregate(book, item.aggregate)
            total = add(total, priced.cost)
            if team != UNALLOCATED:
                continue
            unallocated = add(unallocated, priced.cost)
            sums = found.setdefault((dimension, value, conditions), [Decimal(0), 0])
            sums[0] = add(sums[0], priced.cost)
            sums[1] += item.aggregate.lines
    values = sorted(
        (
            UnmappedValue(
                dimension, value, cost, lines, tuple(tuple(c) for c in json.loads(conditions))
            )
            for (dimension, value, conditions), (cost, lines) in found.items()
        ),
        key=lambda v: (-v.cost, v.dimension, v.value),
    )
    return UnallocatedQueue(period, tuple(values), unallocated, total)


def unmapped_values(workspace: Workspace, period: str, limit: int = 10) -> list[UnmappedValue]:
    """The month's unallocated cost by the raw value behind it, biggest first."""
    return list(unallocated_queue(workspace, period).values[:limit])
