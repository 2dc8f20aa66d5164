"""Use case: what the month's Unallocated cost is made of — the raw values (API key, user,
workspace, tags) no rule or alias maps, biggest first, so a controller sees what to map."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from app.domain.attribution import Attribution
from app.domain.money import MONEY_CONTEXT
from app.domain.policy import UNALLOCATED
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
    value: str
    cost: Decimal
    lines: int


def _driver(attribution: Attribution, dims: Mapping[str, str]) -> tuple[str, ...]:
    for name, label in DRIVERS:
        if dims.get(name):
            return attribution.team, label, dims[name]
    tags = sorted((k, v) for k, v in dims.items() if k.startswith("tag.") and v)
    if tags:
        return attribution.team, "tags", ", ".join(f"{k} = {v}" for k, v in tags)
    return attribution.team, "nothing to map on", "(no key, user, workspace or tag)"


def unmapped_values(workspace: Workspace, period: str, limit: int = 10) -> list[UnmappedValue]:
    """The month's unallocated cost by the raw value behind it, biggest first."""
    check_period(period)
    found: dict[tuple[str, str], list[object]] = {}
    with workspace.engine.connect() as conn:
        book = price_book_in_state(conn)
        for item in attributed_aggregates(conn, attributor_in_state(conn), period, {}, _driver):
            team, dimension, value = item.labels
            if team != UNALLOCATED:
                continue
            priced = price_aggregate(book, item.aggregate)
            sums = found.setdefault((dimension, value), [Decimal(0), 0])
            sums[0] = MONEY_CONTEXT.add(sums[0], priced.cost)  # type: ignore[arg-type]
            sums[1] += item.aggregate.lines  # type: ignore[operator]
    values = [
        UnmappedValue(dimension, value, cost, lines)  # type: ignore[arg-type]
        for (dimension, value), (cost, lines) in found.items()
    ]
    return sorted(values, key=lambda v: (-v.cost, v.dimension, v.value))[:limit]
