"""Use case: move a workspace between a file and a server (either way), proven by its invoices.

``workspace copy SRC DEST`` makes DEST a new workspace (a file that does not exist yet, or an
empty database) holding every row of SRC, in one transaction, then checks that every month's
invoices — frozen for closed months, computed for open ones — are identical in both, and the
row counts too. A copy that differs is removed and the month named.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from app.services.invoices import invoice_document
from app.services.reporting import available_periods, closed_periods
from app.workspace.copying import copy_tables, row_counts
from app.workspace.db import Workspace, WorkspaceError, create_workspace, open_workspace
from app.workspace.locations import is_server_location, without_password

ProgressNote = Callable[[str], None]


class CopyMismatch(WorkspaceError):
    """The copy did not give the same invoices or rows; it was removed."""


@dataclass(frozen=True)
class CopyResult:
    """What was copied and proven."""

    source: str
    target: str
    rows: dict[str, int]
    months: list[str]
    """The months whose invoices were compared (all identical)."""


def _shown(location: Path | str) -> str:
    return without_password(location) if is_server_location(location) else str(location)


def _document(workspace: Workspace, period: str) -> str:
    return json.dumps(invoice_document(workspace, period), sort_keys=True)


def _remove(target: Workspace) -> None:
    """Take a failed copy away: the file, or the workspace's tables in the database."""
    from app.workspace.db import remove_workspace

    remove_workspace(target)


def copy_workspace(
    source: Path | str,
    target: Path | str,
    *,
    source_password: str | None = None,
    target_password: str | None = None,
    note: ProgressNote = lambda _message: None,
) -> CopyResult:
    """Copy ``source`` into the new workspace ``target`` and prove the copy by its invoices."""
    original = open_workspace(source, password=source_password)
    try:
        with original.engine.connect() as reading:

            def fill(conn: Connection) -> None:
                def told(table: str, rows: int) -> None:
                    note(f"Copying {table}: {rows:,} rows")

                copy_tables(reading, conn, told)

            note(f"Creating {_shown(target)}")
            copy = create_workspace(target, password=target_password, fill=fill)
            expected = row_counts(reading)
        try:
            with copy.engine.connect() as conn:
                found = row_counts(conn)
            if found != expected:
                differing = sorted(t for t in expected if expected[t] != found.get(t))
                raise CopyMismatch(
                    f"the copy has other row counts than {original.label} in "
                    f"{', '.join(differing)}; it was removed"
                )
            months = sorted(set(available_periods(original)) | set(closed_periods(original)))
            for month in months:
                note(f"Comparing the invoices of {month}")
                if _document(original, month) != _document(copy, month):
                    raise CopyMismatch(
                        f"the invoices of {month} differ between {original.label} and the "
                        f"copy; the copy was removed"
                    )
        except BaseException:
            _remove(copy)
            raise
        result = CopyResult(original.location, copy.location, expected, months)
        copy.dispose()
        return result
    finally:
        original.dispose()
