"""Gateway request logs (CSV and JSON Lines): one row per API call, tagged at the source.

CSV files take the vectorised reader in :mod:`importers.gateway_fast` first; this module is
the exact row-by-row reader used for JSON Lines and whenever a CSV has a bad row (it names
every bad row with its line and column).
"""

from __future__ import annotations

from importers import fields
from importers.base import USAGE, FileRejected, ImportedData, ReadContext, RowProblem
from importers.canonical import (
    UsageRollup,
    context_window,
    inference_geo,
    request_context_window,
    service_tier,
    speed,
)
from importers.gateway_columns import GatewayColumns, looks_like_gateway
from importers.rows import iter_csv_rows, iter_json_lines
from importers.sniff import FileSample

SOURCE = "gateway"


def _prompt(counts: dict[str, int]) -> int:
    """A request's prompt: its input, cache reads and cache writes."""
    return (
        counts["input_tokens"]
        + counts["cache_read_tokens"]
        + counts["cache_write_5m_tokens"]
        + counts["cache_write_1h_tokens"]
    )


def add_request(rollup: UsageRollup, columns: GatewayColumns, row: dict, ctx: ReadContext) -> None:
    """Validate one request row and add it to the rollup; raises RowProblem when bad."""
    moment = fields.timestamp(row.get(columns.timestamp), columns.timestamp or "timestamp")
    model = fields.text(row.get(columns.model)) if columns.model else ""
    if not model:
        raise RowProblem(columns.model or "model", "missing model")
    counts: dict[str, int] = {}
    for field, column in columns.tokens.items():
        counts[field] = fields.count(row.get(column), column) if column else 0
    total_writes = counts.pop("cache_creation_total")
    if columns.tokens["cache_write_5m_tokens"] is None:
        five_minutes = (
            total_writes - counts["cache_write_1h_tokens"]
            if columns.splits_cache_writes
            else total_writes
        )
        if five_minutes < 0:
            raise RowProblem(
                columns.tokens["cache_write_1h_tokens"] or "",
                "1-hour cache writes exceed cache_creation_input_tokens",
            )
        counts["cache_write_5m_tokens"] = five_minutes
    tier = "standard"
    if columns.tier:
        tier = service_tier(fields.text(row.get(columns.tier)))
    if columns.batch and fields.boolean(row.get(columns.batch), columns.batch):
        tier = "batch"
    cost = fields.money(row.get(columns.cost), columns.cost) if columns.cost else None
    dims = {
        name: fields.text(row.get(column)) if column else ""
        for name, column in columns.dimensions.items()
    }
    tags = {tag: fields.text(row.get(column)) for column, tag in columns.tags.items()}
    stamp = fields.iso(moment)
    if columns.request_id and not ctx.keep_request(stamp[:10], row.get(columns.request_id)):
        return
    rollup.coverage.add(stamp[:10], stamp, stamp)
    prompt = _prompt(counts)
    rollup.add(
        day=stamp[:10],
        model=model,
        service_tier=tier,
        inference_geo=inference_geo(dims.pop("inference_geo")),
        context_window=request_context_window(context_window(dims.pop("context_window")), prompt),
        speed=speed(dims.pop("speed")),
        prompt_tokens=prompt,
        tags=fields.tags_json(tags),
        requests=1,
        provided_cost=cost,
        **dims,
        **counts,
    )


def read_rows(ctx: ReadContext, columns: GatewayColumns, rows) -> ImportedData:
    rollup = UsageRollup()
    for line, row in rows:
        try:
            add_request(rollup, columns, row, ctx)
        except RowProblem as problem:
            ctx.add_error(line, problem.column, problem.message)
    return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())


class GatewayCsvImporter:
    id = "gateway-csv"
    label = "Gateway request log (CSV): one row per API call, tags in extra columns"
    kind = USAGE
    source = SOURCE

    def identify(self, sample: FileSample) -> bool:
        if sample.is_json or not sample.header:
            return False
        return looks_like_gateway(list(sample.header_lower))

    def read(self, ctx: ReadContext) -> ImportedData:
        columns = GatewayColumns(list(ctx.sample.header_lower))
        missing = columns.missing_required()
        if missing:
            raise FileRejected(f"not a gateway request log: no column {', '.join(missing)}")
        from importers.gateway_fast import FastPathUnavailable, read_gateway_csv_fast

        try:
            return read_gateway_csv_fast(ctx, columns)
        except FastPathUnavailable:
            ctx.rows_read = 0
            ctx.duplicates_skipped = 0
            ctx.rows_without_request_id = 0
            ctx.request_ids.reset()
        return read_rows(ctx, columns, iter_csv_rows(ctx))


def _flatten(record: dict) -> dict:
    """Lift a nested ``usage`` object (Messages API shape) and ``tags``/``metadata`` maps."""
    flat = {str(k).lower(): v for k, v in record.items() if not isinstance(v, (dict, list))}
    usage = record.get("usage")
    if isinstance(usage, dict):
        for key, value in usage.items():
            if isinstance(value, dict):
                for inner, inner_value in value.items():
                    flat.setdefault(str(inner).lower(), inner_value)
            else:
                flat.setdefault(str(key).lower(), value)
    for nested in ("tags", "metadata"):
        mapping = record.get(nested)
        if isinstance(mapping, dict):
            for key, value in mapping.items():
                if not isinstance(value, (dict, list)):
                    flat.setdefault(str(key).lower(), value)
    return flat


class GatewayJsonlImporter:
    id = "gateway-jsonl"
    label = "Gateway request log (JSON Lines): one object per API call"
    kind = USAGE
    source = SOURCE

    def identify(self, sample: FileSample) -> bool:
        first = sample.head.lstrip().split("\n", 1)[0]
        if not first.startswith("{"):
            return False
        try:
            record = fields.loads_exact(first)
        except ValueError:
            return False
        if not isinstance(record, dict):
            return False
        keys = {str(k).lower() for k in record}
        if keys & {"call_type", "spend", "response_cost", "starttime", "data"}:
            return False
        return looks_like_gateway(list(_flatten(record)))

    def read(self, ctx: ReadContext) -> ImportedData:
        rollup = UsageRollup()
        columns_by_keys: dict[frozenset, GatewayColumns] = {}
        for line, record in iter_json_lines(ctx):
            flat = _flatten(record)
            keys = frozenset(flat)
            columns = columns_by_keys.get(keys)
            if columns is None:
                columns = GatewayColumns(sorted(keys))
                columns_by_keys[keys] = columns
            missing = columns.missing_required()
            if missing:
                ctx.add_error(line, missing[0], "missing field")
                continue
            try:
                add_request(rollup, columns, flat, ctx)
            except RowProblem as problem:
                ctx.add_error(line, problem.column, problem.message)
        return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())


__all__ = ["GatewayCsvImporter", "GatewayJsonlImporter"]
