"""Removing one import: what it brought, whether a closed period depends on it, deleting it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select

from app.workspace.schema import (
    closed_periods,
    import_batches,
    provider_invoices,
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


def batch_impact(conn: Connection, batch_id: int) -> BatchImpact | None:
    batch = conn.execute(
        select(
            import_batches.c.file_name, import_batches.c.kind, import_batches.c.lines_replaced
        ).where(import_batches.c.id == batch_id)
    ).first()
    if batch is None:
        return None
    closed = set(conn.execute(select(closed_periods.c.period)).scalars())
    billed = conn.execute(
        select(usage_lines.c.billed_period)
        .where(usage_lines.c.batch_id == batch_id)
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
        return int(
            conn.execute(
                select(func.count()).select_from(table).where(table.c.batch_id == batch_id)
            ).scalar()
            or 0
        )

    return BatchImpact(
        file_name=batch.file_name,
        kind=batch.kind,
        usage_lines=count(usage_lines),
        statement_lines=count(statement_lines),
        provider_invoices=count(provider_invoices),
        lines_replaced=batch.lines_replaced,
        billed_in_closed=tuple(sorted(billed)),
        closed_statement_periods=tuple(sorted(statement_periods & closed)),
    )


def delete_batch(conn: Connection, batch_id: int) -> None:
    """Delete the import and everything it brought (lines, coverage, request ids cascade)."""
    conn.execute(delete(provider_invoices).where(provider_invoices.c.batch_id == batch_id))
    conn.execute(delete(import_batches).where(import_batches.c.id == batch_id))
