"""Removing one import: what it brought, whether a closed period depends on it, deleting it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Connection, and_, delete, func, select

from app.workspace.schema import (
    batch_coverage,
    closed_periods,
    import_batches,
    provider_invoices,
    request_ids,
    statement_lines,
    usage_lines,
)


@dataclass(frozen=True)
class BatchImpact:
    """What removing an import would take away."""

    file_name: str
    kind: str
    usage_lines: int
    statement_lines: int
    provider_invoices: int
    lines_replaced: int
    billed_in_closed: tuple[str, ...]
    """Closed periods whose invoices billed usage of this import."""
    closed_statement_periods: tuple[str, ...]
    """Closed periods whose statements or provider invoice this import brought."""
    relied_on_by: tuple[int, ...] = ()
    """Later imports of the source that skipped requests this one brought (removing it would
    lose them)."""
    replaced_batches: tuple[int, ...] = ()
    """Earlier imports whose lines this one replaced."""


def _lines_of(conn: Connection, batch_id: int) -> ColumnElement[bool]:
    """The usage lines of an import, found by the days between its first and last (the index
    of lines is by day)."""
    first, last = conn.execute(
        select(import_batches.c.period_start, import_batches.c.period_end).where(
            import_batches.c.id == batch_id
        )
    ).one()
    return and_(
        usage_lines.c.batch_id == batch_id,
        usage_lines.c.day.between(first or "", (last or "") + "~"),
    )


def batch_impact(conn: Connection, batch_id: int) -> BatchImpact | None:
    batch = conn.execute(
        select(
            import_batches.c.file_name,
            import_batches.c.kind,
            import_batches.c.lines_replaced,
            import_batches.c.source,
            import_batches.c.replaced_batches,
        )
        .where(import_batches.c.id == batch_id)
        .where(import_batches.c.removed_at.is_(None))
        .where(import_batches.c.content_hash.not_like("superseded:%"))
    ).first()
    if batch is None:
        return None
    closed = set(conn.execute(select(closed_periods.c.period)).scalars())
    billed = conn.execute(
        select(usage_lines.c.billed_period)
        .where(_lines_of(conn, batch_id))
        .where(usage_lines.c.billed_period.is_not(None))
        .distinct()
    ).scalars()
    statement_periods = set(
        conn.execute(
            select(statement_lines.c.period)
            .where(statement_lines.c.batch_id == batch_id)
            .distinct()
        ).scalars()
    ) | set(
        conn.execute(
            select(provider_invoices.c.period).where(provider_invoices.c.batch_id == batch_id)
        ).scalars()
    )

    def count(table) -> int:  # type: ignore[no-untyped-def]
        rows = _lines_of(conn, batch_id) if table is usage_lines else table.c.batch_id == batch_id
        return int(conn.execute(select(func.count()).select_from(table).where(rows)).scalar() or 0)

    id_days = select(request_ids.c.day).where(request_ids.c.batch_id == batch_id)
    relied_on_by = conn.execute(
        select(import_batches.c.id)
        .join(batch_coverage, batch_coverage.c.batch_id == import_batches.c.id)
        .where(import_batches.c.source == batch.source)
        .where(import_batches.c.id > batch_id)
        .where(import_batches.c.requests_already_imported > 0)
        .where(import_batches.c.removed_at.is_(None))
        .where(batch_coverage.c.day.in_(id_days))
        .distinct()
    ).scalars()
    return BatchImpact(
        file_name=batch.file_name,
        kind=batch.kind,
        usage_lines=count(usage_lines),
        statement_lines=count(statement_lines),
        provider_invoices=count(provider_invoices),
        lines_replaced=batch.lines_replaced,
        billed_in_closed=tuple(sorted(billed)),
        closed_statement_periods=tuple(sorted(statement_periods & closed)),
        relied_on_by=tuple(sorted(relied_on_by)),
        replaced_batches=tuple(int(b) for b in batch.replaced_batches.split(",") if b),
    )


def delete_batch(conn: Connection, batch_id: int) -> None:
    """Delete everything the import brought; its row stays, marked removed, so its id is never
    reused and its content can be imported again."""
    conn.execute(delete(usage_lines).where(_lines_of(conn, batch_id)))
    for table in (statement_lines, request_ids, batch_coverage, provider_invoices):
        conn.execute(delete(table).where(table.c.batch_id == batch_id))
    conn.execute(
        import_batches.update()
        .where(import_batches.c.id == batch_id)
        .values(
            removed_at=datetime.now(UTC).isoformat(timespec="seconds"),
            content_hash="removed:" + str(batch_id) + ":" + import_batches.c.content_hash,
        )
    )
