"""Imports page state: the history table and the summary of a finished import run."""

from __future__ import annotations

from app.services.import_history import list_imports
from app.services.importing import FileImportReport
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import count, money
from app.ui.presentation.table import Column, TableState

STATUS_WORDS = {"imported": "Imported", "skipped": "Skipped", "rejected": "Rejected"}


class ImportsPresenter:
    """Past imports, newest first."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.table = TableState(
            [
                Column("File"),
                Column("Format"),
                Column("Imported (UTC)"),
                Column("Period"),
                Column("Rows read", True),
                Column("Lines", True),
                Column("Replaced", True),
                Column("Requests skipped", True),
                Column("Cost / amount", True),
            ],
            empty_text="Nothing imported yet: drop export files here or use Import files…",
        )
        self.reload()

    def reload(self) -> None:
        self.table.rows = [
            [
                r.file_name,
                r.format,
                r.imported_at.replace("T", " ")[:16],
                f"{r.period_start} – {r.period_end}" if r.period_start else "",
                count(r.rows_read),
                count(r.lines_added),
                count(r.lines_replaced),
                count(r.duplicates_skipped + r.requests_already_imported),
                money(r.cost),
            ]
            for r in list_imports(self.workspace)
        ]


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
            lines += [f"    {problem}" for problem in report.problems()]
    return headline, "\n".join(lines)
