"""FOCUS (FinOps Open Cost and Usage Specification) CSV, versions 1.0 to 1.3.

Every billing row becomes a cost-only usage line on the day its charge period starts: its
``BilledCost`` (or ``EffectiveCost``, a per-import choice) is kept exactly, its ``Tags`` become
``tag.*`` dimensions, and our own export's ``x_Team``-style columns become tags too.
"""

from __future__ import annotations

import json

from importers import fields
from importers.base import USAGE, ImportedData, ReadContext, RowProblem
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


def _add_row(rollup: UsageRollup, row: dict[str, str], cost_column: str) -> None:
    start = fields.timestamp(row.get("chargeperiodstart"), "ChargePeriodStart")
    end_text = fields.text(row.get("chargeperiodend"))
    end = fields.timestamp(end_text, "ChargePeriodEnd") if end_text else start
    cost = fields.money(row.get(cost_column.lower()), cost_column)
    if cost is None:
        raise RowProblem(cost_column, "missing cost")
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
        rollup = UsageRollup()
        for line, row in iter_csv_rows(ctx):
            try:
                _add_row(rollup, row, cost_column)
            except RowProblem as problem:
                ctx.add_error(line, problem.column, problem.message)
        return ImportedData(USAGE, rollup.frame(), rollup.coverage.result())
