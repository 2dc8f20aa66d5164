"""Claude Code analytics report (``/v1/organizations/usage_report/claude_code``) JSON.

One usage line per record × model: the user (or API key) that ran Claude Code, its tokens, and
the report's own estimated cost (cents → dollars) kept for models the price book cannot price.
Cache creation is reported without a TTL and is counted as 5-minute writes.
"""

from __future__ import annotations

from decimal import Decimal

from app.domain.money import MONEY_CONTEXT
from importers import fields
from importers.api_pages import nested, pages_of
from importers.base import USAGE, ImportedData, ReadContext, RowProblem
from importers.canonical import UsageRollup
from importers.rows import load_json_document
from importers.sniff import FileSample

HUNDRED = Decimal(100)


def _actor(record: dict) -> dict[str, str]:
    actor = record.get("actor")
    if not isinstance(actor, dict):
        raise RowProblem("actor", "missing actor")
    if actor.get("email_address"):
        return {"user": fields.text(actor["email_address"])}
    if actor.get("api_key_name"):
        return {"api_key": fields.text(actor["api_key_name"])}
    raise RowProblem("actor", "actor has neither email_address nor api_key_name")


def _add_record(rollup: UsageRollup, record: object) -> None:
    if not isinstance(record, dict):
        raise RowProblem("", "a record is not a JSON object")
    day = fields.iso(fields.timestamp(record.get("date"), "date"))[:10]
    who = _actor(record)
    tags = fields.tags_json({"terminal_type": fields.text(record.get("terminal_type"))})
    breakdown = record.get("model_breakdown") or []
    if not isinstance(breakdown, list):
        raise RowProblem("model_breakdown", "not a list")
    rollup.coverage.add_day(day)
    for entry in breakdown:
        if not isinstance(entry, dict):
            raise RowProblem("model_breakdown", "an entry is not an object")
        cents = fields.money(nested(entry, "estimated_cost.amount"), "estimated_cost.amount")
        rollup.add(
            day=day,
            model=fields.text(entry.get("model")) or "(unknown model)",
            tags=tags,
            input_tokens=fields.count(nested(entry, "tokens.input"), "tokens.input"),
            output_tokens=fields.count(nested(entry, "tokens.output"), "tokens.output"),
            cache_read_tokens=fields.count(nested(entry, "tokens.cache_read"), "tokens.cache_read"),
            cache_write_5m_tokens=fields.count(
                nested(entry, "tokens.cache_creation"), "tokens.cache_creation"
            ),
            provided_cost=None if cents is None else MONEY_CONTEXT.divide(cents, HUNDRED),
            **who,
        )


class ClaudeCodeAnalyticsImporter:
    id = "claude-code-json"
    label = "Claude Code analytics report (JSON): usage per user and model"
    kind = USAGE
    source = "claude-code-api"

    def identify(self, sample: FileSample) -> bool:
        return sample.is_json and '"model_breakdown"' in sample.head and '"actor"' in sample.head

    def read(self, ctx: ReadContext) -> ImportedData:
        rollup = UsageRollup()
        number = 0
        for page in pages_of(load_json_document(ctx)):
            for record in page["data"]:
                number += 1
                ctx.rows_read += 1
                ctx.cancel.check()
                try:
                    _add_record(rollup, record)
                except RowProblem as problem:
                    ctx.add_error(number, problem.column, problem.message)
        return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())
