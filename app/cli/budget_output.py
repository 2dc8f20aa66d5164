"""``budgets`` output: CONTRACT.md's JSON and a readable table."""

from __future__ import annotations

from typing import Any

from app.domain.money import format_money, format_money_display
from app.services.budgets import BudgetReport


def budgets_json(report: BudgetReport) -> dict[str, Any]:
    return {
        "period": report.period,
        "as_of_day": report.as_of_day,
        "teams": [
            {
                "team": t.team,
                "budget": None if t.budget is None else format_money(t.budget),
                "actual": format_money(t.actual),
                "forecast": format_money(t.forecast),
                "used": None if t.used is None else f"{t.used:f}",
                "status": t.status,
                "at_risk": t.at_risk,
            }
            for t in report.teams
        ],
    }


def budgets_text(report: BudgetReport) -> str:
    out = [
        f"Budgets {report.period} (data to day {report.as_of_day} of {report.month_days})",
        f"{'team':<20} {'budget':>12} {'actual':>12} {'forecast':>12} {'used':>7}  status",
    ]
    for t in report.teams:
        budget = "—" if t.budget is None else format_money_display(t.budget)
        used = "" if t.used is None else f"{t.used * 100:.0f}%"
        state = (t.status or "no budget") + (
            "  AT RISK" if t.at_risk and t.status != "over" else ""
        )
        out.append(
            f"{t.team:<20} {budget:>12} {format_money_display(t.actual):>12} "
            f"{format_money_display(t.forecast):>12} {used:>7}  {state}"
        )
    return "\n".join(out)
