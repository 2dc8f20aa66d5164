"""Use cases behind the import wizard: what each chosen file is, its first rows, the mapping of
a CSV no importer knows (read again with other settings, checked on its first rows as the
import would check them), and the import run that saves the new profile once its file is in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.domain.progress import Cancelled, CancelToken, ProgressCallback
from app.services.import_profiles import profile_for, profiles, save_profile
from app.services.importing import REJECTED, FileImportReport, import_file
from app.services.workspaces import Workspace
from importers import detect_path
from importers import fields as field_checks
from importers.base import FileRejected, RowProblem
from importers.gateway_columns import DIMENSION_NAMES, MODEL_NAMES, TIMESTAMP_NAMES, TOKEN_NAMES
from importers.mapped_csv import (
    DELIMITER_NAMES,
    ENCODINGS,
    FIELDS,
    IGNORE,
    TAG_PREFIX,
    MappingProfile,
    moment_text,
    preview_rows,
    profile_problems,
    sniff_settings,
)

__all__ = ["DELIMITER_NAMES", "ENCODINGS", "FIELDS", "IGNORE", "MappingProfile"]

PREVIEW_ROWS = 20
TOKEN_FIELDS = frozenset(
    {
        "input_tokens",
        "output_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
        "cache_write_1h_tokens",
        "web_searches",
    }
)


@dataclass(frozen=True)
class FileFound:
    """What one chosen file is."""

    path: Path
    format_label: str = ""
    """The built-in format, or the saved profile that reads it; empty when neither."""
    profile: str = ""
    needs_mapping: bool = False
    """A CSV no importer or saved profile reads: the mapping step is for it."""
    problem: str = ""
    """Why it cannot be imported at all (not CSV, unreadable)."""


def what_files_are(workspace: Workspace, paths: list[Path]) -> list[FileFound]:
    found = []
    for path in paths:
        try:
            sample, importer = detect_path(path)
        except OSError as exc:
            found.append(FileFound(path, problem=f"cannot read: {exc.strerror or exc}"))
            continue
        if importer is not None:
            found.append(FileFound(path, importer.label.split(":")[0]))
            continue
        if sample.is_json or not sample.header:
            found.append(FileFound(path, problem="not a format Chargeback Desk knows"))
            continue
        saved = profile_for(workspace, path)
        if saved is not None:
            label = f"CSV read with the saved profile “{saved.name}”"
            found.append(FileFound(path, label, profile=saved.name))
        else:
            found.append(FileFound(path, needs_mapping=True))
    return found


def first_rows(path: Path, limit: int = PREVIEW_ROWS) -> list[list[str]]:
    """The header and first rows as the file's own delimiter splits them; refused with the
    reason (:class:`FileRejected`) when they cannot be read."""
    delimiter, encoding, header_row = sniff_settings(path)
    return preview_rows(path, delimiter, encoding, header_row, limit)


def _tag_name(column: str) -> str:
    text = re.sub(r"[^\w.\-]+", "_", column.strip().lower()).strip("_")
    return text[:64] or "column"


def tag_target(column: str) -> str:
    return f"{TAG_PREFIX}{_tag_name(column)}"


def guess_target(column: str) -> str:
    """A first guess of what a column is, from its name (the user corrects it)."""
    name = column.strip().lower()
    if name in TIMESTAMP_NAMES:
        return "timestamp"
    if name in MODEL_NAMES:
        return "model"
    for target, (canonical, _) in FIELDS.items():
        if name in (target, canonical):
            return target
    for target, names in DIMENSION_NAMES.items():
        if name in names and target in FIELDS:
            return target
    for target, names in TOKEN_NAMES.items():
        if name in names:
            if target in ("cache_creation_total", "cache_write_5m_tokens"):
                return "cache_write_tokens"
            return target if target in FIELDS else IGNORE
    reserved = {canonical for canonical, _ in FIELDS.values()}
    return IGNORE if _tag_name(column) in reserved else tag_target(column)


@dataclass
class MappingDraft:
    """The mapping step as the user fills it in."""

    path: Path
    name: str
    delimiter: str = ","
    encoding: str = "utf-8"
    header_row: int = 1
    date_format: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    """The first data rows read with these settings."""
    targets: dict[str, str] = field(default_factory=dict)
    read_problem: str = ""
    taken: tuple[str, ...] = ()
    """Names of the profiles already saved: a new profile needs another."""

    def profile(self) -> MappingProfile:
        return MappingProfile(
            self.name.strip(),
            tuple((h, self.targets.get(h, IGNORE)) for h in self.header),
            self.delimiter,
            self.encoding,
            self.header_row,
            self.date_format,
        )

    def problems(self) -> list[str]:
        """Why the mapping cannot be used yet: the profile's problems, then the first rows
        that would be refused (dates, numbers), as the import would say them."""
        if self.read_problem:
            return [self.read_problem]
        profile = self.profile()
        if profile.name in self.taken:
            return [
                f"a profile named {profile.name!r} is already saved (for another header): "
                f"give this one another name"
            ]
        return profile_problems(profile) or first_row_problems(profile, self.rows)[:5]


def first_row_problems(profile: MappingProfile, rows: list[list[str]]) -> list[str]:
    """The problems the import would find in ``rows`` (dates, token counts, costs)."""
    found = []
    for line, row in enumerate(rows, start=profile.header_row + 1):
        for (column, target), value in zip(profile.columns, row, strict=False):
            try:
                if target == "timestamp":
                    field_checks.timestamp(moment_text(value, profile, column), column)
                elif target in TOKEN_FIELDS:
                    field_checks.count(value, column)
                elif target == "cost":
                    field_checks.money(value, column)
            except RowProblem as problem:
                found.append(f"line {line}, column {column!r}: {problem.message}")
    return found


def first_draft(path: Path) -> MappingDraft:
    """The mapping step's start: the file's guessed delimiter, encoding and header line."""
    delimiter, encoding, header_row = sniff_settings(path)
    name = path.stem.replace("_", " ").strip() or "profile"
    return MappingDraft(
        path, name=name, delimiter=delimiter, encoding=encoding, header_row=header_row
    )


def draft_for(workspace: Workspace, path: Path) -> MappingDraft:
    """The mapping step's start for ``path``, read, knowing the names already taken."""
    draft = replace(first_draft(path), taken=tuple(p.name for p in profiles(workspace)))
    return read_draft(draft)


def read_draft(draft: MappingDraft) -> MappingDraft:
    """The draft with its header and first rows read again with its settings."""
    try:
        rows = preview_rows(
            draft.path, draft.delimiter, draft.encoding, draft.header_row, PREVIEW_ROWS
        )
    except (FileRejected, LookupError, OSError) as exc:
        return replace(draft, header=[], rows=[], read_problem=str(exc))
    header = rows[0]
    targets = {h: draft.targets.get(h) or guess_target(h) for h in header}
    return replace(draft, header=header, rows=rows[1:], targets=targets, read_problem="")


@dataclass(frozen=True)
class RunResult:
    """The files imported (or refused) in order, and whether the user stopped the run."""

    done: list[tuple[Path, FileImportReport]]
    cancelled: bool = False


def import_run(
    workspace: Workspace,
    files: list[FileFound],
    profile: MappingProfile | None,
    skip_bad_rows: bool = False,
) -> Callable[[ProgressCallback, CancelToken], RunResult]:
    """Import the files one after the other, each whole or not at all; those needing a mapping
    are read with ``profile``, which is saved once one of them is in. Cancel leaves the file
    being read out and stops the run; the files before it stay in."""

    def run(progress: ProgressCallback, cancel: CancelToken) -> RunResult:
        chosen = [f for f in files if not f.problem and (profile or not f.needs_mapping)]
        done = []
        cancelled = False
        for index, found in enumerate(chosen):

            def scaled(fraction: float, message: str, index: int = index) -> None:
                progress((index + fraction) / len(chosen), message)

            if cancel.cancelled:
                cancelled = True
                break
            try:
                report = import_file(
                    workspace,
                    found.path,
                    skip_bad_rows=skip_bad_rows,
                    progress=scaled,
                    cancel=cancel,
                    profile=profile if found.needs_mapping else None,
                )
            except Cancelled:
                cancelled = True
                break
            done.append((found.path, report))
            if cancel.cancelled:
                cancelled = True
                break
        if profile is not None and any(
            r.status != REJECTED and r.profile == profile.name for _, r in done
        ):
            save_profile(workspace, profile)
        return RunResult(done, cancelled)

    return run
