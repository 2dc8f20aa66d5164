"""Budgets page state: each team's month against its budget, with the forecast."""

from __future__ import annotations

from app.domain.money import format_money_display
from app.services.budgets import BudgetReport, budget_report
from app.services.workspaces import Workspace
from app.ui.presentation.monthly import MonthlyPresenter
from app.ui.presentation.table import Column, TableState

STATUS_WORDS = {"under": "Under", "warning": "Warning", "over": "Over"}


class BudgetsPresenter(MonthlyPresenter):
    """Budget vs actual and forecast per team for the chosen month."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.note = ""
        self.table = TableState(
            [
                Column("Team"),
                Column("Budget", True),
                Column("Actual", True),
                Column("Forecast", True),
                Column("Used", True),
                Column("Status"),
            ],
            empty_text="No budgets or invoices this month",
        )

    def _fetch(self, period: str) -> BudgetReport:
        return budget_report(self.workspace, period)

    def _apply(self, report: BudgetReport | None) -> None:
        if report is None:
            self.table.rows, self.note, self.table.alerts = [], "", {}
            return
        self.note = (
            f"Data to day {report.as_of_day} of {report.month_days}; forecast = actual "
            f"+ mean daily cost of the last 7 days with data × days left. Budgets "
            f"guide, they never block."
            if report.as_of_day < report.month_days
            else "A complete month: the forecast is the actual."
        )
        rows = []
        self.table.alerts = {}
        for team in report.teams:
            if team.status == "over":
                self.table.alerts[len(rows)] = "over"
            elif team.at_risk or team.status == "warning":
                self.table.alerts[len(rows)] = "warning"
            status = STATUS_WORDS.get(team.status or "", "No budget")
            if team.at_risk and team.status != "over":
                status += " · at risk"
            rows.append(
                [
                    team.team,
                    "—" if team.budget is None else format_money_display(team.budget),
                    format_money_display(team.actual),
                    format_money_display(team.forecast),
                    "" if team.used is None else f"{team.used * 100:.0f}%",
                    status,
                ]
            )
        self.table.rows = rows
