"""Use case: import files into a workspace — detect, read, validate, store atomically, report.

Each file is independent: it is imported whole, skipped (already imported), or rejected with
every problem listed and the workspace left exactly as it was.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import numpy as np

from app.domain.money import MONEY_CONTEXT
from app.domain.progress import (
    Cancelled,
    CancelToken,
    FollowingCancelToken,
    ProgressCallback,
    no_progress,
)
from app.services.earlier_import import EarlierImportCheck
from app.services.import_profiles import ProfileRejected, profile_for, profile_named
from app.services.pricing import total_cost, workspace_price_book
from app.workspace import audit
from app.workspace.db import Workspace, WorkspaceError
from app.workspace.imports import (
    BatchRecord,
    OverlapConflict,
    batch_id_for_hash,
    set_batch_cost,
    write_import,
)
from app.workspace.request_ids import known_hashes
from app.workspace.request_ids import store as store_request_ids
from importers import detect, importer_by_id
from importers.base import (
    PROVIDER_INVOICE,
    STATEMENT,
    USAGE,
    FileRejected,
    ImportedData,
    Importer,
    ReadContext,
    RowError,
)
from importers.dedupe import RequestIdLedger
from importers.mapped_csv import MappedCsvImporter, MappingProfile
from importers.sniff import FileSample, sample_file

log = logging.getLogger(__name__)

IMPORTED, SKIPPED, REJECTED = "imported", "skipped", "rejected"
ALREADY_IMPORTED = "already imported (same content); nothing added"


class _AlreadyImported(Exception):
    """The same content was stored by another writer first; this import adds nothing."""


@dataclass
class FileImportReport:
    """What happened to one file (CONTRACT.md ``import --json``)."""

    file: str
    format: str | None = None
    status: str = REJECTED
    rows_read: int = 0
    lines_added: int = 0
    lines_replaced: int = 0
    rows_rejected: int = 0
    rows_ignored: int = 0
    ignored_reason: str = ""
    duplicates_skipped: int = 0
    requests_already_imported: int = 0
    """Requests (by id) that earlier imports of the source brought already: skipped."""
    period_start: str | None = None
    period_end: str | None = None
    cost: Decimal | None = None
    unpriced_lines: int = 0
    unpriced_models: tuple[str, ...] = ()
    fast_without_fast_mode: tuple[str, ...] = ()
    """Models with fast-mode requests that have no fast mode: priced at standard rates."""
    message: str = ""
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What to know about an imported file beyond its counts (possibly incomplete)."""
    profile: str = ""
    """The mapping profile the file was read with (a CSV no built-in importer knows)."""

    def problems(self) -> list[str]:
        """One clear sentence per problem, naming the file (and row and column)."""
        lines = [f"{self.file}: {self.message}"] if self.message else []
        lines += [error.describe(self.file) for error in self.errors]
        if self.rows_rejected > len(self.errors):
            lines.append(
                f"{self.file}: … and {self.rows_rejected - len(self.errors)} more bad rows"
            )
        return lines


BINARY_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook or zip archive; save the sheet as CSV and import that",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook; save the sheet as CSV and import that",
    b"SQLite format 3": "an SQLite database (a workspace?), not an export",
}


def _binary_kind(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(16)
    for signature, message in BINARY_SIGNATURES.items():
        if head.startswith(signature):
            return f"this file is {message}"
    return None


def _read(
    importer: Importer,
    sample: FileSample,
    options: dict[str, str],
    progress: ProgressCallback,
    cancel: CancelToken,
    ledger: RequestIdLedger,
) -> tuple[ImportedData, ReadContext]:
    def read_as(attempt: FileSample) -> tuple[ImportedData, ReadContext]:
        ledger.reset()
        ctx = ReadContext(
            path=attempt.path,
            sample=attempt,
            options=options,
            progress=progress,
            cancel=cancel,
            request_ids=ledger,
        )
        return importer.read(ctx), ctx

    try:
        return read_as(sample)
    except UnicodeDecodeError:
        if sample.encoding not in ("utf-8", "utf-8-sig"):
            raise
    # The head was valid UTF-8 but a later byte is not: the file is a legacy code page.
    return read_as(replace(sample, encoding="cp1252"))


def _ledger(workspace: Workspace, source: str) -> RequestIdLedger:
    """Request ids known from earlier imports of ``source``, read a day at a time."""

    def known(day: str) -> np.ndarray:
        with workspace.engine.connect() as conn:
            return known_hashes(conn, source, day)

    return RequestIdLedger(known)


def _period_range(data: ImportedData) -> tuple[str | None, str | None]:
    if data.kind == PROVIDER_INVOICE:
        periods = sorted(data.frame["period"]) if not data.frame.empty else []
        return (periods[0] if periods else None), (periods[-1] if periods else None)
    days = sorted(set(data.coverage) | set(data.frame["day"] if not data.frame.empty else []))
    return (days[0] if days else None), (days[-1] if days else None)


def _statement_total(data: ImportedData) -> Decimal:
    column = "amount" if data.kind == STATEMENT else "total"
    total = Decimal(0)
    for value in data.frame[column]:
        total = MONEY_CONTEXT.add(total, Decimal(value))
    return total


def import_file(
    workspace: Workspace,
    path: Path,
    *,
    format_id: str | None = None,
    skip_bad_rows: bool = False,
    options: dict[str, str] | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    profile: str | MappingProfile | None = None,
) -> FileImportReport:
    """Import one file; never raises for bad input (the report says what was wrong).

    With ``profile`` (a saved profile's name, or a profile not saved yet: the import wizard
    saves it once the file is in), the file is read through that mapping profile; without it
    and ``format_id``, a file no built-in importer knows is read through the saved profile
    whose header it has, if any."""
    path = Path(path)
    report = FileImportReport(file=path.name)
    options = dict(options or {})
    given = profile if isinstance(profile, MappingProfile) else None
    if profile:
        options["profile"] = profile if isinstance(profile, str) else profile.name
    try:
        return _import_file(
            workspace, path, report, format_id, skip_bad_rows, options, progress, cancel, given
        )
    except OSError as exc:  # unreadable, vanished or locked by another program
        report.status = REJECTED
        report.message = f"cannot read the file: {exc.strerror or exc}; nothing imported"
        return report
    except WorkspaceError as exc:  # read-only workspace, or another writer never finished
        report.status = REJECTED
        report.message = f"{exc}; nothing imported"
        return report


def _import_file(
    workspace: Workspace,
    path: Path,
    report: FileImportReport,
    format_id: str | None,
    skip_bad_rows: bool,
    options: dict[str, str] | None,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    given: MappingProfile | None = None,
) -> FileImportReport:
    cancel = cancel or CancelToken()
    options = dict(options or {})
    if not path.is_file():
        report.message = "no such file"
        return report
    if path.stat().st_size == 0:
        report.message = "the file is empty"
        return report
    progress(0.0, f"Checking {path.name}")
    read_cancel = FollowingCancelToken(cancel)
    earlier = EarlierImportCheck(workspace, path, stop=read_cancel)
    try:
        return _detect_read_and_store(
            workspace,
            path,
            report,
            format_id,
            skip_bad_rows,
            options,
            progress,
            read_cancel,
            earlier,
            given,
        )
    except Cancelled:
        if not cancel.cancelled and earlier.result()[1]:
            return _already_imported(report)
        raise


def _already_imported(report: FileImportReport) -> FileImportReport:
    report.status = SKIPPED
    report.message = ALREADY_IMPORTED
    return report


def _refused(
    report: FileImportReport, message: str, earlier: EarlierImportCheck
) -> FileImportReport:
    """A file that cannot be imported; one imported before is told as that instead."""
    if earlier.result()[1]:
        return _already_imported(report)
    report.message = message
    return report


def _detect_read_and_store(
    workspace: Workspace,
    path: Path,
    report: FileImportReport,
    format_id: str | None,
    skip_bad_rows: bool,
    options: dict[str, str],
    progress: ProgressCallback,
    cancel: CancelToken,
    earlier: EarlierImportCheck,
    given: MappingProfile | None = None,
) -> FileImportReport:
    binary = _binary_kind(path)
    if binary:
        return _refused(report, binary, earlier)
    sample = sample_file(path)
    if options.get("profile"):
        try:
            importer: Importer = MappedCsvImporter(
                given or profile_named(workspace, options["profile"])
            )
        except ProfileRejected as exc:
            return _refused(report, str(exc), earlier)
        if not importer.identify(sample):
            message = (
                f"this file's header is not the one of the mapping profile "
                f"{options['profile']!r}; choose another profile or map the file anew"
            )
            return _refused(report, message, earlier)
    elif format_id:
        importer = importer_by_id(format_id)
        if importer is None:
            message = f"unknown format {format_id!r}; 'chargeback-desk formats' lists them"
            return _refused(report, message, earlier)
        if not importer.identify(sample):
            report.format = importer.id
            message = f"this file is not {importer.label.split(':')[0]} ({importer.id})"
            return _refused(report, message, earlier)
    else:
        found = detect(sample)
        if found is None:
            saved = None if sample.is_json else profile_for(workspace, path)
            if saved is None:
                message = (
                    "not a format Chargeback Desk knows; 'chargeback-desk formats' lists them "
                    "(a CSV file can be mapped in the window's import wizard, and read with "
                    "--profile NAME after)"
                )
                return _refused(report, message, earlier)
            found = MappedCsvImporter(saved)
            options["profile"] = saved.name
        importer = found
    report.format = importer.id
    if isinstance(importer, MappedCsvImporter):
        report.profile = importer.profile.name
    for _attempt in range(MAX_READS):
        try:
            return _read_and_store(
                workspace,
                path,
                earlier,
                importer,
                sample,
                report,
                skip_bad_rows,
                options,
                progress,
                cancel,
            )
        except _SourceChanged:
            log.info(
                "Another import of %s landed meanwhile; reading %s again",
                importer.source,
                path.name,
            )
    report.message = "other imports of this source kept landing meanwhile; try again"
    return report


MAX_READS = 3


class _SourceChanged(Exception):
    """Another import or removal of the same source changed the known request ids of this
    file's days while it was read, so the file is read again."""


def _read_and_store(
    workspace: Workspace,
    path: Path,
    earlier: EarlierImportCheck,
    importer: Importer,
    sample: FileSample,
    report: FileImportReport,
    skip_bad_rows: bool,
    options: dict[str, str],
    progress: ProgressCallback,
    cancel: CancelToken,
) -> FileImportReport:
    # The ledger's temporary file of request ids goes with it (or with the process).
    ledger = _ledger(workspace, importer.source)
    try:
        data, ctx = _read(importer, sample, options, progress, cancel, ledger)
        if ctx.has_request_ids and not ctx.identifies_requests and ledger.already_imported:
            # Some requests have no id, so the covered time span decides for this file, as for
            # an aggregated export: read it again without skipping known requests.
            ledger = RequestIdLedger()
            data, ctx = _read(importer, sample, options, progress, cancel, ledger)
    except FileRejected as exc:
        return _refused(report, str(exc), earlier)
    except UnicodeDecodeError as exc:
        message = f"cannot decode the text at byte {exc.start} ({sample.encoding})"
        return _refused(report, message, earlier)
    content_hash, seen_before = earlier.result()
    if seen_before:
        return _already_imported(report)
    report.rows_read = ctx.rows_read
    report.duplicates_skipped = ctx.duplicates_skipped
    report.requests_already_imported = ledger.already_imported
    report.rows_ignored = ctx.rows_ignored
    report.ignored_reason = ctx.ignored_reason
    report.notes = list(ctx.notes)
    report.rows_rejected = ctx.error_count
    report.errors = list(ctx.errors)
    if ctx.error_count and not skip_bad_rows:
        report.message = (
            f"{ctx.error_count} bad row(s); nothing imported (fix them, or use "
            f"--skip-bad-rows to import the good rows)"
        )
        return report
    if data.frame.empty and not data.coverage:
        if ledger.already_imported:
            report.status = SKIPPED
            report.message = (
                f"all {ledger.already_imported:,} requests were imported before; nothing added"
            )
        else:
            report.message = "contains no data rows"
        return report
    cancel.check()
    report.period_start, report.period_end = _period_range(data)
    progress(0.95, f"Saving {path.name}")
    record = BatchRecord(
        file_name=path.name,
        file_path=str(path.resolve()),
        content_hash=content_hash,
        format=importer.id,
        kind=importer.kind,
        source=importer.source,
        rows_read=ctx.rows_read,
        rows_rejected=ctx.error_count,
        rows_ignored=ctx.rows_ignored,
        duplicates_skipped=ctx.duplicates_skipped,
        period_start=report.period_start,
        period_end=report.period_end,
        cost=None,
        options=json.dumps(options, sort_keys=True),
        requests_already_imported=ledger.already_imported,
    )

    def waiting(_elapsed: float) -> None:
        cancel.check()
        progress(0.95, f"Waiting for another process writing to {workspace.label}…")

    try:
        with workspace.write(on_wait=waiting) as conn:
            if batch_id_for_hash(conn, content_hash) is not None:
                # Another process imported the same file while this one was reading it.
                raise _AlreadyImported
            identifies = ctx.identifies_requests
            if identifies and ledger.known_changed(
                lambda day: known_hashes(conn, importer.source, day)
            ):
                raise _SourceChanged
            batch_id, added, replaced, usage = write_import(
                conn,
                record,
                data.frame,
                data.coverage,
                by_request_id=identifies,
                alternatives=getattr(importer, "alternatives", ()),
            )
            if identifies:
                store_request_ids(conn, batch_id, importer.source, ledger.kept_by_day())
            if importer.kind == USAGE:
                priced = total_cost(workspace_price_book(conn), usage)
                report.cost = priced.cost
                report.unpriced_lines = priced.unpriced_lines
                report.unpriced_models = priced.unpriced_models
                report.fast_without_fast_mode = priced.fast_without_fast_mode
            else:
                report.cost = _statement_total(data)
            set_batch_cost(conn, batch_id, str(report.cost))
            audit.record(
                conn,
                "import",
                file=path.name,
                format=importer.id,
                batch=batch_id,
                lines_added=added,
                lines_replaced=replaced,
            )
            cancel.check()
    except OverlapConflict as exc:
        report.message = str(exc)
        return report
    except _AlreadyImported:
        return _already_imported(report)
    report.status = IMPORTED
    report.lines_added = added
    report.lines_replaced = replaced
    progress(1.0, f"Imported {path.name}")
    return report


def import_files(
    workspace: Workspace, paths: list[Path], **kwargs: object
) -> list[FileImportReport]:
    """Import several files independently (each is atomic on its own)."""
    return [import_file(workspace, Path(p), **kwargs) for p in paths]  # type: ignore[arg-type]
