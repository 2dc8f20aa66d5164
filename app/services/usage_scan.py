"""A month's usage by import source and raw dimensions, each group attributed (with why: a
rule, a tag alias or the default) and priced — what tag hygiene and the model-use policy read.

One pass per month: lines summed per source, key or person, tags and pricing key in SQL; each
distinct set of dimensions attributed once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from app.domain.attribution import Attribution
from app.services.priced_slices import attributor_in_state, price_book_in_state
from app.services.pricing import price_aggregate
from app.workspace.db import Workspace
from app.workspace.usage_queries import UsageAggregate, usage_aggregates

WHO = ("api_key", "api_key_id", "workspace", "workspace_id", "user", "service_account")
TESTED = ("model", "service_tier", "inference_geo", "context_window")


@dataclass(frozen=True)
class ScannedUsage:
    month: str
    source: str
    attribution: Attribution
    tags: dict[str, str]
    aggregate: UsageAggregate
    cost: Decimal | None
    """``None``: unpriced."""


def scan_months(workspace: Workspace, months: list[str]) -> list[ScannedUsage]:
    """:func:`scan_month` of each month, in order: read once, for tag hygiene and the
    model-use policy alike."""
    return [row for month in months for row in scan_month(workspace, month)]


def scan_month(workspace: Workspace, month: str) -> list[ScannedUsage]:
    found = []
    with workspace.engine.connect() as conn:
        attributor = attributor_in_state(conn)
        book = price_book_in_state(conn)
        aggregates = usage_aggregates(conn, by=("source", *WHO, "tags"), period=month)
    memo: dict[tuple[str, ...], Attribution] = {}
    for agg in aggregates:
        source, *who, raw_tags = agg.group
        tags = {str(k): str(v) for k, v in json.loads(raw_tags).items()} if raw_tags else {}
        key = (*agg.group[1:], *(getattr(agg, f) for f in TESTED))
        attribution = memo.get(key)
        if attribution is None:
            dims = dict(zip(WHO, who, strict=True))
            dims.update({f: getattr(agg, f) for f in TESTED})
            dims.update({f"tag.{k}": v for k, v in tags.items()})
            attribution = memo[key] = attributor.attribute(dims, month)
        priced = price_aggregate(book, agg)
        found.append(
            ScannedUsage(
                month, source, attribution, tags, agg, priced.cost if priced.priced else None
            )
        )
    return found
