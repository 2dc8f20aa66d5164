"""Use cases: the history of imports of a workspace (Imports page, ``imports``) and removing
one import of open periods (``imports remove``), audited."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.workspace import audit
from app.workspace.batch_removal import batch_impact, delete_batch
from app.workspace.db import Workspace
from app.workspace.import_history_queries import import_batch_rows


class RemovalRefused(ValueError):
    """The import cannot be removed; the message says why and what to do."""


@dataclass(frozen=True)
class RemovedImport:
    batch_id: int
    file_name: str
    usage_lines: int
    statement_lines: int
    provider_invoices: int
    lines_replaced: int
    """Lines of earlier imports this one had replaced: removing it does not bring them back."""
    replaced_batches: tuple[int, ...] = ()

    def replaced_note(self) -> str:
        """What to do about the earlier lines this import had replaced ("" when none)."""
        if not self.lines_replaced:
            return ""
        ids = ", ".join(str(b) for b in self.replaced_batches) or "earlier imports"
        return (
            f"It had replaced {self.lines_replaced:,} line(s) of import(s) {ids}; they do not "
            f"come back by themselves. To restore them, import those files again — an import "
            f"replaced on all its days is no longer listed and imports again as it is; one "
            f"still listed must be removed first."
        )


def remove_import(workspace: Workspace, batch_id: int) -> RemovedImport:
    """Remove one import and everything it brought, unless a closed period depends on it."""
    with workspace.write() as conn:
        impact = batch_impact(conn, batch_id)
        if impact is None:
            raise RemovalRefused(f"there is no import {batch_id}; 'imports' lists them")
        if impact.billed_in_closed:
            months = ", ".join(impact.billed_in_closed)
            raise RemovalRefused(
                f"import {batch_id} ({impact.file_name}) brought usage that the closed invoices "
                f"of {months} billed; reopen {months} first (with a reason), then remove it"
            )
        if impact.relied_on_by:
            later = ", ".join(str(b) for b in impact.relied_on_by)
            raise RemovalRefused(
                f"later import(s) {later} of the same source skipped requests that import "
                f"{batch_id} ({impact.file_name}) brought, as already imported; removing it would "
                f"lose them — remove import(s) {later} first, then this one, then import the "
                f"later files again"
            )
        if impact.closed_statement_periods:
            months = ", ".join(impact.closed_statement_periods)
            raise RemovalRefused(
                f"import {batch_id} ({impact.file_name}) holds what the provider billed for "
                f"{months}, which is closed; reopen {months} first, then remove it"
            )
        delete_batch(conn, batch_id)
        audit.record(
            conn,
            "import.remove",
            batch=batch_id,
            file=impact.file_name,
            usage_lines=impact.usage_lines,
            statement_lines=impact.statement_lines,
            provider_invoices=impact.provider_invoices,
        )
    return RemovedImport(
        batch_id,
        impact.file_name,
        impact.usage_lines,
        impact.statement_lines,
        impact.provider_invoices,
        impact.lines_replaced,
        impact.replaced_batches,
    )


@dataclass(frozen=True)
class ImportRecord:
    """One past import as the user sees it."""

    id: int
    file_name: str
    format: str
    imported_at: str
    rows_read: int
    lines_added: int
    lines_replaced: int
    duplicates_skipped: int
    requests_already_imported: int
    rows_rejected: int
    period_start: str | None
    period_end: str | None
    cost: Decimal | None
    kind: str


def list_imports(workspace: Workspace) -> list[ImportRecord]:
    with workspace.engine.connect() as conn:
        rows = import_batch_rows(conn)
    return [
        ImportRecord(
            id=row["id"],
            file_name=row["file_name"],
            format=row["format"],
            imported_at=row["imported_at"],
            rows_read=row["rows_read"],
            lines_added=row["lines_added"],
            lines_replaced=row["lines_replaced"],
            duplicates_skipped=row["duplicates_skipped"],
            requests_already_imported=row["requests_already_imported"],
            rows_rejected=row["rows_rejected"],
            period_start=row["period_start"],
            period_end=row["period_end"],
            cost=None if row["cost"] in (None, "None") else Decimal(row["cost"]),
            kind=row["kind"],
        )
        for row in rows
    ]
