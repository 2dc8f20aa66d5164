"""Queries over the import batches: the history shown on the Imports page."""

from __future__ import annotations

from sqlalchemy import Connection, select

from app.workspace.schema import import_batches


def import_batch_rows(conn: Connection) -> list[dict]:
    """Every import, newest first, as plain dictionaries."""
    query = select(import_batches).order_by(import_batches.c.id.desc())
    return [dict(row) for row in conn.execute(query).mappings()]
