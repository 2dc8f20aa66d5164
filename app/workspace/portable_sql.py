"""The few statements SQLite and PostgreSQL spell differently, behind one name each.

Everything else the workspace runs is the same text on both engines (SQLAlchemy Core, or SQL
both accept). Statements that bypass SQLAlchemy for speed run on the driver's own cursor with
``:name`` parameters on both engines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection

_NAMED_PARAMETER = re.compile(r"(?<![:\w]):(\w+)")


def on_server(conn: Connection) -> bool:
    """Whether ``conn`` is to a PostgreSQL server (else to a workspace file)."""
    return conn.dialect.name == "postgresql"


def _driver(conn: Connection) -> Any:
    """The driver's connection, inside ``conn``'s transaction (begun here if need be, so that
    the engine's way of beginning — write lock, isolation — is kept)."""
    if not conn.in_transaction():
        conn.begin()
    return conn.connection.driver_connection


def driver_execute(conn: Connection, sql: str, params: dict[str, Any] | None = None) -> Any:
    """Run ``sql`` (``:name`` parameters) on the driver's own cursor: rows as plain tuples."""
    raw = _driver(conn)
    if on_server(conn):
        sql = _NAMED_PARAMETER.sub(r"%(\1)s", sql.replace("%", "%%"))
    return raw.execute(sql, params or {})  # type: ignore[union-attr]


def insert_new_rows(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert ``rows``, skipping any that a unique key of ``table`` already holds."""
    names = ", ".join(f'"{c}"' for c in columns)
    raw = _driver(conn)
    if on_server(conn):
        marks = ", ".join(["%s"] * len(columns))
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING",
                list(rows),
            )
    else:
        marks = ", ".join("?" * len(columns))
        raw.executemany(f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})", rows)  # type: ignore[union-attr]


def copy_rows(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Append ``rows`` to ``table`` on a server with COPY (the fastest way in)."""
    names = ", ".join(f'"{c}"' for c in columns)
    raw = _driver(conn)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(row)


def tag_value_sql(conn: Connection, tag: str) -> str:
    """SQL for the value of tag ``tag`` of a dimension set ``d`` ('' when it has none)."""
    name = tag.replace('"', "").replace("'", "''")
    if on_server(conn):
        return f"CASE WHEN d.tags = '' THEN '' ELSE COALESCE(d.tags::jsonb ->> '{name}', '') END"
    return (
        f"CASE WHEN d.tags = '' THEN '' ELSE COALESCE(json_extract(d.tags, '$.\"{name}\"'), '') END"
    )


def tag_names_sql(conn: Connection) -> str:
    """SQL for the distinct names of the tags of every dimension set."""
    if on_server(conn):
        return (
            "SELECT DISTINCT jsonb_object_keys(d.tags::jsonb) FROM dimension_sets d "
            "WHERE d.tags != ''"
        )
    return (
        "SELECT DISTINCT j.key FROM dimension_sets d, json_each(d.tags) j "
        "WHERE d.tags != '' AND json_valid(d.tags)"
    )


def not_by_index(conn: Connection, column: str) -> str:
    """``column`` written so that SQLite's planner does not pick its index (PostgreSQL's
    planner weighs indexes by their statistics: the column as it is)."""
    return column if on_server(conn) else f"+{column}"


def whole_number_sum(conn: Connection, expression: str) -> str:
    """``SUM(expression)`` of integers, as an integer on both engines (PostgreSQL sums
    BIGINT into NUMERIC)."""
    return f"SUM({expression})::bigint" if on_server(conn) else f"SUM({expression})"
