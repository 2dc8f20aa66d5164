"""Closed periods: their frozen invoice documents and which usage lines their invoices billed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, func, select, text, update

from app.workspace.portable_sql import not_by_index
from app.workspace.schema import closed_periods, import_batches, usage_lines


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


def close(
    conn: Connection, period: str, document: str, last_batch: int, export_snapshot: str
) -> None:
    conn.execute(
        closed_periods.insert().values(
            period=period,
            closed_at=datetime.now(UTC).isoformat(timespec="seconds"),
            last_batch_id=last_batch,
            document=document,
            export_snapshot=export_snapshot,
        )
    )


def export_snapshot(conn: Connection, period: str) -> tuple[str, str | None] | None:
    """``(closed_at, snapshot)`` of a closed period (snapshot ``None`` if closed before 0007)."""
    row = conn.execute(
        select(closed_periods.c.closed_at, closed_periods.c.export_snapshot).where(
            closed_periods.c.period == period
        )
    ).first()
    return None if row is None else (row[0], row[1])


def reopen(conn: Connection, period: str) -> None:
    conn.execute(delete(closed_periods).where(closed_periods.c.period == period))


def mark_billed(conn: Connection, period: str, late_sources: list[str]) -> int:
    """Record that ``period``'s invoices bill its unbilled lines and those of ``late_sources``."""
    billed = 0
    for month in [period, *late_sources]:
        result = conn.execute(
            update(usage_lines)
            .where(usage_lines.c.billed_period.is_(None))
            .where(usage_lines.c.period == month)
            .where(usage_lines.c.day.between(f"{month}-01", f"{month}-31"))  # by the day index
            .values(billed_period=period)
        )
        billed += result.rowcount or 0
    return billed


def unmark_billed(conn: Connection, period: str) -> int:
    """A reopened period bills nothing until it is closed again."""
    result = conn.execute(
        update(usage_lines).where(usage_lines.c.billed_period == period).values(billed_period=None)
    )
    return result.rowcount or 0


def late_periods_billed_in(conn: Connection, period: str) -> list[str]:
    """Earlier months whose late usage the closed ``period`` billed."""
    rows = conn.execute(
        select(usage_lines.c.period)
        .where(usage_lines.c.billed_period == period)
        .where(usage_lines.c.period != period)
        .distinct()
        .order_by(usage_lines.c.period)
    )
    return list(rows.scalars())


def has_billed_lines(conn: Connection, period: str) -> bool:
    """Whether a closed period billed any of ``period``'s lines."""
    # Search the index of billed lines, not every line of the month.
    period_sql = not_by_index(conn, "period")
    row = conn.execute(
        text(
            f"SELECT 1 FROM usage_lines WHERE billed_period IS NOT NULL AND {period_sql} = :period "
            "LIMIT 1"
        ),
        {"period": period},
    ).first()
    return row is not None
