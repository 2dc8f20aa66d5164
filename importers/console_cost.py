"""Anthropic Console cost CSV (Cost page export): statements in dollars, display model names.

Token types are mapped to the Admin API vocabulary where recognisable so reconciliation can
compare both sources; other values are kept as given.
"""

from __future__ import annotations

from importers import fields
from importers.base import STATEMENT, ImportedData, ReadContext, RowProblem
from importers.canonical import StatementRollup, context_window, inference_geo, service_tier
from importers.rows import iter_csv_rows
from importers.sniff import FileSample

TOKEN_TYPES = {
    "input_no_cache": "uncached_input_tokens",
    "input": "uncached_input_tokens",
    "input_cache_read": "cache_read_input_tokens",
    "input_cache_write_5m": "cache_creation.ephemeral_5m_input_tokens",
    "input_cache_write_1h": "cache_creation.ephemeral_1h_input_tokens",
    "output": "output_tokens",
}


def _add_row(rollup: StatementRollup, row: dict[str, str], decimal_comma: bool) -> None:
    day = fields.iso(fields.timestamp(row.get("usage_date_utc"), "usage_date_utc"))[:10]
    amount = fields.money(row.get("cost_usd"), "cost_usd", decimal_comma=decimal_comma)
    if amount is None:
        raise RowProblem("cost_usd", "missing cost")
    list_amount = fields.money(
        row.get("list_price_usd"), "list_price_usd", decimal_comma=decimal_comma
    )
    token_type = fields.text(row.get("token_type"))
    rollup.coverage.add_day(day)
    rollup.add(
        day=day,
        amount=amount,
        list_amount=list_amount,
        model=fields.text(row.get("model")),
        workspace=fields.text(row.get("workspace")),
        api_key=fields.text(row.get("api_key")),
        api_key_id=fields.text(row.get("api_key_id")),
        service_tier=service_tier(fields.text(row.get("usage_type"))),
        context_window=context_window(fields.text(row.get("context_window"))),
        inference_geo=inference_geo(fields.text(row.get("inference_geo"))),
        token_type=TOKEN_TYPES.get(token_type.lower(), token_type),
        cost_type=fields.text(row.get("cost_type")),
    )


class ConsoleCostCsvImporter:
    id = "console-cost-csv"
    label = "Anthropic Console cost export (CSV, dollars)"
    kind = STATEMENT
    source = "console-cost-csv"

    def identify(self, sample: FileSample) -> bool:
        return sample.has_columns("usage_date_utc", "cost_usd", "token_type")

    def read(self, ctx: ReadContext) -> ImportedData:
        rollup = StatementRollup()
        decimal_comma = ctx.sample.delimiter == ";"
        for line, row in iter_csv_rows(ctx):
            try:
                _add_row(rollup, row, decimal_comma)
            except RowProblem as problem:
                ctx.add_error(line, problem.column, problem.message)
        return ImportedData(STATEMENT, rollup.frame(), rollup.coverage.result())
