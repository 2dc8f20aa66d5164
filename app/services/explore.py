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


def write_level(
    path: Path, heading: str, dimension: str, groups: Sequence[Group | LineRow]
) -> Path:
    """One Explore level as a file (``.csv`` or ``.xlsx`` by the suffix): its groups — or a
    day's usage lines — with their exact cost, requests and tokens, under a heading naming the
    month and filters."""
    if groups and isinstance(groups[0], LineRow):
        header = [*LINE_FIELDS[:3], "model", "service_tier", *LINE_FIELDS[3:]]
        header += ["requests", "input_tokens", "output_tokens", "cost_usd"]
        rows = [
            [
                *(getattr(r, name) for name in header[:-4]),
                r.requests,
                r.prompt_tokens,
                r.output_tokens,
                f"{r.cost:f}",
            ]
            for r in groups  # type: ignore[union-attr]
        ]
    else:
        header = [dimension, "requests", "input_tokens", "output_tokens", "cost_usd"]
        rows = [
            [g.value, g.requests, g.prompt_tokens, g.output_tokens, f"{g.cost:f}"]
            for g in groups  # type: ignore[union-attr]
        ]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Explore")
        sheet.append([heading])
        sheet.append(header)
        for row in rows:
            sheet.append([*row[:-1], Decimal(row[-1])])
        book.save(path)
        return path
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f"# {heading}"])
        writer.writerow(header)
        # Text that a spreadsheet would run as a formula is written as text.
        writer.writerows(
            [("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v) for v in row]
            for row in rows
        )
    return path


@dataclass(frozen=True)
class LineRow:
    """One usage line of a day as Explore lists it: who, what, how much."""

    team: str
    product: str
    environment: str
    model: str
    service_tier: str
    api_key: str
    workspace: str
    user: str
    tags: str
    requests: int
    prompt_tokens: int
    output_tokens: int
    cost: Decimal


LINE_FIELDS = ("team", "product", "environment", "api_key", "workspace", "user", "tags")


def day_lines(workspace: Workspace, period: str, path: Sequence[tuple[str, str]]) -> list[LineRow]:
    """The usage lines of the day in ``path`` (``("day", "YYYY-MM-DD")``) under its other
    filters, priced, largest first: what is behind a charge, line by line."""
    check_period(period)
    day = next((value for name, value in path if name == "day"), None)
    if day is None or not day.startswith(period):
        raise ExploreError("the usage lines are listed for one day of the month: choose a day")
    tags_asked = [name for name, _ in path if _TAG.match(name)]

    def labels(attribution: Attribution, dims: Mapping[str, str]) -> tuple[str, ...]:
        return (
            attribution.team,
            attribution.product,
            attribution.environment,
            _raw("api_key", dims),
            _raw("workspace", dims),
            dims.get("user", ""),
            ", ".join(
                f"{k[4:]}={v}" for k, v in sorted(dims.items()) if k.startswith("tag.") and v
            ),
            *(dims.get(name, "") for name in tags_asked),
        )

    rows = []
    with workspace.engine.connect() as conn:
        book = price_book_in_state(conn)
        for item in attributed_aggregates(
            conn, attributor_in_state(conn), period, {"days": [day]}, labels
        ):
            found = dict(zip((*LINE_FIELDS, *tags_asked), item.labels, strict=True))
            agg = item.aggregate
            if any(
                (_keyed(d, agg) if d in KEYED else found.get(d, "")) != value for d, value in path
            ):
                continue
            priced = price_aggregate(book, agg)
            rows.append(
                LineRow(
                    *(found[f] for f in LINE_FIELDS[:3]),
                    agg.model,
                    agg.service_tier,
                    found["api_key"],
                    found["workspace"],
                    found["user"],
                    found["tags"],
                    agg.requests,
                    agg.input_tokens
                    + agg.cache_write_5m_tokens
                    + agg.cache_write_1h_tokens
                    + agg.cache_read_tokens,
                    agg.output_tokens,
                    priced.cost if priced.priced else Decimal(0),
                )
            )
    return sorted(rows, key=lambda r: (-r.cost, r.team, r.model, r.api_key, r.user))
