"""The import wizard's words and tables (Qt-free): each file's status, a preview, the mapping
step's choices, and the run's outcome with the offer to import the good rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.services.file_mapping import (
    DELIMITER_NAMES,
    ENCODINGS,
    FIELDS,
    IGNORE,
    FileFound,
    MappingDraft,
    RunResult,
    tag_target,
)
from app.services.importing import REJECTED
from app.ui.presentation.formatting import count, money
from app.ui.presentation.imports import has_only_bad_rows
from app.ui.presentation.table import Column, TableState

SAMPLE_VALUES = 3
DATE_FORMATS = (
    ("", "ISO 8601: 2026-11-02 or 2026-11-02T09:15:00Z"),
    ("%d.%m.%Y %H:%M", "02.11.2026 09:15"),
    ("%d.%m.%Y", "02.11.2026"),
    ("%d/%m/%Y %H:%M", "02/11/2026 09:15"),
    ("%d/%m/%Y", "02/11/2026"),
    ("%m/%d/%Y %H:%M", "11/02/2026 09:15"),
    ("%m/%d/%Y", "11/02/2026"),
    ("%Y-%m-%d %H:%M:%S", "2026-11-02 09:15:00"),
)
DELIMITERS = tuple(DELIMITER_NAMES.items())
ENCODING_CHOICES = ENCODINGS


def status_text(found: FileFound) -> str:
    if found.problem:
        return found.problem
    if found.needs_mapping:
        return "Not a known format: map its columns in the next step"
    return found.format_label


def files_table(files: list[FileFound]) -> TableState:
    return TableState(
        [Column("File"), Column("What it is")],
        [[f.path.name, status_text(f)] for f in files],
        empty_text="No files chosen yet: Add files… or drop them here",
    )


def preview_table(rows: list[list[str]]) -> TableState:
    """The first rows of a file (header first) as a table of even width."""
    header, body = rows[0], rows[1:]
    width = max([len(header), *(len(r) for r in body)])
    columns = [Column(h or f"column {i + 1}") for i, h in enumerate(header)]
    columns += [Column(f"column {i + 1}") for i in range(len(header), width)]
    return TableState(
        columns, [r + [""] * (width - len(r)) for r in body], empty_text="No data rows"
    )


STANDARD_TAGS = ("team", "department", "product", "environment", "cost_center", "project")
"""Tags the policy's aliases and rules read most often."""


def target_choices(column: str) -> list[tuple[str, str]]:
    """(target, words) a column can map to: every field, a tag named after it or a standard
    tag, or ignore."""
    own = tag_target(column)
    tags = [own] + [f"tag:{t}" for t in STANDARD_TAGS if f"tag:{t}" != own]
    return [
        *((target, f"{words} ({target})") for target, (_, words) in FIELDS.items()),
        *((tag, f"Tag “{tag.split(':', 1)[1]}”") for tag in tags),
        (IGNORE, "Ignore this column"),
    ]


def samples(draft: MappingDraft, column_index: int) -> str:
    values = [r[column_index] for r in draft.rows if column_index < len(r) and r[column_index]]
    return ", ".join(values[:SAMPLE_VALUES])


@dataclass(frozen=True)
class RunOutcome:
    """What the last step says after a run."""

    headline: str
    table: TableState
    problems: list[str]
    good_rows_offer: list[Path]
    """Files refused for bad rows only: their good rows can be imported."""


def outcome(result: RunResult) -> RunOutcome:
    done = result.done
    rows, problems, offer = [], [], []
    for path, report in done:
        status = {"imported": "Imported", "skipped": "Already in"}.get(
            report.status, "Not imported"
        )
        how = f"profile “{report.profile}”" if report.profile else (report.format or "")
        rows.append(
            [
                report.file,
                status,
                how,
                f"{report.period_start} – {report.period_end}" if report.period_start else "",
                count(report.lines_added),
                "" if report.cost is None or report.status == REJECTED else money(report.cost),
            ]
        )
        if report.status == REJECTED or report.errors:
            problems += report.problems()
        if has_only_bad_rows(report):
            offer.append(path)
    imported = sum(r.status != REJECTED for _, r in done)
    headline = f"{imported} of {len(done)} file(s) imported or already in the workspace."
    if result.cancelled:
        headline = (
            f"Cancelled: the file being read was left out. {imported} file(s) imported or "
            f"already in the workspace before that."
        )
    if offer:
        headline += " Files with bad rows were not imported: fix them, or import their good rows."
    elif any(r.status == "imported" for _, r in done):
        headline += " Next: the Unallocated page lists the keys, users and tags no rule maps yet."
    table = TableState(
        [
            Column("File"),
            Column("Outcome"),
            Column("Read as"),
            Column("Lines", True),
            Column("Cost", True),
        ],
        rows,
        empty_text="Nothing was imported",
    )
    return RunOutcome(headline, table, problems, offer)
