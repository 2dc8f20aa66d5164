"""Use case: explore a month — its cost grouped by any one dimension, under filters on others:
team, product and environment (as attributed), model, tier, speed and day (a line's pricing
key), API key, workspace, user (raw) or any tag.

The month's lines are summed once per distinct answer (the attribution is shared with the
invoices, per workspace state) and priced exactly; a level is one pass.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from app.domain.attribution import Attribution
from app.domain.money import MONEY_CONTEXT
from app.services.attributed_usage import attributed_aggregates
from app.services.priced_slices import attributor_in_state, price_book_in_state
from app.services.pricing import price_aggregate
from app.services.reporting import check_period
from app.workspace.db import Workspace
from app.workspace.usage_queries import UsageAggregate

ATTRIBUTED = ("team", "product", "environment")
RAW = ("api_key", "workspace", "user")
KEYED = ("model", "service_tier", "speed", "day")
"""Dimensions a line's pricing key tells (no attribution needed)."""
_TAG = re.compile(r"^tag\.[A-Za-z0-9_\-. ]{1,64}$")


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
    return name in (*ATTRIBUTED, *RAW, *KEYED) or bool(_TAG.match(name))


def _raw(name: str, dims: Mapping[str, str]) -> str:
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
    for name in (*(d for d, _ in path), group_by):
        if not is_dimension(name):
            raise ExploreError(
                f"cannot explore by {name!r}; use one of {', '.join((*ATTRIBUTED, *RAW, *KEYED))} "
                f"or tag.<name>"
            )
    labelled = [d for d in dict.fromkeys((*(d for d, _ in path), group_by)) if d not in KEYED]

    def labels(attribution: Attribution, dims: Mapping[str, str]) -> tuple[str, ...]:
        values = []
        for name in labelled:
            if name in ATTRIBUTED:
                values.append(getattr(attribution, name))
            else:
                values.append(_raw(name, dims))
        return tuple(values)

    sums: dict[str, list[object]] = {}
    with workspace.engine.connect() as conn:
        book = price_book_in_state(conn)
        for item in attributed_aggregates(conn, attributor_in_state(conn), period, {}, labels):
            found = dict(zip(labelled, item.labels, strict=True))
            agg = item.aggregate
            if any((_keyed(d, agg) if d in KEYED else found[d]) != value for d, value in path):
                continue
            priced = price_aggregate(book, agg)
            if not priced.priced:
                continue
            key = _keyed(group_by, agg) if group_by in KEYED else found[group_by]
            row = sums.setdefault(key, [Decimal(0), 0, 0, 0])
            row[0] = MONEY_CONTEXT.add(row[0], priced.cost)  # type: ignore[arg-type]
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
    """One Explore level as a file (``.csv`` or ``.xlsx`` by the suffix): the groups with their
    exact cost, requests and tokens, under a heading naming the month and filters."""
    header = [dimension, "cost_usd", "requests", "input_tokens", "output_tokens"]
    rows = [[g.value, f"{g.cost:f}", g.requests, g.prompt_tokens, g.output_tokens] for g in groups]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Explore")
        sheet.append([heading])
        sheet.append(header)
        for value, cost, requests, prompt, output in rows:
            sheet.append([value, Decimal(cost), requests, prompt, output])
        book.save(path)
        return path
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f"# {heading}"])
        writer.writerow(header)
        # Text that a spreadsheet would run as a formula is written as text.
        writer.writerows(
            [("'" + str(r[0]) if str(r[0])[:1] in "=+-@" else r[0]), *r[1:]] for r in rows
        )
    return path
