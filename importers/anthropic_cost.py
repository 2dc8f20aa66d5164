"""Anthropic Admin API cost report (``/v1/organizations/cost_report``) JSON: statements.

``amount`` is a decimal string in **cents** (fractional cents occur); it is stored in dollars,
exactly. Priority-tier costs are absent from this report; code execution appears only here.
"""

from __future__ import annotations

from decimal import Decimal

from app.domain.money import MONEY_CONTEXT
from importers import fields
from importers.api_pages import read_results
from importers.base import STATEMENT, ImportedData, ReadContext, RowProblem
from importers.canonical import StatementRollup, context_window, inference_geo, service_tier
from importers.sniff import FileSample

HUNDRED = Decimal(100)


def _add_result(rollup: StatementRollup, day: str, result: object) -> None:
    if not isinstance(result, dict):
        raise RowProblem("", "a result is not a JSON object")
    if result.get("amount") is None:
        raise RowProblem("amount", "missing amount")
    cents = fields.money(result.get("amount"), "amount")
    if cents is None:
        raise RowProblem("amount", f"not an amount: {result.get('amount')!r}")
    assert cents is not None
    tier = fields.text(result.get("service_tier"))
    rollup.add(
        day=day,
        amount=MONEY_CONTEXT.divide(cents, HUNDRED),
        currency=fields.text(result.get("currency")) or "USD",
        model=fields.text(result.get("model")),
        workspace_id=fields.text(result.get("workspace_id")),
        description=fields.text(result.get("description")),
        cost_type=fields.text(result.get("cost_type")),
        token_type=fields.text(result.get("token_type")),
        service_tier=service_tier(tier) if tier else "",
        context_window=context_window(fields.text(result.get("context_window"))),
        inference_geo=inference_geo(fields.text(result.get("inference_geo"))),
    )


class AnthropicCostReportImporter:
    id = "anthropic-cost-json"
    label = "Anthropic Admin API cost report (JSON pages, amounts in cents)"
    kind = STATEMENT
    source = "anthropic-cost-api"

    def identify(self, sample: FileSample) -> bool:
        head = sample.head
        return (
            sample.is_json
            and '"starting_at"' in head
            and '"amount"' in head
            and '"cost_type"' in head
        )

    def read(self, ctx: ReadContext) -> ImportedData:
        rollup = StatementRollup()
        read_results(ctx, rollup, _add_result)  # type: ignore[arg-type]
        return ImportedData(STATEMENT, rollup.frame(), rollup.coverage.result())
