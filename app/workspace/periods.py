"""Closed periods: their frozen invoice documents and the imports they include."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, func, select

from app.workspace.schema import closed_periods, import_batches


def closed(conn: Connection) -> dict[str, int]:
    """Closed period → last batch id it includes."""
    rows = conn.execute(select(closed_periods.c.period, closed_periods.c.last_batch_id))
    return {period: last for period, last in rows}


def frozen_document(conn: Connection, period: str) -> str | None:
    return conn.execute(
        select(closed_periods.c.document).where(closed_periods.c.period == period)
    ).scalar()


def last_batch_id(conn: Connection) -> int:
    return conn.execute(select(func.coalesce(func.max(import_batches.c.id), 0))).scalar() or 0


def close(conn: Connection, period: str, document: str, last_batch: int) -> None:
    conn.execute(
        closed_periods.insert().values(
            period=period,
            closed_at=datetime.now(UTC).isoformat(timespec="seconds"),
            last_batch_id=last_batch,
            document=document,
        )
    )


def reopen(conn: Connection, period: str) -> None:
    conn.execute(delete(closed_periods).where(closed_periods.c.period == period))
