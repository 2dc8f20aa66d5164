"""Use case: the history of imports of a workspace (Imports page)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.workspace.db import Workspace
from app.workspace.import_history_queries import import_batch_rows


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
