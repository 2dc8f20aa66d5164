"""Anthropic Admin API usage report (``/v1/organizations/usage_report/messages``) JSON.

Each result of each bucket becomes usage on the bucket's day; every bucket, empty ones too,
counts as covered (an empty bucket says there was no usage then). Error records are numbered
across the file (see :mod:`importers.api_pages`).
"""

from __future__ import annotations

from importers import fields
from importers.api_pages import nested, read_results
from importers.base import USAGE, ImportedData, ReadContext, RowProblem
from importers.canonical import UsageRollup, context_window, inference_geo, service_tier, speed
from importers.sniff import FileSample

TOKEN_PATHS = {
    "input_tokens": "uncached_input_tokens",
    "cache_write_5m_tokens": "cache_creation.ephemeral_5m_input_tokens",
    "cache_write_1h_tokens": "cache_creation.ephemeral_1h_input_tokens",
    "cache_read_tokens": "cache_read_input_tokens",
    "output_tokens": "output_tokens",
    "web_searches": "server_tool_use.web_search_requests",
}


def _add_result(rollup: UsageRollup, day: str, result: object) -> None:
    if not isinstance(result, dict):
        raise RowProblem("", "a result is not a JSON object")
    model = fields.text(result.get("model"))
    counts = {name: fields.count(nested(result, path), path) for name, path in TOKEN_PATHS.items()}
    if not model and any(counts.values()):
        model = "(not grouped by model)"
    rollup.add(
        day=day,
        model=model,
        service_tier=service_tier(fields.text(result.get("service_tier"))),
        inference_geo=inference_geo(fields.text(result.get("inference_geo"))),
        context_window=context_window(fields.text(result.get("context_window"))),
        speed=speed(fields.text(result.get("speed"))),
        api_key_id=fields.text(result.get("api_key_id")),
        workspace_id=fields.text(result.get("workspace_id")),
        user=fields.text(result.get("account_id")),
        service_account=fields.text(result.get("service_account_id")),
        **counts,
    )


class AnthropicUsageReportImporter:
    id = "anthropic-usage-json"
    label = "Anthropic Admin API usage report (JSON pages)"
    kind = USAGE
    source = "anthropic-usage-api"

    def identify(self, sample: FileSample) -> bool:
        head = sample.head
        return (
            sample.is_json
            and '"starting_at"' in head
            and '"results"' in head
            and '"uncached_input_tokens"' in head
            and '"cost_type"' not in head
        )

    def read(self, ctx: ReadContext) -> ImportedData:
        rollup = UsageRollup()
        read_results(ctx, rollup, _add_result)  # type: ignore[arg-type]
        return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())
