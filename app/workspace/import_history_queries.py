"""Queries over the import batches: the history shown on the Imports page."""

from __future__ import annotations

from sqlalchemy import Connection, select

from app.workspace.schema import import_batches


def import_batch_rows(conn: Connection) -> list[dict]:
    """Every import not removed nor replaced on all its days, newest first, as dictionaries."""
    query = (
        select(import_batches)
        .where(import_batches.c.removed_at.is_(None))
        .where(import_batches.c.content_hash.not_like("superseded:%"))
        .order_by(import_batches.c.id.desc())
    )
    return [dict(row) for row in conn.execute(query).mappings()]
