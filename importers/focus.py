"""FOCUS (FinOps Open Cost and Usage Specification) CSV, versions 1.0 to 1.3.

Every billing row becomes a cost-only usage line on the day its charge period starts: its
``BilledCost`` (or ``EffectiveCost``, a per-import choice) is kept exactly, its ``Tags`` become
``tag.*`` dimensions, and our own export's ``x_Team``-style columns become tags too.

A FOCUS file often holds a whole cloud bill (AWS, Azure, Oracle, …): only rows that name
Anthropic or Claude (provider, publisher, service, SKU, resource or description — so Claude
through Bedrock or Vertex counts) are kept unless the import asks for every row
(``focus_rows=all``); the others are counted and reported as left out.
"""

from __future__ import annotations

import json

from importers import fields
from importers.base import USAGE, FileRejected, ImportedData, ReadContext, RowProblem
from importers.canonical import UsageRollup
from importers.rows import iter_csv_rows
from importers.sniff import FileSample

EXTENSION_TAGS = {
    "x_team": "team",
    "x_product": "product",
    "x_environment": "environment",
    "x_costcenter": "cost_center",
    "x_cost_center": "cost_center",
}


def _tags(row: dict[str, str]) -> dict[str, str]:
    tags: dict[str, str] = {}
    raw = fields.text(row.get("tags"))
    if raw:
        try:
            parsed = json.loads(raw)
        except ValueError:
            raise RowProblem("Tags", "not a JSON object") from None
        if not isinstance(parsed, dict):
            raise RowProblem("Tags", "not a JSON object")
        for key, value in parsed.items():
            tags[str(key).strip()] = "" if value is None else str(value).strip()
    for column, tag in EXTENSION_TAGS.items():
        if fields.text(row.get(column)):
            tags[tag] = fields.text(row.get(column))
    tags["service"] = fields.text(row.get("servicename"))
    tags["provider"] = fields.text(row.get("serviceprovidername") or row.get("providername"))
    tags["charge_category"] = fields.text(row.get("chargecategory"))
    return tags


CLAUDE_WORDS = ("anthropic", "claude")
IDENTIFYING_COLUMNS = (
    "providername",
    "serviceprovidername",
    "publishername",
    "invoiceissuername",
    "servicename",
    "skuid",
    "resourceid",
    "resourcename",
    "chargedescription",
    "x_model",
)


def is_claude_row(row: dict[str, str]) -> bool:
    """True when any identifying column names Anthropic or Claude."""
    for column in IDENTIFYING_COLUMNS:
        value = (row.get(column) or "").lower()
        if any(word in value for word in CLAUDE_WORDS):
            return True
    return False


def _provider(row: dict[str, str]) -> str:
    return (
        fields.text(row.get("serviceprovidername") or row.get("providername"))
        or fields.text(row.get("publishername"))
        or "an unnamed provider"
    )


def _add_row(rollup: UsageRollup, row: dict[str, str], cost_column: str) -> None:
    start = fields.timestamp(row.get("chargeperiodstart"), "ChargePeriodStart")
    end_text = fields.text(row.get("chargeperiodend"))
    end = fields.timestamp(end_text, "ChargePeriodEnd") if end_text else start
    cost = fields.money(row.get(cost_column.lower()), cost_column)
    if cost is None:
        raise RowProblem(cost_column, "missing cost")
    list_cost = None
    if "listcost" in row:  # the price before the negotiated discount; missing: at list
        list_cost = fields.money(row.get("listcost"), "ListCost")
        list_cost = cost if list_cost is None else list_cost
    model = (
        fields.text(row.get("x_model"))
        or fields.text(row.get("skuid"))
        or fields.text(row.get("servicename"))
        or "(no service)"
    )
    if end > start:
        rollup.coverage.add_bucket(start, end)
    else:
        stamp = fields.iso(start)
        rollup.coverage.add(stamp[:10], stamp, stamp)
    rollup.add(
        day=fields.iso(start)[:10],
        model=model,
        workspace=fields.text(row.get("subaccountname")),
        workspace_id=fields.text(row.get("subaccountid")),
        tags=fields.tags_json(_tags(row)),
        provided_cost=cost,
        provided_list_cost=list_cost,
        normalise_model=model.lower().startswith("claude"),
    )


class FocusCsvImporter:
    id = "focus-csv"
    label = "FOCUS 1.0–1.3 billing data (CSV)"
    kind = USAGE
    source = "focus"

    def identify(self, sample: FileSample) -> bool:
        return sample.has_columns("BilledCost", "ChargePeriodStart")

    def read(self, ctx: ReadContext) -> ImportedData:
        cost_column = (
            "EffectiveCost" if ctx.options.get("focus_cost") == "effective" else "BilledCost"
        )
        keep_all = ctx.options.get("focus_rows") == "all"
        rollup = UsageRollup()
        others: dict[str, int] = {}
        for line, row in iter_csv_rows(ctx):
            if not keep_all and not is_claude_row(row):
                provider = _provider(row)
                others[provider] = others.get(provider, 0) + 1
                continue
            try:
                _add_row(rollup, row, cost_column)
            except RowProblem as problem:
                ctx.add_error(line, problem.column, problem.message)
        if others:
            ctx.rows_ignored = sum(others.values())
            providers = ", ".join(
                f"{name} {count:,}" for name, count in sorted(others.items(), key=lambda i: -i[1])
            )
            ctx.ignored_reason = f"not Anthropic/Claude: {providers}; --focus-rows all imports them"
            if ctx.rows_ignored == ctx.rows_read:
                raise FileRejected(
                    f"no Anthropic/Claude rows: all {ctx.rows_read:,} rows are other providers' "
                    f"({providers}); to import them anyway, use --focus-rows all"
                )
        return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())
