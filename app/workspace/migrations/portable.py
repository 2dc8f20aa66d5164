"""Spellings the migrations need on both engines (SQLite files and PostgreSQL servers).

Migrations written as SQL text use these for the few words the engines spell differently; the
rest of their SQL is the same on both.
"""

from __future__ import annotations

from alembic import op


def on_server() -> bool:
    """Whether the migration runs on a PostgreSQL server (else on a workspace file)."""
    return op.get_bind().dialect.name == "postgresql"


def id_column(*, big: bool = False) -> str:
    """An ``id`` column numbered by the database (SQLite: the rowid; PostgreSQL: a sequence,
    64-bit for ``big`` tables)."""
    if on_server():
        return f"id {'BIGSERIAL' if big else 'SERIAL'} NOT NULL"
    return "id INTEGER NOT NULL"


def count_type() -> str:
    """A column of counts that may pass 2^31 (tokens of a day): 64-bit on both engines."""
    return "BIGINT" if on_server() else "INTEGER"


def without_rowid() -> str:
    return "" if on_server() else " WITHOUT ROWID"


def flag(condition: str) -> str:
    """``condition`` as the integer 1 or 0 (the flags are integer columns on both engines)."""
    return f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def continue_ids(table: str) -> None:
    """After rows were copied with their ids: new rows are numbered after the highest."""
    if on_server():
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE(MAX(id), 0) + 1, false) FROM {table}"
        )
