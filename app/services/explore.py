"""Use case: explore a month — its cost grouped by any one dimension, under filters on others:
team, product and environment (as attributed), model, tier, speed and day (a line's pricing
key), API key, workspace, user (raw) or any tag.

The month's lines are summed once per distinct answer (the attribution is shared with the
invoices, per workspace state) and priced exactly; a level is one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from app.domain.attribution import Attribution
from app.domain.money import MONEY_CONTEXT
from app.services.attributed_usage import attributed_aggregates
from app.services.priced_slices import attributor_in_state, price_book_in_state
from app.services.pricing import aggregate_cost
from app.services.reporting import check_period
from app.services.view_export import write_table
from app.workspace.db import Workspace
from app.workspace.usage_queries import UsageAggregate, tag_names

ATTRIBUTED = ("team", "product", "environment")
RAW = ("api_key", "workspace", "user")
KEYED = ("model", "service_tier", "speed", "day")
"""Dimensions a line's pricing key tells (no attribution needed)."""
TAG_DIMENSION = re.compile(r"^tag\.[\w\-. /:]{1,64}$")


class ExploreError(ValueError):
    """A dimension that cannot be explored; the message says which can."""


@dataclass(frozen=True)
class Group:
    """One group of a level: its value, exact cost and usage."""

    value: str
    cost: Decimal
    requests: int
    prompt_tokens: int
    output_tokens: int


def is_dimension(name: str) -> bool:
    return name in (*ATTRIBUTED, *RAW, *KEYED) or bool(TAG_DIMENSION.match(name))


def tag_dimensions(workspace: Workspace) -> list[str]:
    """``tag.<name>`` for every tag the workspace's usage carries (for a chooser)."""
    with workspace.engine.connect() as conn:
        return [f"tag.{name}" for name in tag_names(conn)]


def check_dimensions(names: Iterable[str]) -> None:
    """Refuse a name that is not a dimension, saying which are."""
    for name in names:
        if not is_dimension(name):
            raise ExploreError(
                f"cannot explore by {name!r}; use one of {', '.join((*ATTRIBUTED, *RAW, *KEYED))} "
                f"or tag.<name>"
            )


def raw_value(name: str, dims: Mapping[str, str]) -> str:
    if name == "api_key":
        return dims.get("api_key") or dims.get("api_key_id") or ""
    if name == "workspace":
        return dims.get("workspace") or dims.get("workspace_id") or ""
    return dims.get(name, "")


def _keyed(name: str, agg: UsageAggregate) -> str:
    return str(getattr(agg, name))


def explore_level(
    workspace: Workspace, period: str, path: Sequence[tuple[str, str]], group_by: str
) -> list[Group]:
    """``period``'s cost under the filters of ``path``, grouped by ``group_by``."""
    check_period(period)
    check_dimensions((*(d for d, _ in path), group_by))
    labelled = [d for d in dict.fromkeys((*(d for d, _ in path), group_by)) if d not in KEYED]

    def labels(attribution: Attribution, dims: Mapping[str, str]) -> tuple[str, ...]:
        values = []
        for name in labelled:
            if name in ATTRIBUTED:
                values.append(getattr(attribution, name))
            else:
                values.append(raw_value(name, dims))
        return tuple(values)

    sums: dict[str, list[object]] = {}
    with workspace.engine.connect() as conn:
        book = price_book_in_state(conn)
        for item in attributed_aggregates(conn, attributor_in_state(conn), period, {}, labels):
            found = dict(zip(labelled, item.labels, strict=True))
            agg = item.aggregate
            if any((_keyed(d, agg) if d in KEYED else found[d]) != value for d, value in path):
                continue
            cost = aggregate_cost(book, agg)
            if cost is None:
                continue
            key = _keyed(group_by, agg) if group_by in KEYED else found[group_by]
            row = sums.setdefault(key, [Decimal(0), 0, 0, 0])
            row[0] = MONEY_CONTEXT.add(row[0], cost)  # type: ignore[arg-type]
            row[1] += agg.requests  # type: ignore[operator]
            row[2] += (  # type: ignore[operator]
                agg.input_tokens
                + agg.cache_write_5m_tokens
                + agg.cache_write_1h_tokens
                + agg.cache_read_tokens
            )
            row[3] += agg.output_tokens  # type: ignore[operator]
    groups = [Group(value, *row) for value, row in sums.items()]  # type: ignore[arg-type]
    if group_by == "day":
        return sorted(groups, key=lambda g: g.value)
    return sorted(groups, key=lambda g: (-g.cost, g.value))


def write_level(path: Path, heading: str, dimension: str, groups: Sequence[Group]) -> Path:
    """One Explore level as a file (``.csv`` or ``.xlsx`` by the suffix): its groups with their
    exact cost, requests and tokens, under a heading naming the month and filters."""
    header = [dimension, "requests", "input_tokens", "output_tokens", "cost_usd"]
    rows = [[g.value, g.requests, g.prompt_tokens, g.output_tokens, g.cost] for g in groups]
    return write_table(path, heading, header, rows, amount_column=4)
