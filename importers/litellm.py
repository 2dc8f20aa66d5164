"""LiteLLM proxy spend logs (``LiteLLM_SpendLogs``) as CSV or JSON Lines.

Tokens are top-level (``prompt_tokens``/``completion_tokens``) or nested under ``usage``; the
cost is ``spend`` or ``response_cost`` — the proxy's own estimate, used only for models the price
book cannot price. LiteLLM counts cache reads and writes inside ``prompt_tokens``; when they are
given separately they are taken out of the uncached input so nothing is counted twice. Failed
calls are not billed by the provider and are skipped (counted as ignored).
"""

from __future__ import annotations

import json

from importers import fields
from importers.base import USAGE, ImportedData, ReadContext, RowProblem
from importers.canonical import UsageRollup, request_context_window
from importers.rows import iter_csv_rows, iter_json_lines
from importers.sniff import FileSample

FAILED = {"failure", "failed", "error"}


def _json_value(value: object, column: str) -> object:
    if isinstance(value, (dict, list)) or value is None:
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        raise RowProblem(column, "not valid JSON") from None


def _tags(record: dict) -> tuple[dict[str, str], str]:
    tags: dict[str, str] = {}
    api_key_alias = ""
    if fields.text(record.get("team_id")):
        tags["team"] = fields.text(record.get("team_id"))
    if fields.text(record.get("end_user")):
        tags["end_user"] = fields.text(record.get("end_user"))
    metadata = _json_value(record.get("metadata"), "metadata")
    if isinstance(metadata, dict):
        api_key_alias = fields.text(metadata.get("user_api_key_alias"))
        if fields.text(metadata.get("user_api_key_team_alias")):
            tags["team"] = fields.text(metadata.get("user_api_key_team_alias"))
    request_tags = _json_value(record.get("request_tags"), "request_tags")
    plain = []
    if isinstance(request_tags, list):
        for tag in request_tags:
            text = fields.text(tag)
            if ":" in text:
                key, value = text.split(":", 1)
                tags.setdefault(key.strip().lower(), value.strip())
            elif text:
                plain.append(text)
    if plain:
        tags["request_tags"] = ",".join(sorted(set(plain)))
    return tags, api_key_alias


def _add(rollup: UsageRollup, record: dict, ctx: ReadContext) -> None:
    usage = record.get("usage") if isinstance(record.get("usage"), dict) else {}
    moment = fields.timestamp(record.get("starttime"), "startTime")
    model = fields.text(record.get("model"))
    if not model:
        raise RowProblem("model", "missing model")
    prompt = fields.count(record.get("prompt_tokens", usage.get("prompt_tokens")), "prompt_tokens")
    output = fields.count(
        record.get("completion_tokens", usage.get("completion_tokens")), "completion_tokens"
    )
    cache_read = fields.count(usage.get("cache_read_input_tokens"), "cache_read_input_tokens")
    cache_write = fields.count(
        usage.get("cache_creation_input_tokens"), "cache_creation_input_tokens"
    )
    cost_column = "spend" if "spend" in record else "response_cost"
    cost = fields.money(record.get(cost_column), cost_column)
    tags, alias = _tags(record)
    if fields.text(record.get("status")).lower() in FAILED:
        ctx.rows_ignored += 1
        ctx.ignored_reason = "failed calls (not billed)"
        return
    stamp = fields.iso(moment)
    if "request_id" in record and not ctx.keep_request(stamp[:10], record.get("request_id")):
        return
    rollup.coverage.add(stamp[:10], stamp, stamp)
    uncached = max(prompt - cache_read - cache_write, 0)
    whole_prompt = uncached + cache_read + cache_write
    rollup.add(
        day=stamp[:10],
        model=model,
        context_window=request_context_window("", whole_prompt),
        prompt_tokens=whole_prompt,
        api_key=alias or fields.text(record.get("api_key")),
        user=fields.text(record.get("user")),
        tags=fields.tags_json(tags),
        input_tokens=uncached,
        cache_read_tokens=cache_read,
        cache_write_5m_tokens=cache_write,
        output_tokens=output,
        requests=1,
        provided_cost=cost,
    )


def _read(ctx: ReadContext, records) -> ImportedData:  # type: ignore[no-untyped-def]
    rollup = UsageRollup()
    for line, record in records:
        lowered = {str(k).lower(): v for k, v in record.items()}
        try:
            _add(rollup, lowered, ctx)
        except RowProblem as problem:
            ctx.add_error(line, problem.column, problem.message)
    return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())


class LiteLLMCsvImporter:
    id = "litellm-csv"
    label = "LiteLLM proxy spend log (CSV export of LiteLLM_SpendLogs)"
    kind = USAGE
    source = "litellm"

    def identify(self, sample: FileSample) -> bool:
        return sample.has_columns("starttime", "model") and (
            sample.has_columns("spend") or sample.has_columns("response_cost")
        )

    def read(self, ctx: ReadContext) -> ImportedData:
        return _read(ctx, iter_csv_rows(ctx))


class LiteLLMJsonlImporter:
    id = "litellm-jsonl"
    label = "LiteLLM proxy spend log (JSON Lines)"
    kind = USAGE
    source = "litellm"

    def identify(self, sample: FileSample) -> bool:
        first = sample.head.lstrip().split("\n", 1)[0]
        if not first.startswith("{"):
            return False
        try:
            record = json.loads(first)
        except ValueError:
            return False
        keys = {str(k).lower() for k in record} if isinstance(record, dict) else set()
        return "starttime" in keys and bool(keys & {"call_type", "spend", "response_cost"})

    def read(self, ctx: ReadContext) -> ImportedData:
        return _read(ctx, iter_json_lines(ctx))
