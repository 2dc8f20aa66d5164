"""Vectorised reader for gateway CSV logs (pyarrow): streams blocks, drops duplicate request
ids, rolls each block up, and combines the partial rollups at the end.

It produces exactly what the row-by-row reader in :mod:`importers.gateway` produces (a test
holds them equal). Anything it cannot read cleanly — a bad value, a ragged row, mixed time
zones — raises :class:`FastPathUnavailable` and the row reader takes over to name each bad row.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from app.domain.model_ids import normalise_model_id
from app.domain.money import MONEY_CONTEXT
from importers import fields
from importers.base import (
    BLANK_REQUEST_IDS,
    USAGE,
    ImportedData,
    ReadContext,
    reject_duplicate_columns,
)
from importers.canonical import (
    CoverageTracker,
    UsageRollup,
    context_window,
    inference_geo,
    service_tier,
)
from importers.dedupe import hash_ids
from importers.fields import EARLIEST_DAY, MAX_TOKENS_PER_ROW, latest_day
from importers.gateway_columns import GatewayColumns

BLOCK_SIZE = 4 << 20
TRUE_VALUES = ["true", "True", "TRUE", "1", "yes", "Yes", "YES", "y", "Y", "t", "T"]
FALSE_VALUES = ["false", "False", "FALSE", "0", "no", "No", "NO", "n", "N", "f", "F", ""]
ARROW_ENCODINGS = {"utf-8": "utf8", "utf-8-sig": "utf8"}


def _memory_pool() -> pa.MemoryPool:
    """jemalloc returning freed memory at once keeps the peak flat; not on every platform."""
    try:
        pool = pa.jemalloc_memory_pool()
        pa.jemalloc_set_decay_ms(0)
    except (NotImplementedError, pa.ArrowNotImplementedError):
        return pa.default_memory_pool()
    # Grouping allocates from the default pool: use the same allocator there.
    pa.set_memory_pool(pool)
    return pool


class FastPathUnavailable(Exception):
    """The vectorised reader cannot read this file exactly; use the row reader."""


def _has_quotes(ctx: ReadContext) -> bool:
    """Quoted fields may hide line breaks; only then must the parser look for them.

    Read in chunks rather than memory-mapped: mapped pages would count as resident memory.
    """
    with ctx.path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            if b'"' in chunk:
                return True
    return False


def _first_timestamp_has_zone(ctx: ReadContext, columns: GatewayColumns) -> bool:
    lines = ctx.sample.head.splitlines()
    if len(lines) < 2:
        raise FastPathUnavailable("no data row in the head")
    try:
        rows = list(csv.reader(io.StringIO("\n".join(lines[:2])), delimiter=ctx.sample.delimiter))
        value = dict(zip([h.strip().lower() for h in rows[0]], rows[1], strict=True))[
            columns.timestamp
        ]
    except (csv.Error, ValueError, KeyError):
        raise FastPathUnavailable("cannot read the first row") from None
    value = value.strip()
    return value.endswith(("Z", "z")) or (len(value) > 19 and value[-6] in "+-")


def _convert_options(columns: GatewayColumns, zoned: bool) -> pacsv.ConvertOptions:
    types: dict[str, pa.DataType] = {
        columns.timestamp: pa.timestamp("us", tz="UTC") if zoned else pa.timestamp("us"),
    }
    for column in columns.tokens.values():
        if column:
            types[column] = pa.int64()
    if columns.batch:
        types[columns.batch] = pa.bool_()
    if columns.cost:
        types[columns.cost] = pa.decimal128(38, 18)
    strings = [
        columns.model,
        columns.request_id,
        columns.tier,
        *columns.dimensions.values(),
        *columns.tags,
    ]
    for column in strings:
        if column:
            types[column] = pa.string()
    return pacsv.ConvertOptions(
        column_types=types,
        include_columns=list(types),
        true_values=TRUE_VALUES,
        false_values=FALSE_VALUES,
        # Only an empty cell is "no value" (0 tokens, no cost); N/A, NULL, NaN are bad values
        # that the row reader names, as it would for any other text in a number column.
        null_values=[""],
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )


def _group_keys(columns: GatewayColumns) -> list[str]:
    keys = ["__day", columns.model]
    for column in (columns.tier, columns.batch, *columns.dimensions.values(), *columns.tags):
        if column:
            keys.append(column)
    return keys


def _sum_columns(columns: GatewayColumns) -> list[str]:
    names = [c for c in columns.tokens.values() if c]
    if columns.cost:
        names.append(columns.cost)
    return names


def _check_block(table: pa.Table, columns: GatewayColumns) -> None:
    """Values the row reader would reject: null times, missing models, negative counts."""
    if table.column(columns.timestamp).null_count:
        raise FastPathUnavailable("missing timestamp")
    model = table.column(columns.model)
    if pc.any(pc.equal(pc.utf8_trim_whitespace(model), "")).as_py():
        raise FastPathUnavailable("missing model")
    for column in columns.tokens.values():
        if column:
            values = table.column(column)
            bounds = pc.min_max(values).as_py()
            if bounds["min"] is not None and bounds["min"] < 0:
                raise FastPathUnavailable("negative count")
            if bounds["max"] is not None and bounds["max"] > MAX_TOKENS_PER_ROW:
                raise FastPathUnavailable("count beyond the sane maximum")
    # Compared as microseconds since the epoch: years 1 and 9999 do not fit Python's datetime
    # once an offset moves them.
    stamps = pc.min_max(pc.cast(table.column(columns.timestamp), pa.int64())).as_py()
    earliest = _epoch_microseconds(EARLIEST_DAY)
    latest = _epoch_microseconds(latest_day() + timedelta(days=1))
    if stamps["min"] < earliest or stamps["max"] >= latest:
        raise FastPathUnavailable("a date before 2020 or in the future")


def _epoch_microseconds(day: date) -> int:
    return int(datetime.combine(day, datetime.min.time(), UTC).timestamp()) * 1_000_000


def _drop_known_and_duplicates(table: pa.Table, column: str, ctx: ReadContext) -> pa.Table:
    """Keep the requests not seen earlier in the file nor imported before (blank ids: all)."""
    ids = pc.utf8_trim_whitespace(table.column(column).combine_chunks())
    blank = pc.is_in(pc.utf8_lower(ids), value_set=pa.array(BLANK_REQUEST_IDS))
    has_id = pc.invert(blank).to_numpy(zero_copy_only=False)
    ctx.rows_without_request_id += int(len(has_id) - has_id.sum())
    if not has_id.any():
        return table
    days = pc.cast(table.column("__day"), pa.int32()).combine_chunks()
    day_values = days.to_numpy(zero_copy_only=False)
    hashes = hash_ids(ids.filter(pa.array(has_id)))
    keep = np.ones(len(ids), dtype=bool)
    keep[has_id] = ctx.request_ids.keep(day_values[has_id], hashes)
    ctx.duplicates_skipped = ctx.request_ids.duplicates
    if not keep.all():
        table = table.filter(pa.array(keep))
    return table


def read_gateway_csv_fast(ctx: ReadContext, columns: GatewayColumns) -> ImportedData:
    """Read a whole gateway CSV; raise :class:`FastPathUnavailable` on anything irregular."""
    header = list(ctx.sample.header_lower)
    reject_duplicate_columns(header)
    if ctx.sample.size == 0:
        raise FastPathUnavailable("empty file")
    zoned = _first_timestamp_has_zone(ctx, columns)
    read_options = pacsv.ReadOptions(
        column_names=header,
        skip_rows=1,
        block_size=BLOCK_SIZE,
        encoding=ARROW_ENCODINGS.get(ctx.sample.encoding, ctx.sample.encoding),
    )
    parse_options = pacsv.ParseOptions(
        delimiter=ctx.sample.delimiter, newlines_in_values=_has_quotes(ctx)
    )
    convert_options = _convert_options(columns, zoned)
    keys = _group_keys(columns)
    sums = _sum_columns(columns)
    aggregations = [(c, "sum") for c in sums] + [
        (columns.model, "count"),
        ("__ts", "min"),
        ("__ts", "max"),
    ]
    partials: list[pa.Table] = []
    pending = 0
    bytes_per_row = max(
        len(ctx.sample.head.encode("utf-8")) / max(ctx.sample.head.count("\n"), 1), 1.0
    )
    try:
        reader = pacsv.open_csv(
            ctx.path,
            read_options=read_options,
            parse_options=parse_options,
            convert_options=convert_options,
            memory_pool=_memory_pool(),
        )
        for batch in reader:
            ctx.cancel.check()
            table = pa.Table.from_batches([batch])
            if len(table) == 0:
                continue
            ctx.rows_read += len(table)
            _check_block(table, columns)
            stamps = table.column(columns.timestamp)
            if not zoned:
                stamps = pc.assume_timezone(stamps, "UTC")
            table = table.append_column("__day", pc.cast(stamps, pa.date32()))
            table = table.append_column("__ts", stamps)
            if columns.request_id:
                ctx.has_request_ids = True
                table = _drop_known_and_duplicates(table, columns.request_id, ctx)
            partials.append(table.group_by(keys).aggregate(aggregations))
            pending += len(partials[-1])
            if pending > COMPACT_AFTER_ROWS:
                partials[:] = [_merge_partials(partials, keys)]
                pending = len(partials[0])
            ctx.report_progress(int(ctx.rows_read * bytes_per_row))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError) as exc:
        raise FastPathUnavailable(str(exc)) from None
    return _combine(columns, keys, sums, partials)


COMPACT_AFTER_ROWS = 200_000
"""Partial rollups are merged when they hold this many rows, so memory stays flat."""

_MERGE = {"_sum": "sum", "_count": "sum", "_min": "min", "_max": "max"}


def _merge_partials(partials: list[pa.Table], keys: list[str]) -> pa.Table:
    """Group partial rollups again; the result has the same column names as a partial."""
    combined = pa.concat_tables(partials)
    values = [name for name in combined.column_names if name not in keys]
    aggregations = []
    for name in values:
        function = next(f for suffix, f in _MERGE.items() if name.endswith(suffix))
        aggregations.append((name, function))
    merged = combined.group_by(keys).aggregate(aggregations)
    return merged.rename_columns(
        [name.rsplit("_", 1)[0] if name not in keys else name for name in merged.column_names]
    )


def _combine(
    columns: GatewayColumns, keys: list[str], sums: list[str], partials: list[pa.Table]
) -> ImportedData:
    rollup = UsageRollup()
    if not partials:
        return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())
    combined = _merge_partials(partials, keys)
    partials.clear()
    rollup.coverage = _coverage(combined)
    count_name = f"{columns.model}_count"
    _fold_into(
        rollup,
        columns,
        {name: combined.column(name).to_pylist() for name in combined.column_names},
        count_name,
    )
    return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())


def _fold_into(
    rollup: UsageRollup, columns: GatewayColumns, data: dict[str, list], count_name: str
) -> None:
    """Turn the aggregated groups into canonical lines (text cleaned, models normalised)."""
    clean = _cached(fields.text)
    model_id = _cached(lambda v: normalise_model_id(fields.text(v)))
    tier_of = _cached(lambda v: service_tier(fields.text(v)))
    geo_of = _cached(lambda v: inference_geo(fields.text(v)))
    window_of = _cached(lambda v: context_window(fields.text(v)))
    tags_of = _cached(
        lambda values: fields.tags_json(
            {tag: fields.text(v) for tag, v in zip(tag_names, values, strict=True)}
        )
    )
    tag_names = list(columns.tags.values())
    tag_lists = [data[c] for c in columns.tags]
    dims = columns.dimensions
    n = len(data[columns.model])
    empty = [""] * n
    none = [None] * n

    def dim(name: str) -> list:
        return data[dims[name]] if dims[name] else empty

    tiers = data[columns.tier] if columns.tier else none
    batches = data[columns.batch] if columns.batch else none
    token = {f: data[f"{c}_sum"] if c else [0] * n for f, c in columns.tokens.items()}
    costs = data[f"{columns.cost}_sum"] if columns.cost else none
    one_hour = token["cache_write_1h_tokens"]
    explicit_five = columns.tokens["cache_write_5m_tokens"] is not None
    lines = rollup.lines
    for i in range(n):
        total_writes = token["cache_creation_total"][i] or 0
        hour = one_hour[i] or 0
        if explicit_five:
            five = token["cache_write_5m_tokens"][i] or 0
        else:
            five = total_writes - hour if columns.splits_cache_writes else total_writes
            if five < 0:
                raise FastPathUnavailable("1-hour cache writes exceed the total")
        tier = "batch" if batches[i] else (tier_of(tiers[i]) if columns.tier else "standard")
        key = (
            data["__day"][i].isoformat(),
            model_id(data[columns.model][i]),
            tier,
            geo_of(dim("inference_geo")[i]),
            window_of(dim("context_window")[i]),
            clean(dim("speed")[i]),
            clean(dim("api_key")[i]),
            clean(dim("api_key_id")[i]),
            clean(dim("workspace")[i]),
            clean(dim("workspace_id")[i]),
            clean(dim("user")[i]),
            clean(dim("service_account")[i]),
            tags_of(tuple(values[i] for values in tag_lists)),
        )
        counts = (
            token["input_tokens"][i] or 0,
            five,
            hour,
            token["cache_read_tokens"][i] or 0,
            token["output_tokens"][i] or 0,
            token["web_searches"][i] or 0,
            data[count_name][i],
        )
        cost = None if costs[i] is None else Decimal(costs[i])
        existing = lines.get(key)
        if existing is None:
            lines[key] = [*counts, None, cost]
            continue
        for j in range(7):
            existing[j] += counts[j]
        if cost is not None:
            existing[8] = cost if existing[8] is None else MONEY_CONTEXT.add(existing[8], cost)


def _cached(function):  # type: ignore[no-untyped-def]
    cache: dict = {}

    def lookup(value):  # type: ignore[no-untyped-def]
        try:
            return cache[value]
        except KeyError:
            result = cache[value] = function(value)
            return result

    return lookup


def _coverage(partials: pa.Table) -> CoverageTracker:
    tracker = CoverageTracker()
    table = partials.group_by(["__day"]).aggregate([("__ts_min", "min"), ("__ts_max", "max")])
    for day, first, last in zip(
        table.column("__day").to_pylist(),
        table.column("__ts_min_min").to_pylist(),
        table.column("__ts_max_max").to_pylist(),
        strict=True,
    ):
        start = fields.iso(first.astimezone(UTC))
        end = fields.iso(last.astimezone(UTC))
        tracker.add(day.isoformat(), start, end)
    return tracker
