"""Usage of a period summed per attribution (team, product, environment) and pricing key.

Attribution depends only on a line's dimension set (and on the pricing fields a rule names), so
each distinct set is attributed once in Python — thousands, where a month has hundreds of
thousands of lines — and SQL sums the lines per attribution and pricing key through a temporary
table of the answers. Pricing is linear, so pricing these sums is exact.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from app.domain.attribution import Attribution, Attributor
from app.domain.line_columns import PRICING_COLUMNS
from app.domain.policy import RULE_DIMENSIONS
from app.services.period_cache import shared_in_state
from app.workspace.attributed_sums import DistinctKey, distinct_keys, sums_per_code
from app.workspace.usage_queries import UsageAggregate

RULE_PRICING_FIELDS = tuple(c for c in PRICING_COLUMNS if c in RULE_DIMENSIONS)
"""Fields of a line (beyond its dimension set) that a mapping rule may test."""


@dataclass(frozen=True)
class AttributedAggregate:
    """Sums of the lines with one attribution (the ``by`` fields) and one pricing key."""

    labels: tuple[str, ...]
    aggregate: UsageAggregate


def _dimensions(key: DistinctKey, tags: dict[str, dict[str, str]]) -> dict[str, str]:
    """What the attributor reads: raw dimensions, tested pricing fields, ``tag.*`` values."""
    dims = {**key.who, **key.tested}
    if key.tags:
        parsed = tags.get(key.tags)
        if parsed is None:
            parsed = tags[key.tags] = {f"tag.{k}": str(v) for k, v in json.loads(key.tags).items()}
        dims.update(parsed)
    return dims


Labeller = Callable[[Attribution, Mapping[str, str]], tuple[str, ...]]
"""What lines are summed by: labels from a line's attribution and raw dimensions."""


def driver_labels(attribution: Attribution, dims: Mapping[str, str]) -> tuple[str, ...]:
    """Team and the key or person that drove the cost ("" if the source names none)."""
    driver = (
        dims["api_key"]
        or dims["api_key_id"]
        or dims["user"]
        or dims["workspace"]
        or dims["workspace_id"]
    )
    return attribution.team, driver


def attributed_aggregates(
    conn: Connection,
    attributor: Attributor,
    period: str,
    scope: dict[str, Any],
    labeller: Labeller,
    memo: dict[tuple[Any, ...], Attribution] | None = None,
) -> list[AttributedAggregate]:
    """Sum ``period``'s lines in ``scope`` (see :func:`usage_aggregates`) per label × key;
    each key is attributed once per workspace state (see :func:`attribution_memo`), or once
    per ``memo`` when ``attributor`` is not the policy in force (an impact preview)."""
    tested = [f for f in RULE_PRICING_FIELDS if f in attributor.tested_dimensions()]
    codes: dict[tuple[str, ...], int] = {}
    answers = []
    tags: dict[str, dict[str, str]] = {}
    if memo is None:
        memo = attribution_memo(conn)
    for key in distinct_keys(conn, tested, period=period, **scope):
        dims = _dimensions(key, tags)
        attribution = memo.get((period, *key.key))
        if attribution is None:
            attribution = memo[(period, *key.key)] = attributor.attribute(dims, period)
        labels = labeller(attribution, dims)
        answers.append((key.key, codes.setdefault(labels, len(codes))))
    by_code = {code: labels for labels, code in codes.items()}
    return [
        AttributedAggregate(by_code[code], aggregate)
        for code, aggregate in sums_per_code(conn, tested, answers, period=period, **scope)
    ]


def attribution_memo(conn: Connection) -> dict[tuple[Any, ...], Attribution]:
    """The attributions already made under the workspace state (and so the policy) that
    ``conn`` sees: invoices, facts and drivers of a month attribute each key once."""
    return shared_in_state(conn, "attributions", dict)
