"""Rolls a stream of checked gateway blocks up to canonical usage lines.

DuckDB (in-process, no files) aggregates the blocks as they stream in, so memory holds the
groups rather than the requests. The groups are then made canonical column by column: each
distinct raw value is cleaned once (text, model ids, tiers, geos, context windows, tag JSON) and
the cleaned values are taken back into the rows. Groups that become equal after cleaning (a
dated and an undated model id, ``" a"`` and ``"a"``) are summed again.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC
from decimal import Decimal

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from app.domain.line_columns import USAGE_COLUMNS, USAGE_COUNT_COLUMNS
from app.domain.model_ids import normalise_model_id
from app.domain.money import format_exact
from app.domain.usage import BAND_HIGH, BAND_LOW, LONG_CONTEXT, PROMPT_BAND_LIMITS
from importers import fields
from importers.canonical import (
    CoverageTracker,
    context_window,
    inference_geo,
    service_tier,
    speed,
)
from importers.encoded_columns import (
    NullInGroup,
    as_single_array,
    combined,
    constant,
    encoded_result,
    mapped,
    replaced_where,
    sorted_codes,
)
from importers.gateway_columns import GatewayColumns

DAY = "__day"
STAMP = "__ts"
PROMPT = "__prompt"
"""What the size of the request's prompt decides (per request, before the rollup), as bits:
:data:`PROMPT_LONG` and :data:`PROMPT_HIGH_BAND`."""
PROMPT_LONG = 1
"""The prompt is over :data:`LONG_PROMPT_TOKENS`: long context."""
PROMPT_HIGH_BAND = 2
"""The model has prompt bands and the prompt is over its low band's limit."""
REQUESTS = "__requests"
FIRST, LAST = "__first", "__last"
DUCKDB_MEMORY_LIMIT = "128MB"
BANDED = frozenset(PROMPT_BAND_LIMITS)


class RollupFailed(Exception):
    """The stream could not be rolled up exactly (an overflowing sum, a bad split)."""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def group_columns(columns: GatewayColumns) -> list[str]:
    keys = [DAY, PROMPT, columns.model]
    for column in (columns.tier, columns.batch, *columns.dimensions.values(), *columns.tags):
        if column and column not in keys:
            keys.append(column)
    return keys


def sum_columns(columns: GatewayColumns) -> list[str]:
    return [c for c in dict.fromkeys(columns.tokens.values()) if c]


def aggregate_stream(
    columns: GatewayColumns, schema: pa.Schema, blocks: Iterator[pa.RecordBatch]
) -> pa.Table:
    """One row per group of :func:`group_columns`: token sums, requests, first and last time."""
    keys = group_columns(columns)
    select = [_quoted(k) for k in keys]
    select += [f"CAST(SUM({_quoted(c)}) AS BIGINT) AS {_quoted(c)}" for c in sum_columns(columns)]
    if columns.cost:
        select.append(f"SUM({_quoted(columns.cost)}) AS {_quoted(columns.cost)}")
    select += [
        f"COUNT(*) AS {REQUESTS}",
        f"MIN({STAMP}) AS {FIRST}",
        f"MAX({STAMP}) AS {LAST}",
    ]
    stream = pa.RecordBatchReader.from_batches(schema, blocks)
    sql = f"SELECT {', '.join(select)} FROM blocks GROUP BY {', '.join(_quoted(k) for k in keys)}"
    with _connected() as connection:
        connection.register("blocks", stream)
        return encoded_result(connection.sql(sql))


@contextmanager
def _connected() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB with bounded memory, spilling beyond it into a temporary folder of
    its own (never the current folder, which may be read-only or the user's); DuckDB's errors
    become :class:`RollupFailed`."""
    with tempfile.TemporaryDirectory(prefix="cbdesk-rollup-") as spill:
        connection = duckdb.connect(
            config={
                "threads": 2,
                "memory_limit": DUCKDB_MEMORY_LIMIT,
                "preserve_insertion_order": False,
                "temp_directory": spill,
            }
        )
        try:
            yield connection
        except duckdb.Error as exc:
            raise RollupFailed(str(exc)) from None
        finally:
            connection.close()


class _Cleaned:
    """Cleaned columns of the aggregate (dictionary-encoded), and whether cleaning may have
    merged two groups."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table
        self.merges = False
        self.blank = constant("", len(table))

    def strings(self, column: str | None, clean: Callable[[str], str]) -> pa.DictionaryArray:
        if column is None:
            return self.blank
        cleaned, injective = mapped(self.table.column(column), clean)
        self.merges = self.merges or not injective
        return cleaned

    def context_window(self, column: str | None) -> pa.DictionaryArray:
        """The file's context window, or — where it gives none — the request's own: a prompt
        over :data:`LONG_PROMPT_TOKENS` is long context (decided per request, before the
        rollup)."""
        windows = self.strings(column, lambda v: context_window(fields.text(v)))
        long = self._prompt_bit(PROMPT_LONG)
        if not long.any():
            return windows
        # Groups told apart only by the flag may now be one line.
        self.merges = True
        values = windows.dictionary.to_pylist()
        unset = np.isin(
            windows.indices.to_numpy(zero_copy_only=False),
            [code for code, value in enumerate(values) if value == ""],
        )
        return replaced_where(windows, unset & long, LONG_CONTEXT)

    def _prompt_bit(self, bit: int) -> np.ndarray:
        prompt = self.table.column(PROMPT).combine_chunks().to_numpy(zero_copy_only=False)
        return (prompt & bit) != 0

    def prompt_band(self, models: pa.DictionaryArray) -> pa.DictionaryArray:
        """Per line, the prompt band its requests paid (§1): decided per request, empty for a
        model without bands."""
        bands = self.blank
        banded_codes = [
            code for code, model in enumerate(models.dictionary.to_pylist()) if model in BANDED
        ]
        if not banded_codes:
            return bands
        banded = np.isin(models.indices.to_numpy(zero_copy_only=False), banded_codes)
        high = self._prompt_bit(PROMPT_HIGH_BAND)
        bands = replaced_where(bands, banded & ~high, BAND_LOW)
        return replaced_where(bands, banded & high, BAND_HIGH)

    def tier(self, columns: GatewayColumns) -> pa.DictionaryArray:
        tiers = (
            self.strings(columns.tier, lambda v: service_tier(fields.text(v)))
            if columns.tier
            else constant("standard", len(self.table))
        )
        if not columns.batch:
            return tiers
        flags = self.table.column(columns.batch).combine_chunks()
        batch = pc.fill_null(flags, False)
        # Batch rows of any tier become one group, as do rows with an empty and a false flag.
        any_batch = bool(pc.any(batch).as_py())
        any_false = bool(pc.any(pc.invert(pc.fill_null(flags, True))).as_py())
        if (any_batch and columns.tier) or (flags.null_count and any_false):
            self.merges = True
        return replaced_where(tiers, batch.to_numpy(zero_copy_only=False), "batch")

    def tags_json(self, columns: GatewayColumns) -> pa.DictionaryArray:
        """Canonical tag JSON per row (as :func:`importers.fields.tags_json` writes it)."""
        pieces = []
        for column, tag in sorted(columns.tags.items(), key=lambda item: item[1]):
            prefix = json.dumps(tag, ensure_ascii=False) + ":"
            pieces.append(
                self.strings(
                    column,
                    lambda v, p=prefix: (
                        "" if fields.text(v) == "" else p + _json(fields.text(v)) + ","
                    ),
                )
            )
        if not pieces:
            return self.blank
        return combined(pieces, _tag_object)


def _tag_object(pieces: tuple[str, ...]) -> str:
    # Each piece ends with a comma; a JSON value ends with a quote, so only the last
    # separator is trimmed.
    joined = "".join(pieces).rstrip(",")
    return "{" + joined + "}" if joined else ""


def _json(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def canonical_lines(columns: GatewayColumns, table: pa.Table) -> tuple[pd.DataFrame, dict]:
    """The usage frame (:data:`USAGE_COLUMNS`) and per-day coverage of an aggregate."""
    try:
        return _canonical_lines(columns, table)
    except NullInGroup as exc:
        raise RollupFailed(str(exc)) from None


def _canonical_lines(columns: GatewayColumns, table: pa.Table) -> tuple[pd.DataFrame, dict]:
    cleaned = _Cleaned(table)
    dims = columns.dimensions
    text = fields.text
    days = pc.dictionary_encode(table.column(DAY).combine_chunks())
    models = cleaned.strings(columns.model, lambda v: normalise_model_id(text(v)))
    key_arrays = {
        "day": pa.DictionaryArray.from_arrays(days.indices, pc.cast(days.dictionary, pa.string())),
        "model": models,
        "service_tier": cleaned.tier(columns),
        "inference_geo": cleaned.strings(dims["inference_geo"], lambda v: inference_geo(text(v))),
        "context_window": cleaned.context_window(dims["context_window"]),
        "speed": cleaned.strings(dims["speed"], lambda v: speed(text(v))),
        "prompt_band": cleaned.prompt_band(models),
        **{
            name: cleaned.strings(dims[name], text)
            for name in ("api_key", "api_key_id", "workspace", "workspace_id", "user")
        },
        "service_account": cleaned.strings(dims["service_account"], text),
        "tags": cleaned.tags_json(columns),
    }
    count_arrays = _counts(columns, table)
    lines = pa.table({**key_arrays, **count_arrays})
    if columns.cost:
        lines = lines.append_column("provided_cost", table.column(columns.cost))
    if cleaned.merges:
        lines = _regroup(lines, list(key_arrays), columns.cost is not None)
    return _frame(lines), _coverage(table)


def _counts(columns: GatewayColumns, table: pa.Table) -> dict[str, pa.Array]:
    zeros = pa.array([0] * len(table), pa.int64())

    def total(field: str) -> pa.Array:
        column = columns.tokens[field]
        return pc.fill_null(table.column(column), 0).combine_chunks() if column else zeros

    hour = total("cache_write_1h_tokens")
    if columns.tokens["cache_write_5m_tokens"] is not None:
        five = total("cache_write_5m_tokens")
    elif columns.splits_cache_writes:
        five = pc.subtract(total("cache_creation_total"), hour)
        if len(five) and pc.min(five).as_py() < 0:
            raise RollupFailed("1-hour cache writes exceed the total")
    else:
        five = total("cache_creation_total")
    return {
        "input_tokens": total("input_tokens"),
        "cache_write_5m_tokens": five,
        "cache_write_1h_tokens": hour,
        "cache_read_tokens": total("cache_read_tokens"),
        "output_tokens": total("output_tokens"),
        "web_searches": total("web_searches"),
        "requests": table.column(REQUESTS).combine_chunks(),
    }


def _regroup(lines: pa.Table, keys: list[str], has_cost: bool) -> pa.Table:
    sums = [f"CAST(SUM({_quoted(n)}) AS BIGINT) AS {_quoted(n)}" for n in USAGE_COUNT_COLUMNS]
    if has_cost:
        sums.append('SUM("provided_cost") AS "provided_cost"')
    key_sql = ", ".join(_quoted(k) for k in keys)
    with _connected() as connection:
        connection.register("lines", lines)
        return encoded_result(
            connection.sql(f"SELECT {key_sql}, {', '.join(sums)} FROM lines GROUP BY {key_sql}")
        )


def _frame(lines: pa.Table) -> pd.DataFrame:
    """The lines as a frame; text columns are categorical (each distinct value made once)."""
    day_rank, _ = sorted_codes(as_single_array(lines.column("day")))
    lines = lines.take(pa.array(np.argsort(day_rank, kind="stable")))
    data: dict[str, object] = {}
    for name in USAGE_COLUMNS:
        if name in USAGE_COUNT_COLUMNS:
            data[name] = lines.column(name).to_numpy()
        elif name in ("code_execution_hours", "provided_list_cost"):
            data[name] = pd.Series([None] * len(lines), dtype=object)
        elif name == "provided_cost":
            costs = lines.column(name).to_pylist() if name in lines.column_names else []
            data[name] = pd.Series(
                [None if v is None else format_exact(Decimal(v)) for v in costs]
                or [None] * len(lines),
                dtype=object,
            )
        else:
            data[name] = _categorical(lines.column(name))
    return pd.DataFrame(data)


def _categorical(column: pa.ChunkedArray) -> pd.Categorical:
    """Categories in text order, so sorting the frame sorts by the values."""
    codes, values = sorted_codes(as_single_array(column))
    return pd.Categorical.from_codes(codes, pd.Index(values, dtype=object))


def _coverage(table: pa.Table) -> dict[str, tuple[str, str]]:
    tracker = CoverageTracker()
    per_day = table.group_by([DAY]).aggregate([(FIRST, "min"), (LAST, "max")])
    for day, first, last in zip(
        per_day.column(DAY).to_pylist(),
        per_day.column(f"{FIRST}_min").to_pylist(),
        per_day.column(f"{LAST}_max").to_pylist(),
        strict=True,
    ):
        start, end = fields.iso(first.astimezone(UTC)), fields.iso(last.astimezone(UTC))
        tracker.add(day.isoformat(), start, end)
    return tracker.result()
