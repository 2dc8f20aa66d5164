"""Usage of a period summed per attribution (team, product, environment) and pricing key.

Attribution depends only on a line's dimension set (and on the pricing fields a rule names), so
each distinct set is attributed once in Python — thousands, where a month has hundreds of
thousands of lines — and SQL sums the lines per attribution and pricing key through a temporary
table of the answers. Pricing is linear, so pricing these sums is exact.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from app.domain.attribution import Attribution, Attributor
from app.workspace.usage_queries import (
    SUMS_GROUP_SQL,
    SUMS_SQL,
    UsageAggregate,
    aggregate_from_row,
    scope_sql,
)

RULE_PRICING_FIELDS = ("model", "service_tier", "inference_geo", "context_window")
"""Fields of a line (beyond its dimension set) that a mapping rule may test."""
DIMENSION_FIELDS = ("api_key", "api_key_id", "workspace", "workspace_id", "user", "service_account")


@dataclass(frozen=True)
class AttributedAggregate:
    """Sums of the lines with one attribution (the ``by`` fields) and one pricing key."""

    labels: tuple[str, ...]
    aggregate: UsageAggregate


def _dimensions(row: Sequence[Any], tested: Sequence[str], tags: dict[str, dict]) -> dict:
    values = dict(zip(DIMENSION_FIELDS, row[: len(DIMENSION_FIELDS)], strict=True))
    dims = {k: "" if v is None else str(v) for k, v in values.items()}
    for name, value in zip(tested, row[len(DIMENSION_FIELDS) + 1 :], strict=True):
        dims[name] = value
    raw_tags = row[len(DIMENSION_FIELDS)]
    if raw_tags:
        parsed = tags.get(raw_tags)
        if parsed is None:
            parsed = tags[raw_tags] = {f"tag.{k}": str(v) for k, v in json.loads(raw_tags).items()}
        dims.update(parsed)
    return dims


Labeller = Callable[[Attribution, Mapping[str, str]], tuple[str, ...]]
"""What lines are summed by: labels from a line's attribution and raw dimensions."""


def team_labels(attribution: Attribution, dims: Mapping[str, str]) -> tuple[str, ...]:
    """Team and the reason it was chosen (invoice lines)."""
    return attribution.team, attribution.team_source


def fact_labels(attribution: Attribution, dims: Mapping[str, str]) -> tuple[str, ...]:
    """Team, product, environment and the key or person that drove the cost ("" if none)."""
    driver = (
        dims["api_key"]
        or dims["api_key_id"]
        or dims["user"]
        or dims["workspace"]
        or dims["workspace_id"]
    )
    return attribution.team, attribution.product, attribution.environment, driver


def attributed_aggregates(
    conn: Connection,
    attributor: Attributor,
    period: str,
    scope: dict[str, Any],
    labeller: Labeller = team_labels,
) -> list[AttributedAggregate]:
    """Sum ``period``'s lines in ``scope`` (see :func:`usage_aggregates`) per label × key."""
    tested = [f for f in RULE_PRICING_FIELDS if f in attributor.tested_dimensions()]
    where, params = scope_sql(period=period, **scope)
    key_columns = ["dimension_set_id", *tested]
    distinct = conn.execute(
        text(
            f"SELECT k.{', k.'.join(key_columns)}, "
            + ", ".join(f'd."{f}"' for f in DIMENSION_FIELDS)
            + ", d.tags"
            + "".join(f", k.{f}" for f in tested)
            + f" FROM (SELECT DISTINCT {', '.join(f'u.{c}' for c in key_columns)} "
            f"FROM usage_lines u {where}) k "
            "JOIN dimension_sets d ON d.id = k.dimension_set_id"
        ),
        params,
    ).all()
    codes: dict[tuple[str, ...], int] = {}
    answers = []
    tags: dict[str, dict] = {}
    width = len(key_columns)
    for row in distinct:
        dims = _dimensions(row[width:], tested, tags)
        labels = labeller(attributor.attribute(dims, period), dims)
        code = codes.setdefault(labels, len(codes))
        answers.append((*row[:width], code))
    if not answers:
        return []
    raw = conn.connection.driver_connection
    raw.execute("DROP TABLE IF EXISTS temp.attributed_keys")
    # Typed columns: without a type affinity SQLite cannot use the key to join.
    typed = ", ".join(
        f"{c} {'INTEGER' if c == 'dimension_set_id' else 'TEXT'}" for c in key_columns
    )
    raw.execute(
        f"CREATE TEMP TABLE attributed_keys ({typed}, code INTEGER, "
        f"PRIMARY KEY ({', '.join(key_columns)})) WITHOUT ROWID"
    )
    raw.executemany(
        f"INSERT INTO temp.attributed_keys VALUES ({', '.join('?' for _ in range(width + 1))})",
        answers,
    )
    join = " AND ".join(f"a.{c} = u.{c}" for c in key_columns)
    rows = conn.execute(
        text(
            f"SELECT a.code, {SUMS_SQL} FROM usage_lines u "
            f"JOIN temp.attributed_keys a ON {join} {where} "
            f"GROUP BY a.code, {SUMS_GROUP_SQL}"
        ),
        params,
    ).all()
    raw.execute("DROP TABLE temp.attributed_keys")
    by_code = {code: labels for labels, code in codes.items()}
    return [
        AttributedAggregate(
            by_code[row[0]],
            aggregate_from_row((), row[1:]),
        )
        for row in rows
    ]
