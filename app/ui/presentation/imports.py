"""Imports page state: the history table and the summary of a finished import run."""

from __future__ import annotations

from app.services.import_history import ImportRecord, RemovalRefused, list_imports, remove_import
from app.services.importing import FileImportReport
from app.services.workspaces import Workspace, WorkspaceError
from app.ui.presentation.formatting import count, day_label, money
from app.ui.presentation.table import Column, TableState

STATUS_WORDS = {"imported": "Imported", "skipped": "Skipped", "rejected": "Rejected"}


class ImportsPresenter:
    """Past imports, newest first."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.table = TableState(
            [
                Column("ID", True),
                Column("File"),
                Column("Format"),
                Column("Imported (UTC)"),
                Column("Period"),
                Column("Rows", True),
                Column("Lines", True),
                Column("Replaced", True),
                Column("Skipped", True),
                Column("Amount", True),
            ],
            empty_text="Nothing imported yet: drop export files here or use Import files…",
        )
        self.records: list[ImportRecord] = []

    def fetch(self) -> list[ImportRecord]:
        """The history, newest first (reads the workspace: safe on any thread)."""
        return list_imports(self.workspace)

    def reload(self) -> None:
        """Fetch and apply at once (tests; the page fetches on a worker)."""
        self.apply(self.fetch())

    def apply(self, records: list[ImportRecord]) -> None:
        self.records = records
        self.table.rows = [
            [
                str(r.id),
                r.file_name,
                r.format,
                f"{day_label(r.imported_at)} {r.imported_at[11:16]}",
                f"{day_label(r.period_start)} – {day_label(r.period_end)}"
                if r.period_start and r.period_end
                else "",
                count(r.rows_read),
                count(r.lines_added),
                count(r.lines_replaced),
                count(r.duplicates_skipped + r.requests_already_imported),
                money(r.cost),
            ]
            for r in self.records
        ]

    def removal_question(self, row: int) -> str | None:
        """What the user confirms before removing the import on ``row`` (None: no such row)."""
        if not 0 <= row < len(self.records):
            return None
        record = self.records[row]
        return (
            f"Remove import {record.id} ({record.file_name}) and everything it brought: "
            f"{count(record.lines_added)} line(s), {money(record.cost)}? Open months are "
            f"recomputed; the removal is written to the audit log. You can import the file "
            f"again afterwards."
        )

    def batch_id(self, row: int) -> int:
        return self.records[row].id


def removal_outcome(workspace: Workspace, batch_id: int) -> str:
    """Remove one import (a worker calls this: it may wait for another writer); returns what
    happened, or why it was refused, in words for the user."""
    try:
        removed = remove_import(workspace, batch_id)
    except (RemovalRefused, WorkspaceError) as exc:
        return f"Not removed: {exc}"
    text = f"Removed import {removed.batch_id} ({removed.file_name})."
    if removed.lines_replaced:
        text += " " + removed.replaced_note()
    return text


def summarise(reports: list[FileImportReport]) -> tuple[str, str]:
    """A one-line headline and the details text of an import run, for the result dialog."""
    done = sum(r.status == "imported" for r in reports)
    headline = f"{done} of {len(reports)} file(s) imported"
    lines = []
    for report in reports:
        word = STATUS_WORDS.get(report.status, report.status)
        line = f"{word}: {report.file}"
        if report.status == "imported":
            line += (
                f" — {report.format}, {count(report.rows_read)} rows, "
                f"{count(report.lines_added)} lines, {money(report.cost)}"
            )
            if report.unpriced_lines:
                line += (
                    f"; {report.unpriced_lines} unpriced line(s) "
                    f"({', '.join(report.unpriced_models)})"
                )
        lines.append(line)
        if report.status != "imported" or report.errors:
            problems = report.problems()
            if has_only_bad_rows(report):
                # The window offers to import the good rows: no command-line flag here.
                problems[0] = (
                    f"{report.file}: {report.rows_rejected} bad row(s); nothing imported — fix "
                    f"them, or import the good rows"
                )
            lines += [f"    {problem}" for problem in problems]
    return headline, "\n".join(lines)


def has_only_bad_rows(report: FileImportReport) -> bool:
    """Rejected for bad rows only: importing its good rows is an option to offer."""
    return report.status == "rejected" and report.rows_rejected > 0 and bool(report.errors)
