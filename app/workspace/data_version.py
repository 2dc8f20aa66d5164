"""The workspace's data version: which state of imports, closes, policy and prices a computed
result belongs to (migration 0010 keeps it current with triggers)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from app.workspace.schema import data_version


def current(conn: Connection) -> tuple[str, int]:
    """``(token, counter)`` as ``conn``'s transaction sees the workspace."""
    row = conn.execute(select(data_version.c.token, data_version.c.counter)).one()
    return row[0], row[1]
