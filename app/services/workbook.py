"""Use case: gather a period's data for the Excel finance pack and write it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.services.exports import PeriodExport
from app.workspace.db import Workspace
from exporters.xlsx_pack import WorkbookData, write_workbook


def write_period_workbook(workspace: Workspace, bundle: PeriodExport, out: Path) -> None:
    inputs = bundle.inputs
    by_type: dict[str, dict[tuple[str, str], Decimal]] = {}
    for fact in inputs.facts:
        team = by_type.setdefault(fact.team, {})
        for token_type, amount in fact.cost_by_type:
            key = (fact.model, token_type)
            team[key] = team.get(key, Decimal(0)) + amount
    write_workbook(
        out,
        WorkbookData(
            workspace_name=inputs.workspace_name,
            document=bundle.document,
            slices=bundle.slices,
            budgets=inputs.budgets,
            statuses=inputs.statuses,
            unit_economics=inputs.unit_economics,
            usage_by_type=by_type,
            disputes=inputs.disputes,
            as_of=inputs.as_of,
        ),
    )
