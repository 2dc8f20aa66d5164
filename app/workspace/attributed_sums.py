"""SQL behind per-attribution sums: the distinct keys attribution depends on, and the sums of a
period's lines per attribution code through a temporary table of the caller's answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from app.domain.line_columns import DIMENSION_COLUMNS
from app.domain.periods import days_in_month
from app.workspace.portable_sql import driver_execute, on_server
from app.workspace.usage_queries import (
    SUMS_GROUP_SQL,
    UsageAggregate,
    aggregate_from_row,
    line_key_values,
    scope_sql,
    sums_sql,
)

WHO_COLUMNS = tuple(c for c in DIMENSION_COLUMNS if c != "tags")


@dataclass(frozen=True)
class DistinctKey:
    """One distinct (dimension set, tested pricing fields) of a period's lines."""

    key: tuple[Any, ...]
    """Dimension set id, then the tested fields: what an answer is filed under."""
    who: dict[str, str]
    tags: str
    tested: dict[str, str]


def _key_columns(tested: Sequence[str]) -> list[str]:
    return ["dimension_set_id", *tested]


def _line_column(name: str) -> str:
    """A key column of a line ``u``: its dimension set, or a pricing field of its key ``k``."""
    return f"u.{name}" if name == "dimension_set_id" else f"k.{name}"


def _key_join(tested: Sequence[str]) -> str:
    return "JOIN line_keys k ON k.id = u.line_key_id" if tested else ""


def distinct_keys(conn: Connection, tested: Sequence[str], **scope: Any) -> list[DistinctKey]:
    """The distinct keys of the lines in ``scope`` (see :func:`scope_sql`) with their values;
    when no rule tests a pricing field, every dimension set the period has had."""
    columns = _key_columns(tested)
    who = ", ".join(f'd."{c}"' for c in WHO_COLUMNS) + ", d.tags"
    if tested or scope.get("period") is None:
        where, params = scope_sql(**scope)
        listed = (
            f"SELECT DISTINCT {', '.join(_line_column(c) for c in columns)} "
            f"FROM usage_lines u {_key_join(tested)} {where}"
        )
    else:
        # Every set the period's lines have (a few more after removals: attributed for
        # nothing, summed over no lines) — without reading the lines.
        listed = "SELECT dimension_set_id FROM period_dimension_sets WHERE period = :period"
        params = {"period": scope["period"]}
    # The driver's own cursor: tens of thousands of rows, read once, need no row objects.
    rows = driver_execute(
        conn,
        f"SELECT {', '.join(f'k.{c}' for c in columns)}, {who} "
        f"FROM ({listed}) k JOIN dimension_sets d ON d.id = k.dimension_set_id",
        params,
    ).fetchall()
    width = len(columns)
    return [
        DistinctKey(
            tuple(row[:width]),
            {
                c: "" if v is None else str(v)
                for c, v in zip(WHO_COLUMNS, row[width:], strict=False)
            },
            row[-1] or "",
            dict(zip(tested, row[1:width], strict=True)),
        )
        for row in rows
    ]


def sums_per_code(
    conn: Connection,
    tested: Sequence[str],
    answers: Sequence[tuple[tuple[Any, ...], int]],
    **scope: Any,
) -> list[tuple[int, UsageAggregate]]:
    """Sums of the lines in ``scope`` per answer code and pricing key; ``answers`` gives each
    :attr:`DistinctKey.key` its code."""
    if not answers:
        return []
    columns = _key_columns(tested)
    if on_server(conn):
        rows = _server_sums(conn, tested, columns, answers, **scope)
    else:
        rows = _file_sums(conn, tested, columns, answers, **scope)
    keys = line_key_values(conn)
    return [(row[0], aggregate_from_row((), row[1:], keys)) for row in rows]


def _file_sums(
    conn: Connection,
    tested: Sequence[str],
    columns: Sequence[str],
    answers: Sequence[tuple[tuple[Any, ...], int]],
    **scope: Any,
) -> list[Any]:
    """SQLite: the answers in a temporary table joined to the lines, a day at a time."""
    where, params = scope_sql(**scope)
    raw = conn.connection.driver_connection
    raw.execute("DROP TABLE IF EXISTS temp.attributed_keys")
    # Typed columns: without a type affinity SQLite cannot use the key to join.
    typed = ", ".join(f"{c} {'INTEGER' if c == 'dimension_set_id' else 'TEXT'}" for c in columns)
    raw.execute(
        f"CREATE TEMP TABLE attributed_keys ({typed}, code INTEGER, "
        f"PRIMARY KEY ({', '.join(columns)})) WITHOUT ROWID"
    )
    raw.executemany(
        f"INSERT INTO temp.attributed_keys VALUES ({', '.join('?' * (len(columns) + 1))})",
        [(*key, code) for key, code in answers],
    )
    join = " AND ".join(f"a.{c} = {_line_column(c)}" for c in columns)
    sql = (
        f"SELECT a.code, {sums_sql(conn)} FROM usage_lines u {_key_join(tested)} "
        f"JOIN temp.attributed_keys a ON {join} {where} "
    )
    try:
        if scope.get("period") is not None and scope.get("days") is None:
            # A day at a time: thirty small sorts run faster than one of the whole month
            # (each fits in the processor's cache); the groups never span days (the line key
            # names its day).
            rows = []
            period = scope["period"]
            for day in (f"{period}-{d:02d}" for d in range(1, days_in_month(period) + 1)):
                rows += raw.execute(
                    f"{sql} AND u.day = :one_day GROUP BY a.code, {SUMS_GROUP_SQL}",
                    {**params, "one_day": day},
                ).fetchall()
            return rows
        return raw.execute(f"{sql} GROUP BY a.code, {SUMS_GROUP_SQL}", params).fetchall()
    finally:
        raw.execute("DROP TABLE temp.attributed_keys")


def _server_sums(
    conn: Connection,
    tested: Sequence[str],
    columns: Sequence[str],
    answers: Sequence[tuple[tuple[Any, ...], int]],
    **scope: Any,
) -> list[Any]:
    """PostgreSQL: the answers as arrays unnested into a relation (a reader's snapshot may not
    create tables), joined to the lines in one statement."""
    where, params = scope_sql(**scope)
    arrays = {f"answer_{i}": [key[i] for key, _ in answers] for i in range(len(columns))}
    arrays["answer_code"] = [code for _, code in answers]
    types = ["BIGINT" if c == "dimension_set_id" else "TEXT" for c in columns] + ["BIGINT"]
    unnested = ", ".join(
        f"CAST(:{name} AS {kind}[])" for name, kind in zip(arrays, types, strict=True)
    )
    join = " AND ".join(f"a.{c} = {_line_column(c)}" for c in columns)
    sql = (
        f"SELECT a.code, {sums_sql(conn)} FROM usage_lines u {_key_join(tested)} "
        f"JOIN unnest({unnested}) AS a({', '.join(columns)}, code) ON {join} {where} "
        f"GROUP BY a.code, {SUMS_GROUP_SQL}"
    )
    return driver_execute(conn, sql, {**params, **arrays}).fetchall()
