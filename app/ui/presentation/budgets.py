"""Budgets page state: each team's month against its budget, with the forecast."""

from __future__ import annotations

from decimal import Decimal

from app.services.budgets import BudgetReport, budget_report
from app.services.workspaces import Workspace
from app.ui.presentation.dashboard import BudgetBar, team_status
from app.ui.presentation.formatting import money, percent
from app.ui.presentation.monthly import MonthlyPresenter
from app.ui.presentation.table import Column, TableState

CHART_TEAMS = 12


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
                Column("Variance", True),
                Column("Used", True),
                Column("Status"),
            ],
            empty_text="No budgets or invoices this month",
        )
        self.bars: list[BudgetBar] = []
        """The largest teams for the chart: actual, budget, forecast, status."""

    def _fetch(self, period: str) -> BudgetReport:
        return budget_report(self.workspace, period)

    def _apply(self, report: BudgetReport | None) -> None:
        if report is None:
            self.table.rows, self.note, self.table.alerts = [], "", {}
            self.table.total, self.bars = None, []
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
        bars = []
        for team in sorted(report.teams, key=lambda t: (-t.actual, t.team)):
            status = team_status(team.status, team.at_risk, team.budget)
            if status == "over":
                self.table.alerts[len(rows)] = "over"
            elif status in ("at risk", "warning"):
                self.table.alerts[len(rows)] = "warning"
            words = status.capitalize()
            if status == "at risk" and team.budget:
                # Never "under" while heading over: the forecast says by how much.
                words += f" (forecast {percent(team.forecast / team.budget)} of budget)"
            rows.append(
                [
                    team.team,
                    "—" if team.budget is None else money(team.budget),
                    money(team.actual),
                    money(team.forecast),
                    "—" if team.budget is None else money(team.budget - team.forecast),
                    "" if team.used is None else percent(team.used),
                    words,
                ]
            )
            bars.append(
                BudgetBar(
                    team.team,
                    int(team.actual * 100),
                    None if team.budget is None else int(team.budget * 100),
                    int(team.forecast * 100),
                    status,
                )
            )
        self.table.rows = rows
        budgets = [t.budget for t in report.teams if t.budget is not None]
        total_budget = sum(budgets, Decimal(0))
        total_forecast = sum((t.forecast for t in report.teams), Decimal(0))
        self.table.total = (
            [
                "Total",
                money(total_budget) if budgets else "—",
                money(sum((t.actual for t in report.teams), Decimal(0))),
                money(total_forecast),
                money(total_budget - total_forecast) if budgets else "—",
                "",
                "",
            ]
            if rows
            else None
        )
        self.bars = bars[:CHART_TEAMS]
