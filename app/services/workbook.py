"""Use case: gather a period's data for the Excel finance pack and write it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.services.budgets import budget_report
from app.services.exports import PeriodExport
from app.services.insights import month_insights, usage_facts
from app.workspace.db import Workspace
from exporters.xlsx_pack import WorkbookData, write_workbook


def write_period_workbook(workspace: Workspace, bundle: PeriodExport, out: Path) -> None:
    period = bundle.document["period"]
    budgets = budget_report(workspace, period)
    facts, _, _ = usage_facts(workspace, period, billed_only=True)
    by_type: dict[str, dict[tuple[str, str], Decimal]] = {}
    for fact in facts:
        team = by_type.setdefault(fact.team, {})
        for token_type, amount in fact.cost_by_type:
            key = (fact.model, token_type)
            team[key] = team.get(key, Decimal(0)) + amount
    insights = month_insights(workspace, period)
    write_workbook(
        out,
        WorkbookData(
            workspace_name=workspace.name,
            document=bundle.document,
            slices=bundle.slices,
            budgets={t.team: t.budget for t in budgets.teams if t.budget is not None},
            statuses={
                t.team: (t.status or "")
                + (" (at risk)" if t.at_risk and t.status != "over" else "")
                for t in budgets.teams
            },
            unit_economics={t.team: t.figures for t in insights.teams},
            usage_by_type=by_type,
        ),
    )
