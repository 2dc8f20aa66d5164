"""The importer protocol: ``identify`` a file by content, ``read`` it into canonical lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pandas as pd

from app.domain.progress import CancelToken, ProgressCallback, no_progress
from importers.dedupe import RequestIdLedger
from importers.sniff import FileSample

USAGE = "usage"
STATEMENT = "statement"
PROVIDER_INVOICE = "provider_invoice"

MAX_ERRORS_KEPT = 1000
"""A file with thousands of bad rows reports the first ones; the count stays exact."""


@dataclass(frozen=True)
class RowError:
    """One bad row: where it is (1-based line or record number, column) and what is wrong."""

    line: int
    column: str
    message: str

    def describe(self, file_name: str) -> str:
        where = f"line {self.line}" if self.line else "file"
        column = f", column {self.column!r}" if self.column else ""
        return f"{file_name}: {where}{column}: {self.message}"


class FileRejected(Exception):
    """The whole file cannot be read as the claimed format (one clear message)."""


BLANK_REQUEST_IDS = ("", "null", "none", "nan", "n/a", "-")
"""Ids that mean "no id" (what loggers write for a missing value): never deduplicated."""


def request_id_text(value: object) -> str:
    """A request id as both readers compare it: trimmed; blank words count as no id."""
    text = "" if value is None else str(value).strip()
    return "" if text.lower() in BLANK_REQUEST_IDS else text


def reject_duplicate_columns(names: list[str]) -> None:
    """A header naming a column twice is ambiguous (which one holds the tokens?): refuse it."""
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if not name:
            continue
        if name in seen:
            raise FileRejected(
                f"the header names the column {name!r} twice (columns {seen[name]} and "
                f"{position}); rename or remove one of them"
            )
        seen[name] = position


class RowProblem(ValueError):
    """A field of the current row is invalid; the reader turns it into a :class:`RowError`."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass
class ReadContext:
    """What a reader gets (options, progress, cancel) and fills in (counts, errors)."""

    path: Path
    sample: FileSample
    options: dict[str, str] = field(default_factory=dict)
    progress: ProgressCallback = no_progress
    cancel: CancelToken = field(default_factory=CancelToken)
    rows_read: int = 0
    rows_ignored: int = 0
    ignored_reason: str = ""
    duplicates_skipped: int = 0
    request_ids: RequestIdLedger = field(default_factory=RequestIdLedger)
    """Decides which requests are new (for sources with request ids)."""
    has_request_ids: bool = False
    """Set by a reader whose file has a request-id column."""
    rows_without_request_id: int = 0
    """Rows of such a file whose id is blank: one is enough for coverage to decide overlaps."""

    @property
    def identifies_requests(self) -> bool:
        """Every request of the file has an id: then ids, not coverage, decide what is new."""
        return self.has_request_ids and self.rows_without_request_id == 0

    notes: list[str] = field(default_factory=list)
    """What the import should say about the file beyond its counts (a report that may be
    incomplete)."""
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)

    def add_error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(line, column, message))

    def keep_request(self, day: str, raw_id: object) -> bool:
        """True for a request to add; a blank id is always added (it cannot be recognised)."""
        self.has_request_ids = True
        request_id = request_id_text(raw_id)
        if not request_id:
            self.rows_without_request_id += 1
            return True
        if self.request_ids.keep_one(day, request_id):
            return True
        self.duplicates_skipped = self.request_ids.duplicates
        return False

    def report_progress(self, done_bytes: int, message: str = "Reading") -> None:
        size = self.sample.size or 1
        self.progress(min(done_bytes / size, 1.0), message)


@dataclass
class ImportedData:
    """The canonical result of reading one file.

    ``frame`` has the columns of :data:`importers.canonical.USAGE_COLUMNS`,
    :data:`~importers.canonical.STATEMENT_COLUMNS` or
    :data:`~importers.canonical.PROVIDER_INVOICE_COLUMNS` depending on ``kind``.
    ``coverage`` maps each day (``YYYY-MM-DD``) to the ``(start, end)`` ISO timestamps the file
    covers on that day (end exclusive); overlapping imports of one source are judged by it.
    """

    kind: str
    frame: pd.DataFrame
    coverage: dict[str, tuple[str, str]] = field(default_factory=dict)


class Importer(Protocol):
    """One source format (FORMATS.md)."""

    id: str
    """Stable id used by ``--format`` and stored with each import (``gateway-csv``)."""
    label: str
    """What it reads, for ``formats`` and the GUI."""
    kind: str
    """``usage``, ``statement`` or ``provider_invoice``."""
    source: str
    """Family whose overlapping exports replace each other (``anthropic-usage-api``)."""

    def identify(self, sample: FileSample) -> bool:
        """True when the content (header, JSON keys) is this format."""
        ...

    def read(self, ctx: ReadContext) -> ImportedData:
        """Stream the whole file into rolled-up canonical lines, collecting bad rows."""
        ...
