"""Vectorised reader for gateway CSV logs: pyarrow parses and checks blocks and drops duplicate
request ids; :mod:`importers.gateway_rollup` rolls the stream up as it arrives.

It produces exactly what the row-by-row reader in :mod:`importers.gateway` produces (a test
holds them equal). Anything it cannot read cleanly — a bad value, a ragged row, mixed time
zones — raises :class:`FastPathUnavailable` and the row reader takes over to name each bad row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from app.domain.model_ids import normalise_model_id
from app.domain.usage import LONG_PROMPT_TOKENS, PROMPT_BAND_LIMITS
from importers import fields
from importers.base import (
    BLANK_REQUEST_IDS,
    USAGE,
    ImportedData,
    ReadContext,
    reject_duplicate_columns,
)
from importers.canonical import UsageRollup
from importers.dedupe import hash_ids
from importers.encoded_columns import TEXT, NullInGroup, TextCodes
from importers.fields import EARLIEST_DAY, MAX_TOKENS_PER_ROW, latest_day
from importers.gateway_columns import GatewayColumns
from importers.gateway_rollup import (
    DAY,
    PROMPT,
    PROMPT_HIGH_BAND,
    PROMPT_LONG,
    STAMP,
    RollupFailed,
    aggregate_stream,
    canonical_lines,
    group_columns,
    sum_columns,
)
from importers.prefetch import Prefetched

BLOCK_SIZE = 4 << 20
TRUE_VALUES = ["true", "True", "TRUE", "1", "yes", "Yes", "YES", "y", "Y", "t", "T"]
FALSE_VALUES = ["false", "False", "FALSE", "0", "no", "No", "NO", "n", "N", "f", "F", ""]
ARROW_ENCODINGS = {"utf-8": "utf8", "utf-8-sig": "utf8"}


FREED_MEMORY_KEPT_MS = 1000
"""How long jemalloc keeps freed blocks before returning them to the system: long enough that
the next blocks reuse their pages (returned at once, every block's pages fault in afresh: a
fifth of the import's time in the kernel), short enough that memory stays flat."""


def _memory_pool() -> pa.MemoryPool:
    """jemalloc returning freed memory soon keeps the peak flat; not on every platform."""
    try:
        pool = pa.jemalloc_memory_pool()
        pa.jemalloc_set_decay_ms(FREED_MEMORY_KEPT_MS)
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
    buffer = bytearray(1 << 20)  # one buffer for the whole file: no fresh pages per chunk
    with ctx.path.open("rb") as handle:
        while size := handle.readinto(buffer):
            if buffer.find(b'"', 0, size) != -1:
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


def _convert_options(
    columns: GatewayColumns, zoned: bool, encoded: Collection[str] = ()
) -> pacsv.ConvertOptions:
    """How pyarrow reads each column; the ``encoded`` text columns arrive dictionary-encoded
    (each distinct value of a block made once, as the rollup codes them)."""
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
            types[column] = TEXT if column in encoded else pa.string()
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


def _check_block(table: pa.Table, columns: GatewayColumns) -> None:
    """Values the row reader would reject: null times, missing models, negative counts."""
    if table.column(columns.timestamp).null_count:
        raise FastPathUnavailable("missing timestamp")
    for model in table.column(columns.model).chunks:
        values = model.dictionary if pa.types.is_dictionary(model.type) else model
        if pc.any(pc.equal(pc.utf8_trim_whitespace(values), "")).as_py():
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


def _prompt_sizes(table: pa.Table, columns: GatewayColumns) -> pa.Array:
    """Per request, its prompt: input, cache reads and cache writes (the cache-write columns
    as the row reader adds them)."""
    tokens = columns.tokens
    parts = ["input_tokens", "cache_read_tokens"]
    if tokens["cache_write_5m_tokens"] is not None:
        parts += ["cache_write_5m_tokens", "cache_write_1h_tokens"]
    else:
        parts += ["cache_creation_total"]
    prompt = pa.array(np.zeros(len(table), dtype=np.int64))
    for part in parts:
        if tokens[part] is not None:
            prompt = pc.add(prompt, pc.fill_null(table.column(tokens[part]), 0))
    return prompt.combine_chunks() if isinstance(prompt, pa.ChunkedArray) else prompt


def _prompt_bits(prompt: pa.Array, models: pa.Array, model_codes: TextCodes) -> pa.Array:
    """Per request, what its prompt size decides (see :data:`PROMPT`): long context, and —
    for a model with prompt bands — the high band."""
    sizes = prompt.to_numpy(zero_copy_only=False)
    bits = np.where(sizes > LONG_PROMPT_TOKENS, PROMPT_LONG, 0).astype(np.int8)
    codes = models.to_numpy(zero_copy_only=False)
    for model, limit in PROMPT_BAND_LIMITS.items():
        code = model_codes.code_of(model)
        if code is not None:
            bits |= np.where((codes == code) & (sizes > limit), PROMPT_HIGH_BAND, 0).astype(np.int8)
    return pa.array(bits, pa.int8())


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
    days = pc.cast(table.column(DAY), pa.int32()).combine_chunks()
    day_values = days.to_numpy(zero_copy_only=False)
    hashes = hash_ids(ids.filter(pa.array(has_id)))
    keep = np.ones(len(ids), dtype=bool)
    keep[has_id] = ctx.request_ids.keep(day_values[has_id], hashes)
    ctx.duplicates_skipped = ctx.request_ids.duplicates
    if not keep.all():
        table = table.filter(pa.array(keep))
    return table


def read_gateway_csv_fast(ctx: ReadContext, columns: GatewayColumns) -> ImportedData:
    """Read a whole gateway CSV; raise :class:`FastPathUnavailable` on anything irregular.

    Request ids repeated within the file are looked for at the end (memory does not grow with
    the requests); a file that repeats one is read a second time, deciding in file order.
    """
    ctx.request_ids.defer_repeats()
    data = _read_whole_file(ctx, columns)
    if ctx.request_ids.settle_repeats():
        return data
    ctx.rows_read = ctx.rows_without_request_id = ctx.duplicates_skipped = 0
    ctx.request_ids.reset()
    return _read_whole_file(ctx, columns)


def _read_whole_file(ctx: ReadContext, columns: GatewayColumns) -> ImportedData:
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
    try:
        reader = pacsv.open_csv(
            ctx.path,
            read_options=read_options,
            parse_options=parse_options,
            convert_options=_convert_options(columns, zoned, _encoded_columns(columns)),
            memory_pool=_memory_pool(),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError) as exc:
        raise FastPathUnavailable(str(exc)) from None
    blocks = _CheckedBlocks(ctx, columns, reader, zoned)
    schema = blocks.schema()
    # The next blocks are parsed and checked while DuckDB aggregates the current one.
    stream = Prefetched(iter(blocks), name="import-blocks")
    failure: RollupFailed | None = None
    try:
        aggregate = aggregate_stream(columns, schema, stream)
    except RollupFailed as exc:
        failure = exc
    finally:
        stream.close()
    blocks.raise_stored()
    if failure is not None:
        raise FastPathUnavailable(str(failure)) from None
    if ctx.rows_read == 0 or len(aggregate) == 0:
        rollup = UsageRollup()
        return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())
    try:
        frame, coverage = canonical_lines(columns, blocks.decoded(aggregate))
    except RollupFailed as exc:
        raise FastPathUnavailable(str(exc)) from None
    return ImportedData(USAGE, frame, coverage)


def _encoded_columns(columns: GatewayColumns) -> list[str]:
    """The text columns the rollup groups by as codes (see :class:`TextCodes`)."""
    return [name for name in group_columns(columns) if name not in (DAY, PROMPT, columns.batch)]


class _CheckedBlocks:
    """The file's blocks, checked, dated and without known requests, for the rollup.

    A problem (a bad value, a cancel) ends the stream and is raised again by
    :meth:`raise_stored` once the rollup has returned: exceptions do not cross DuckDB.
    """

    def __init__(
        self,
        ctx: ReadContext,
        columns: GatewayColumns,
        reader: pacsv.CSVStreamingReader,
        zoned: bool,
    ) -> None:
        self.ctx = ctx
        self.columns = columns
        self.reader = reader
        self.zoned = zoned
        self.problem: BaseException | None = None
        self.wanted = (
            [c for c in group_columns(columns) if c != DAY]
            + sum_columns(columns)
            + ([columns.cost] if columns.cost else [])
        )
        # Model ids are normalised per distinct value as they stream in: a dated and an
        # undated id of one model are one group from the start.
        self.codes = {
            name: TextCodes(
                (lambda v: normalise_model_id(fields.text(v))) if name == columns.model else None
            )
            for name in _encoded_columns(columns)
        }
        sample = ctx.sample
        self.bytes_per_row = max(
            len(sample.head.encode("utf-8")) / max(sample.head.count("\n"), 1), 1.0
        )

    def schema(self) -> pa.Schema:
        fields_ = [
            pa.field(name, pa.int32())
            if name in self.codes
            else pa.field(PROMPT, pa.int8())
            if name == PROMPT
            else self.reader.schema.field(name)
            for name in self.wanted
        ]
        return pa.schema(
            [*fields_, pa.field(DAY, pa.date32()), pa.field(STAMP, pa.timestamp("us", tz="UTC"))]
        )

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        try:
            yield from self._blocks()
        except (
            pa.ArrowInvalid,
            pa.ArrowNotImplementedError,
            UnicodeDecodeError,
            NullInGroup,
        ) as exc:
            self.problem = FastPathUnavailable(str(exc))
        except BaseException as exc:  # handed back to the caller: see raise_stored
            self.problem = exc

    def raise_stored(self) -> None:
        if self.problem is not None:
            raise self.problem

    def _blocks(self) -> Iterator[pa.RecordBatch]:
        # pyarrow parses the next blocks on a thread of its own while this one is checked.
        parsed = Prefetched(iter(self.reader), name="import-parse")
        try:
            for batch in parsed:
                yield from self._checked(batch)
        finally:
            parsed.close()

    def _checked(self, batch: pa.RecordBatch) -> Iterator[pa.RecordBatch]:
        ctx, columns = self.ctx, self.columns
        ctx.cancel.check()
        table = pa.Table.from_batches([batch])
        if len(table) == 0:
            return
        ctx.rows_read += len(table)
        _check_block(table, columns)
        stamps = table.column(columns.timestamp)
        if not self.zoned:
            stamps = pc.assume_timezone(stamps, "UTC")
        table = table.append_column(DAY, pc.cast(stamps, pa.date32()))
        table = table.append_column(STAMP, stamps)
        table = table.append_column(PROMPT, _prompt_sizes(table, columns))
        if columns.request_id:
            ctx.has_request_ids = True
            table = _drop_known_and_duplicates(table, columns.request_id, ctx)
        table = table.select([*self.wanted, DAY, STAMP])
        for name, codes in self.codes.items():
            index = table.schema.get_field_index(name)
            table = table.set_column(index, name, codes.encode(table.column(name)))
        index = table.schema.get_field_index(PROMPT)
        prompt = table.column(PROMPT).combine_chunks()
        models = table.column(columns.model).combine_chunks()
        bits = _prompt_bits(prompt, models, self.codes[columns.model])
        table = table.set_column(index, PROMPT, bits)
        yield from table.combine_chunks().to_batches()
        ctx.report_progress(int(ctx.rows_read * self.bytes_per_row))

    def decoded(self, aggregate: pa.Table) -> pa.Table:
        """The rollup with its text columns as text again (dictionary-encoded)."""
        for name, codes in self.codes.items():
            index = aggregate.schema.get_field_index(name)
            aggregate = aggregate.set_column(index, name, codes.decoded(aggregate.column(name)))
        return aggregate
