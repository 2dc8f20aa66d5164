"""Pages of the Admin API reports: one page object, a JSON array of pages, or a bare bucket list.

Records are numbered 1, 2, … across the whole file in document order (buckets, then their
results), and errors name that record number and the JSON key path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from importers import fields
from importers.base import FileRejected, ReadContext, RowProblem
from importers.canonical import StatementRollup, UsageRollup
from importers.rows import load_json_document


def pages_of(document: object) -> list[dict]:
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        return [document]
    if isinstance(document, list) and all(isinstance(p, dict) and "data" in p for p in document):
        return list(document)
    raise FileRejected('not an Admin API report: expected {"data": [...]} or a list of pages')


def iter_buckets(ctx: ReadContext) -> Iterator[tuple[datetime, datetime, list]]:
    """Yield ``(starting_at, ending_at, results)`` for every bucket of every page."""
    for page in pages_of(load_json_document(ctx)):
        for index, bucket in enumerate(page["data"], start=1):
            ctx.cancel.check()
            if not isinstance(bucket, dict):
                raise FileRejected(f"bucket {index} is not an object")
            try:
                start = fields.timestamp(bucket.get("starting_at"), "starting_at")
                end = fields.timestamp(bucket.get("ending_at"), "ending_at")
            except RowProblem as problem:
                raise FileRejected(f"bucket {index}: {problem.message}") from None
            if end <= start:
                raise FileRejected(f"bucket {index}: ending_at is not after starting_at")
            results = bucket.get("results", [])
            if not isinstance(results, list):
                raise FileRejected(f"bucket {index}: results is not a list")
            yield start, end, results


def nested(record: dict, path: str) -> object:
    """``record["a"]["b"]`` for ``"a.b"``; missing parts give ``None``."""
    value: object = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def read_results(
    ctx: ReadContext,
    rollup: UsageRollup | StatementRollup,
    add_result: Callable[[object, str, object], None],
) -> None:
    """Feed every result of every bucket to ``add_result(rollup, day, result)``; buckets count
    as covered even when empty; bad results become numbered row errors."""
    record = 0
    for start, end, results in iter_buckets(ctx):
        rollup.coverage.add_bucket(start, end)
        day = fields.iso(start)[:10]
        for result in results:
            record += 1
            ctx.rows_read += 1
            try:
                add_result(rollup, day, result)
            except RowProblem as problem:
                ctx.add_error(record, problem.column, problem.message)
