"""Insights page state (Qt-free): unit economics per team with their change on last month,
the savings levers in dollars with their assumptions, and the month's anomalies with the key
or person that drove each."""

from __future__ import annotations

from decimal import Decimal

from app.services.insights import Insights, month_insights
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import money, percent
from app.ui.presentation.monthly import MonthlyPresenter
from app.ui.presentation.table import Column, TableState

LEVER_WORDS = {
    "routing": "Route to a smaller model",
    "caching": "Cache prompts",
    "batch": "Batch API",
}


def _share(value: Decimal | None) -> str:
    return "—" if value is None else percent(value)


def _change(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return percent(value, signed=True)


class InsightsPresenter(MonthlyPresenter):
    """Reads the month's insights through the service; views read the tables."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.teams = TableState(
            [
                Column("Team"),
                Column("Cost", True),
                Column("Δ cost", True),
                Column("Per request", True),
                Column("Δ per request", True),
                Column("Cache hit", True),
                Column("Batch", True),
            ],
            empty_text="No usage this month",
        )
        self.savings = TableState(
            [Column("Team"), Column("Lever"), Column("Estimated saving", True), Column("Assuming")],
            empty_text="No savings lever found: the usage is already lean",
        )
        self.anomalies = TableState(
            [
                Column("Day"),
                Column("Team or model"),
                Column("Cost", True),
                Column("Usual", True),
                Column("Driven by"),
            ],
            empty_text="No day far above its usual cost",
        )
        self.savings_total = ""

    def _fetch(self, period: str) -> Insights:
        return month_insights(self.workspace, period)

    def _apply(self, insights: Insights | None) -> None:
        if insights is None:
            for table in (self.teams, self.savings, self.anomalies):
                table.rows, table.total = [], None
            self.savings_total = ""
            return
        self.teams.rows = []
        for team in insights.teams:
            figures, change = team.figures, team.change
            per_request = figures["cost_per_request"]
            self.teams.rows.append(
                [
                    team.team,
                    money(figures["cost"] or Decimal(0)),
                    _change(change.get("cost")),
                    "—" if per_request is None else money(per_request, 4),
                    _change(change.get("cost_per_request")),
                    _share(figures["cache_hit_rate"]),
                    _share(figures["batch_share"]),
                ]
            )
        total = sum((t.figures["cost"] or Decimal(0) for t in insights.teams), Decimal(0))
        self.teams.total = ["Total", money(total), "", "", "", "", ""]
        ordered = sorted(insights.savings, key=lambda s: (-s.amount, s.team, s.lever))
        self.savings.rows = [
            [
                s.team,
                LEVER_WORDS.get(s.lever, s.lever),
                money(s.amount),
                s.assumption,
            ]
            for s in ordered
        ]
        saved = sum((s.amount for s in insights.savings), Decimal(0))
        self.savings.total = ["Total", "", money(saved), ""] if ordered else None
        self.savings_total = money(saved)
        self.anomalies.rows = [
            [
                a.day,
                a.subject,
                money(a.cost),
                money(a.baseline),
                f"{a.driver} ({money(a.driver_cost)})",
            ]
            for a in sorted(insights.anomalies, key=lambda a: (a.day, a.subject))
        ]
