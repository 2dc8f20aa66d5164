"""Anthropic Console usage CSV (Usage page export), current 14 columns or older 11.

``api_key`` and ``workspace`` are names. Dates are days (``YYYY-MM-DD``) or hours
(``YYYY-MM-DD HH:MM``); coverage follows that granularity.
"""

from __future__ import annotations

from datetime import timedelta

from importers import fields
from importers.base import USAGE, ImportedData, ReadContext, RowProblem
from importers.canonical import UsageRollup, context_window, inference_geo, service_tier, speed
from importers.rows import iter_csv_rows
from importers.sniff import FileSample

TOKENS = {
    "input_tokens": "usage_input_tokens_no_cache",
    "cache_write_5m_tokens": "usage_input_tokens_cache_write_5m",
    "cache_write_1h_tokens": "usage_input_tokens_cache_write_1h",
    "cache_read_tokens": "usage_input_tokens_cache_read",
    "output_tokens": "usage_output_tokens",
    "web_searches": "web_search_count",
}
REQUIRED = ("usage_date_utc", "model_version", "usage_input_tokens_no_cache", "usage_output_tokens")


def _add_row(rollup: UsageRollup, row: dict[str, str]) -> None:
    raw_date = fields.text(row.get("usage_date_utc"))
    moment = fields.timestamp(raw_date, "usage_date_utc")
    day = fields.iso(moment)[:10]
    model = fields.text(row.get("model_version"))
    if not model:
        raise RowProblem("model_version", "missing model")
    counts = {name: fields.count(row.get(column), column) for name, column in TOKENS.items()}
    if len(raw_date) > 10:
        rollup.coverage.add_bucket(moment, moment + timedelta(hours=1))
    else:
        rollup.coverage.add_day(day)
    rollup.add(
        day=day,
        model=model,
        service_tier=service_tier(fields.text(row.get("usage_type"))),
        context_window=context_window(fields.text(row.get("context_window"))),
        inference_geo=inference_geo(fields.text(row.get("inference_geo"))),
        speed=speed(fields.text(row.get("speed"))),
        api_key=fields.text(row.get("api_key")),
        workspace=fields.text(row.get("workspace")),
        **counts,
    )


class ConsoleUsageCsvImporter:
    id = "console-usage-csv"
    label = "Anthropic Console usage export (CSV, 14 or 11 columns)"
    kind = USAGE
    source = "console-usage-csv"

    def identify(self, sample: FileSample) -> bool:
        return sample.has_columns(*REQUIRED)

    def read(self, ctx: ReadContext) -> ImportedData:
        rollup = UsageRollup()
        for line, row in iter_csv_rows(ctx):
            try:
                _add_row(rollup, row)
            except RowProblem as problem:
                ctx.add_error(line, problem.column, problem.message)
        return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())
