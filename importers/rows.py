"""Row iteration for the Python readers: CSV rows and JSON Lines records, with line numbers,
progress and cancellation."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Decimal

from importers.base import FileRejected, ReadContext, reject_duplicate_columns
from importers.sniff import open_text

PROGRESS_EVERY = 20_000


def iter_csv_rows(ctx: ReadContext) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, {lower-case column: value})`` for every data row.

    The line number is the physical line where the record starts (quoted newlines counted).
    """
    sample = ctx.sample
    with open_text(sample) as handle:
        reader = csv.reader(handle, delimiter=sample.delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise FileRejected("the file is empty") from None
        names = [h.strip().lstrip("\ufeff").lower() for h in header]
        reject_duplicate_columns(names)
        width = len(names)
        previous_end = reader.line_num
        for index, row in enumerate(_guarded(reader), start=1):
            start_line = previous_end + 1
            previous_end = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if index % PROGRESS_EVERY == 0:
                ctx.cancel.check()
                ctx.report_progress(handle.buffer.tell())
            ctx.rows_read += 1
            if len(row) != width:
                ctx.add_error(start_line, "", f"has {len(row)} fields, the header has {width}")
                continue
            yield start_line, dict(zip(names, row, strict=True))


def _guarded(reader) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """csv.Error (NUL bytes, unterminated quote at the end) ends the file with one message."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileRejected(f"line {reader.line_num}: not readable as CSV ({exc})") from None
        yield row


def iter_json_lines(ctx: ReadContext) -> Iterator[tuple[int, dict]]:
    """Yield ``(line number, object)`` for every non-empty line of a JSON Lines file."""
    with open_text(ctx.sample) as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            if line_number % PROGRESS_EVERY == 0:
                ctx.cancel.check()
                ctx.report_progress(handle.buffer.tell())
            ctx.rows_read += 1
            try:
                record = json.loads(line.lstrip("\ufeff"), parse_float=Decimal)
            except json.JSONDecodeError as exc:
                ctx.add_error(line_number, "", f"not valid JSON: {exc.msg}")
                continue
            except RecursionError:
                ctx.add_error(line_number, "", "JSON nested too deeply")
                continue
            if not isinstance(record, dict):
                ctx.add_error(line_number, "", "not a JSON object")
                continue
            yield line_number, record


def load_json_document(ctx: ReadContext) -> object:
    """Parse a whole JSON document (API report pages are small), floats kept exact."""
    with open_text(ctx.sample) as handle:
        raw = handle.read()
    try:
        return json.loads(raw.lstrip("\ufeff"), parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise FileRejected(
            f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise FileRejected("the JSON is nested too deeply to be a report") from None
