"""CSV files no built-in importer knows, read through a mapping profile: the file's delimiter,
encoding, header row and date format, and which column is which canonical field (or a tag, or
ignored). A profile is named and kept in the workspace; a later file with the same header uses
it again.

Each row is one request or one aggregated line, like a gateway log: the mapped row is handed to
the gateway reader under the canonical column names, so validation, rollup and request-id
handling are the gateway's, and bad rows name the file's own column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from importers import fields
from importers.base import USAGE, FileRejected, ImportedData, ReadContext, RowProblem
from importers.canonical import UsageRollup
from importers.gateway import add_request
from importers.gateway_columns import IGNORED_COLUMNS, GatewayColumns
from importers.sniff import FileSample

IGNORE = "ignore"
TAG_PREFIX = "tag:"
FIELDS: dict[str, tuple[str, str]] = {
    "timestamp": ("timestamp", "Date and time (or date) of the usage"),
    "model": ("model", "Model id"),
    "input_tokens": ("input_tokens", "Input tokens (not cached)"),
    "output_tokens": ("output_tokens", "Output tokens"),
    "cache_read_tokens": ("cache_read_input_tokens", "Cache read tokens"),
    "cache_write_tokens": ("cache_creation_input_tokens", "Cache write tokens (all)"),
    "cache_write_1h_tokens": ("cache_creation_1h_input_tokens", "Cache write tokens, 1 hour"),
    "web_searches": ("web_searches", "Web searches"),
    "request_id": ("request_id", "Request id"),
    "api_key": ("api_key", "API key name"),
    "api_key_id": ("api_key_id", "API key id"),
    "workspace": ("workspace", "Workspace name"),
    "workspace_id": ("workspace_id", "Workspace id"),
    "user": ("user", "User or email"),
    "service_account": ("service_account", "Service account"),
    "service_tier": ("service_tier", "Service tier (standard, batch, priority)"),
    "is_batch": ("is_batch", "Batch (true/false)"),
    "inference_geo": ("inference_geo", "Inference region (us, global)"),
    "context_window": ("context_window", "Context window"),
    "speed": ("speed", "Speed (standard, fast)"),
    "cost": ("cost", "Cost in USD (as reported)"),
}
"""Canonical field → (the gateway log's column name for it, what it is in words)."""
REQUIRED = ("timestamp", "model")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16")
MAX_HEADER_ROW = 50
_TAG_NAME = re.compile(r"^[\w.\-]{1,64}$")
"""A tag name: letters (any script), digits, _ . - (the tag names Explore can group by)."""


@dataclass(frozen=True)
class MappingProfile:
    """How to read one kind of CSV file."""

    name: str
    columns: tuple[tuple[str, str], ...]
    """(column as the file names it, target): a key of :data:`FIELDS`, ``tag:<name>`` or
    ``ignore``; every column of the header, in order."""
    delimiter: str = ","
    encoding: str = "utf-8"
    header_row: int = 1
    """The line of the header (1-based); lines above it (titles, notes) are skipped."""
    date_format: str = ""
    """A ``strptime`` pattern (``%d/%m/%Y %H:%M``), or empty for ISO 8601; times are UTC."""

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(column for column, _ in self.columns)

    def targets(self) -> dict[str, str]:
        return dict(self.columns)


def profile_problems(profile: MappingProfile) -> list[str]:
    """Everything wrong with a profile (empty when it can read a file)."""
    problems = []
    if not profile.name.strip():
        problems.append("the profile needs a name")
    if profile.delimiter not in DELIMITER_NAMES:
        problems.append(f"delimiter must be one of {', '.join(map(repr, DELIMITER_NAMES))}")
    if profile.encoding not in ENCODINGS:
        problems.append(f"encoding must be one of {', '.join(ENCODINGS)}")
    if not 1 <= profile.header_row <= MAX_HEADER_ROW:
        problems.append(f"the header row must be between 1 and {MAX_HEADER_ROW}")
    if profile.date_format:
        try:
            datetime.now().strftime(profile.date_format)
        except ValueError:
            problems.append(f"date format {profile.date_format!r} is not a valid pattern")
        if "%" not in profile.date_format:
            problems.append(f"date format {profile.date_format!r} has no % field")
    targets = [target for _, target in profile.columns]
    for required in REQUIRED:
        if required not in targets:
            problems.append(f"no column is mapped to {FIELDS[required][1].lower()} ({required})")
    if "input_tokens" not in targets and "output_tokens" not in targets:
        problems.append("no column is mapped to input or output tokens")
    seen: dict[str, str] = {}
    for column, target in profile.columns:
        if target == IGNORE:
            continue
        if target.startswith(TAG_PREFIX):
            tag = target[len(TAG_PREFIX) :]
            if not _TAG_NAME.match(tag):
                problems.append(
                    f"column {column!r}: tag name {tag!r} must be letters, digits, _ . -"
                )
            elif tag.lower() in {name for name, _ in FIELDS.values()} | IGNORED_COLUMNS:
                problems.append(f"column {column!r}: {tag!r} cannot be a tag name (a field's name)")
        elif target not in FIELDS:
            problems.append(f"column {column!r}: unknown field {target!r}")
        if target in seen:
            problems.append(f"columns {seen[target]!r} and {column!r} are both mapped to {target}")
        seen[target] = column
    return problems


def read_header(path: Path, delimiter: str, encoding: str, header_row: int) -> list[str]:
    """The header of ``path`` read with these settings (refused when it cannot be)."""
    rows = preview_rows(path, delimiter, encoding, header_row, 0)
    return rows[0]


def preview_rows(
    path: Path, delimiter: str, encoding: str, header_row: int, limit: int = 20
) -> list[list[str]]:
    """The header and up to ``limit`` data rows of ``path`` read with these settings."""
    try:
        with path.open(encoding=encoding, newline="", errors="strict") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            found: list[list[str]] = []
            for row in reader:
                if not found:
                    # The header is the record that ends on or after line ``header_row``,
                    # counted in physical lines as the import counts them.
                    if reader.line_num >= header_row:
                        found.append([h.strip().lstrip("\ufeff") for h in row])
                    continue
                if len(found) > limit:
                    break
                if row and not (len(row) == 1 and not row[0].strip()):
                    found.append(row)
    except UnicodeDecodeError as exc:
        raise FileRejected(f"not readable as {encoding} (byte {exc.start})") from None
    except csv.Error as exc:
        raise FileRejected(f"not readable as CSV ({exc})") from None
    if not found or not any(found[0]):
        raise FileRejected(f"no header on line {header_row}")
    return found


def matches(profile: MappingProfile, path: Path) -> bool:
    """Whether ``path`` has the profile's header (same columns, same order, any case)."""
    try:
        header = read_header(path, profile.delimiter, profile.encoding, profile.header_row)
    except (FileRejected, OSError):
        return False
    return [h.lower() for h in header] == [h.lower() for h in profile.header]


def moment_text(raw: str, profile: MappingProfile, column: str) -> str:
    """A date/time of the file as ISO 8601 UTC text, by the profile's date format."""
    if not profile.date_format:
        return raw
    text = raw.strip()
    if not text:
        raise RowProblem(column, "missing date/time")
    try:
        parsed = datetime.strptime(text, profile.date_format)
    except ValueError:
        raise RowProblem(
            column, f"not a date in the form {profile.date_format}: {text!r}"
        ) from None
    return fields.iso(parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed)


TAG_KEY = "\x1ftag\x1f"
"""Prefix of a tag's key in a mapped row: no header name can be it, so a tag named like a
gateway column (``id``, ``batch``, ``email``) is never read as that column."""


@dataclass
class _Mapping:
    """Which position of a row goes to which canonical column name (or tag key)."""

    positions: list[tuple[int, str, str]] = field(default_factory=list)
    """(position, canonical column name or tag key, the file's column name)."""

    @classmethod
    def of(cls, profile: MappingProfile, header: list[str]) -> _Mapping:
        mapping = cls()
        wanted = {column.lower(): target for column, target in profile.columns}
        for position, name in enumerate(header):
            target = wanted.get(name.lower(), IGNORE)
            if target == IGNORE:
                continue
            if target.startswith(TAG_PREFIX):
                canonical = TAG_KEY + target[len(TAG_PREFIX) :].lower()
            else:
                canonical = FIELDS[target][0]
            mapping.positions.append((position, canonical, name))
        return mapping

    def columns(self) -> GatewayColumns:
        """The gateway's reading of the mapped fields, with exactly the profile's tags."""
        fields_only = [name for _, name, _ in self.positions if not name.startswith(TAG_KEY)]
        columns = GatewayColumns(fields_only)
        columns.tags = {
            name: name[len(TAG_KEY) :] for _, name, _ in self.positions if name.startswith(TAG_KEY)
        }
        return columns

    def original(self, canonical: str) -> str:
        for _, name, original in self.positions:
            if name == canonical:
                return original
        return canonical


class MappedCsvImporter:
    """Reads a CSV file through one :class:`MappingProfile`."""

    id = "mapped-csv"
    kind = USAGE

    def __init__(self, profile: MappingProfile) -> None:
        self.profile = profile
        self.label = f"CSV read with the mapping profile “{profile.name}”"
        self.source = f"profile:{profile.name}"
        """Exports of one profile replace each other's days, like other sources."""

    def identify(self, sample: FileSample) -> bool:
        return not sample.is_json and matches(self.profile, sample.path)

    def read(self, ctx: ReadContext) -> ImportedData:
        profile = self.profile
        rollup = UsageRollup()
        rows = self._rows(ctx)
        header = next(rows)[1]
        mapping = _Mapping.of(profile, header)
        columns = mapping.columns()
        timestamp = FIELDS["timestamp"][0]
        for line, row in rows:
            values: dict[str, str] = {}
            try:
                for position, canonical, original in mapping.positions:
                    raw = row[position]
                    if canonical == timestamp:
                        raw = moment_text(raw, profile, original)
                    values[canonical] = raw
                add_request(rollup, columns, values, ctx)
            except RowProblem as problem:
                ctx.add_error(line, mapping.original(problem.column), problem.message)
        return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())

    def _rows(self, ctx: ReadContext) -> Iterator[tuple[int, list[str]]]:
        """The header (line 0), then ``(line, row)`` for every data row of the right width."""
        profile = self.profile
        try:
            handle = ctx.path.open(encoding=profile.encoding, newline="", errors="strict")
        except LookupError:
            raise FileRejected(f"unknown encoding {profile.encoding!r}") from None
        with handle:
            reader = csv.reader(handle, delimiter=profile.delimiter)
            header: list[str] | None = None
            previous_end = 0
            try:
                for row in reader:
                    start, previous_end = previous_end + 1, reader.line_num
                    if header is None:
                        if reader.line_num >= profile.header_row:
                            header = [h.strip().lstrip("\ufeff") for h in row]
                            yield 0, header
                        continue
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue
                    ctx.rows_read += 1
                    if ctx.rows_read % 5000 == 0:
                        ctx.cancel.check()
                        ctx.report_progress(handle.buffer.tell())
                    if len(row) != len(header):
                        ctx.add_error(
                            start, "", f"has {len(row)} fields, the header has {len(header)}"
                        )
                        continue
                    yield start, row
            except UnicodeDecodeError as exc:
                raise FileRejected(
                    f"not readable as {profile.encoding} (byte {exc.start}); choose another "
                    f"encoding in the profile"
                ) from None
            except csv.Error as exc:
                raise FileRejected(f"line {reader.line_num}: not readable as CSV ({exc})") from None
        if header is None:
            raise FileRejected(f"no header on line {profile.header_row}")


def profile_to_mapping(profile: MappingProfile) -> dict[str, object]:
    """A profile as the policy file writes it (``[[import_profiles]]``)."""
    return {
        "name": profile.name,
        "delimiter": profile.delimiter,
        "encoding": profile.encoding,
        "header_row": profile.header_row,
        **({"date_format": profile.date_format} if profile.date_format else {}),
        "columns": [{"column": c, "maps_to": t} for c, t in profile.columns],
    }


def profile_from_mapping(data: dict[str, object]) -> tuple[MappingProfile, list[str]]:
    """A profile from the policy file's shape, with every problem found."""
    problems = []
    unknown = sorted(
        set(data) - {"name", "delimiter", "encoding", "header_row", "date_format", "columns"}
    )
    if unknown:
        problems.append(f"unknown key {unknown[0]!r}")
    columns = []
    raw_columns = data.get("columns", [])
    if not isinstance(raw_columns, list):
        raw_columns = []
        problems.append("columns must be a list of {column, maps_to} tables")
    for index, item in enumerate(raw_columns, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("column"), str):
            problems.append(f"columns[{index}]: needs a column name and maps_to")
            continue
        columns.append((item["column"], str(item.get("maps_to", IGNORE))))
    header_row = data.get("header_row", 1)
    if not isinstance(header_row, int) or isinstance(header_row, bool):
        problems.append("header_row must be a whole number")
        header_row = 1
    profile = MappingProfile(
        name=str(data.get("name", "")),
        columns=tuple(columns),
        delimiter=str(data.get("delimiter", ",")),
        encoding=str(data.get("encoding", "utf-8")),
        header_row=header_row,
        date_format=str(data.get("date_format", "")),
    )
    return profile, problems + profile_problems(profile)


def describe_delimiter(delimiter: str) -> str:
    return DELIMITER_NAMES.get(delimiter, repr(delimiter))


def sniff_settings(path: Path) -> tuple[str, str, int]:
    """A first guess of (delimiter, encoding, header row) for the mapping step: the delimiter
    that splits the first lines most evenly into several fields, and the first line with that
    many fields as the header (title lines above a table are common in exports)."""
    from collections import Counter

    from importers.sniff import sample_file

    sample = sample_file(path)
    encoding = sample.encoding if sample.encoding in ENCODINGS else "utf-8"
    lines = [line for line in sample.head.splitlines()[:30] if line.strip()]
    best = (sample.delimiter, 0, 1)  # delimiter, rows agreeing on the width, header row
    for delimiter in DELIMITER_NAMES:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not widths:
            continue
        width, agreeing = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        if agreeing > best[1]:
            best = (delimiter, agreeing, widths.index(width) + 1)
    physical = [i for i, line in enumerate(sample.head.splitlines(), start=1) if line.strip()]
    header_row = physical[best[2] - 1] if physical and best[2] <= len(physical) else 1
    return best[0], encoding, header_row
