"""Aggregations of usage lines in SQL: sums per pricing key and any grouping dimensions.

The result is small (one row per model × day × tier × geo × context window × group), so the
domain prices it exactly in Python.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, text

from app.domain.line_columns import USAGE_COUNT_COLUMNS
from app.workspace.portable_sql import tag_names_sql, tag_value_sql, whole_number_sum

GROUPABLE = {
    "model": "k.model",
    "day": "u.day",
    "month": "u.period",
    "service_tier": "k.service_tier",
    "inference_geo": "k.inference_geo",
    "context_window": "k.context_window",
    "speed": "k.speed",
    "prompt_band": "k.prompt_band",
    "api_key": "d.api_key",
    "api_key_id": "d.api_key_id",
    "workspace": "d.workspace",
    "workspace_id": "d.workspace_id",
    "user": 'd."user"',
    "service_account": "d.service_account",
    "source": "b.source",
    "tags": "d.tags",
    "format": "b.format",
}
_TAG = re.compile(r"^tag\.([\w\-. /:]{1,64})$")


class UnknownDimension(ValueError):
    """A grouping name that is neither a raw dimension nor ``tag.<name>``."""


def dimension_sql(conn: Connection, name: str) -> str:
    if name in GROUPABLE:
        return GROUPABLE[name]
    match = _TAG.match(name)
    if match:
        return tag_value_sql(conn, match.group(1))
    raise UnknownDimension(name)


def tag_names(conn: Connection) -> list[str]:
    """The names of the tags any usage carries, in order (those a dimension can name)."""
    found = conn.exec_driver_sql(tag_names_sql(conn)).scalars()
    return sorted(name for name in found if _TAG.match(f"tag.{name}"))


class UsageAggregate(NamedTuple):
    """Sums of one group of usage lines with the same pricing key and group values (a named
    tuple: a month makes tens of thousands)."""

    group: tuple[str, ...]
    model: str
    day: str
    service_tier: str
    inference_geo: str
    context_window: str
    speed: str
    prompt_band: str
    has_usage: bool
    has_provided_cost: bool
    lines: int
    requests: int
    input_tokens: int
    cache_write_5m_tokens: int
    cache_write_1h_tokens: int
    cache_read_tokens: int
    output_tokens: int
    web_searches: int
    code_execution_hours: str | None
    provided_cost: str | None
    provided_list_cost: str | None


SUMMED_COUNTS = ("requests", *(c for c in USAGE_COUNT_COLUMNS if c != "requests"))
"""The counts of a :class:`UsageAggregate`, in its order (requests first)."""
_DECIMAL_SUMS_SQL = """
    dec_sum(u.code_execution_hours) FILTER (WHERE u.code_execution_hours IS NOT NULL),
    dec_sum(u.provided_cost) FILTER (WHERE u.provided_cost IS NOT NULL),
    CASE WHEN COUNT(u.provided_list_cost) > 0 THEN
        dec_sum(COALESCE(u.provided_list_cost, u.provided_cost))
        FILTER (WHERE u.provided_cost IS NOT NULL) END
"""


def sums_sql(conn: Connection) -> str:
    """The columns of a :class:`UsageAggregate` after its group, over lines ``u``: the line
    key (see :func:`line_key_values`), then the sums. Where any line has a list price, the
    group's list price is every line's (a line without one is at list: its cost)."""
    counts = ", ".join(whole_number_sum(conn, f"u.{name}") for name in SUMMED_COUNTS)
    return f"u.line_key_id, COUNT(*), {counts}, {_DECIMAL_SUMS_SQL}"


SUMS_GROUP_SQL = "u.line_key_id"

LineKeyValues = tuple[str, str, str, str, str, str, str, bool, bool]
"""Model, day, service tier, inference geo, context window, speed, prompt band, has usage, has
provided cost."""


def line_key_values(conn: Connection) -> dict[int, LineKeyValues]:
    """What each line key stands for (a few hundred keys a month)."""
    rows = conn.execute(
        text(
            "SELECT id, model, day, service_tier, inference_geo, context_window, speed, "
            "prompt_band, has_usage, has_provided_cost FROM line_keys"
        )
    )
    return {row[0]: (*row[1:8], bool(row[8]), bool(row[9])) for row in rows}


MONTH_DAYS_SQL = "u.day BETWEEN :period || '-01' AND :period || '-31'"
"""The days of the month ``:period`` (lines are found by their day: see migration 0015)."""

BATCH_DAYS_SQL = (
    "u.day BETWEEN"
    " COALESCE((SELECT b.period_start FROM import_batches b WHERE b.id = :batch_id), '')"
    " AND COALESCE((SELECT b.period_end FROM import_batches b WHERE b.id = :batch_id), '') || '~'"
)
"""The days between the first and last day of import ``:batch_id`` (every day an import
stored lines for; ``~`` sorts after any day)."""


def scope_sql(
    *,
    period: str | None = None,
    batch_id: int | None = None,
    billed_in: str | None = None,
    unbilled: bool = False,
    days: Sequence[str] | None = None,
) -> tuple[str, dict[str, Any]]:
    """``WHERE`` clause and parameters selecting lines ``u`` (see :func:`usage_aggregates`);
    ``days`` keeps only those days."""
    where, params = [], {}
    if period is not None:
        where.append(f"u.period = :period AND {MONTH_DAYS_SQL}")
        params["period"] = period
    if days is not None:
        names = [f"day_{i}" for i in range(len(days))]
        where.append(f"u.day IN ({', '.join(':' + n for n in names) or 'NULL'})")
        params.update(zip(names, days, strict=True))
    if batch_id is not None:
        where.append(f"u.batch_id = :batch_id AND {BATCH_DAYS_SQL}")
        params["batch_id"] = batch_id
    if billed_in is not None:
        where.append("u.billed_period = :billed_in")
        params["billed_in"] = billed_in
    if unbilled:
        where.append("u.billed_period IS NULL")
    return (f"WHERE {' AND '.join(where)}" if where else ""), params


def aggregate_from_row(
    group: tuple[str, ...], rest: Sequence[Any], keys: dict[int, LineKeyValues]
) -> UsageAggregate:
    """A :class:`UsageAggregate` from the :data:`SUMS_SQL` columns of a row."""
    return UsageAggregate(group, *keys[rest[0]], *rest[1:])


def _joins(group_sql: Sequence[str]) -> str:
    """Only the tables the grouping reads: a join per line costs as much as the sums."""
    used = " ".join(group_sql)
    joins = []
    if "d." in used:
        joins.append("JOIN dimension_sets d ON d.id = u.dimension_set_id")
    if "b." in used:
        joins.append("JOIN import_batches b ON b.id = u.batch_id")
    if "k." in used:
        joins.append("JOIN line_keys k ON k.id = u.line_key_id")
    return "\n        ".join(joins)


_FROM_LINE_KEY = {
    "model": lambda values: values[0],
    "day": lambda values: values[1],
    "month": lambda values: values[1][:7],
    "service_tier": lambda values: values[2],
    "inference_geo": lambda values: values[3],
    "context_window": lambda values: values[4],
    "speed": lambda values: values[5],
    "prompt_band": lambda values: values[6],
}
"""Groupings a line's key already tells (see :data:`LineKeyValues`): SQL need not group by
them, which spares it sorting text."""


def usage_aggregates(
    conn: Connection,
    *,
    by: Sequence[str] = (),
    period: str | None = None,
    batch_id: int | None = None,
    billed_in: str | None = None,
    unbilled: bool = False,
) -> list[UsageAggregate]:
    """Sum usage lines of a period (or of one import) per pricing key and ``by`` groups.

    ``billed_in`` keeps the lines a closed period's invoices billed; ``unbilled`` the lines no
    closed period has billed yet (what a draft may bill).
    """
    in_sql = [name for name in by if name not in _FROM_LINE_KEY]
    group_sql = [dimension_sql(conn, name) for name in in_sql]
    group_select = "".join(f"{expr} AS g{i}, " for i, expr in enumerate(group_sql))
    group_by = "".join(f"g{i}, " for i in range(len(group_sql)))
    where_sql, params = scope_sql(
        period=period, batch_id=batch_id, billed_in=billed_in, unbilled=unbilled
    )
    sql = f"""
        SELECT {group_select} {sums_sql(conn)}
        FROM usage_lines u
        {_joins(group_sql)}
        {where_sql}
        GROUP BY {group_by} {SUMS_GROUP_SQL}
    """
    n = len(group_sql)
    keys = line_key_values(conn)
    result = []
    for row in conn.execute(text(sql), params):
        found = dict(zip(in_sql, ("" if v is None else str(v) for v in row[:n]), strict=True))
        values = keys[row[n]]
        group = tuple(
            _FROM_LINE_KEY[name](values) if name in _FROM_LINE_KEY else found[name] for name in by
        )
        result.append(aggregate_from_row(group, row[n:], keys))
    return result


def periods_with_usage(conn: Connection) -> list[str]:
    """The months with usage lines, found by stepping through the index of days a month at a
    time (a lookup per month, not a read of every line)."""
    periods: list[str] = []
    day = conn.execute(text("SELECT MIN(day) FROM usage_lines")).scalar()
    while day is not None:
        periods.append(day[:7])
        day = conn.execute(
            text("SELECT MIN(day) FROM usage_lines WHERE day > :last"), {"last": day[:7] + "-31"}
        ).scalar()
    return periods
