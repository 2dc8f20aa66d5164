"""Dashboard state: the chosen month, its KPIs, cost by model, cost by key, and daily cost."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field

from app.services.reporting import CostReport, cost_report
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import (
    count,
    count_or_dash,
    dimension,
    money_from_cents,
    month_label,
)
from app.ui.presentation.monthly import MonthlyPresenter
from app.ui.presentation.table import Column, TableState

KEY_DIMENSIONS = ["api_key", "api_key_id", "workspace", "workspace_id"]


@dataclass(frozen=True)
class Kpi:
    """One figure of the KPI strip."""

    label: str
    value: str
    warning: bool = False
    hint: str = ""


@dataclass
class DailySeries:
    """Cost per day of the month, every day present (zero when no usage)."""

    days: list[int] = field(default_factory=list)
    cents: list[int] = field(default_factory=list)


class DashboardPresenter(MonthlyPresenter):
    """Loads the month's figures through the services; views read the public attributes."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.kpis: list[Kpi] = []
        self.by_model = TableState(
            [
                Column("Model"),
                Column("Requests", True),
                Column("Input tokens", True),
                Column("Output tokens", True),
                Column("Cost", True),
            ]
        )
        self.by_key = TableState(
            [Column("API key"), Column("Workspace"), Column("Requests", True), Column("Cost", True)]
        )
        self.daily = DailySeries()
        self._apply(None)

    @property
    def title(self) -> str:
        return self.workspace.name

    def _fetch(self, period: str) -> tuple[CostReport, CostReport, CostReport]:
        return (
            cost_report(self.workspace, period, ["model"]),
            cost_report(self.workspace, period, KEY_DIMENSIONS),
            cost_report(self.workspace, period, ["day"]),
        )

    def _apply(self, data: tuple[CostReport, CostReport, CostReport] | None) -> None:
        if data is None or self.period is None:
            self.kpis = [Kpi("Total cost", "—"), Kpi("Requests", "—"), Kpi("Unpriced lines", "—")]
            self.by_model.rows, self.by_model.total = [], None
            self.by_key.rows, self.by_key.total = [], None
            self.daily = DailySeries()
            return
        models, keys, days = data
        requests = sum(r.counts["requests"] for r in models.rows)
        unpriced = models.unpriced_lines
        self.kpis = [
            Kpi(f"Total cost, {month_label(self.period)}", money_from_cents(models.total_cents)),
            Kpi("Requests", count(requests)),
            Kpi("Models", count(len(models.rows))),
            Kpi(
                "Unpriced lines",
                count(unpriced),
                warning=unpriced > 0,
                hint=(
                    f"No price for {', '.join(models.unpriced_models)}: add a price-book entry"
                    if unpriced
                    else "Every line is priced"
                ),
            ),
        ]
        self.by_model.rows = [
            [
                dimension(r.group["model"]),
                count_or_dash(r.counts["requests"]),
                count(r.counts["input_tokens"]),
                count(r.counts["output_tokens"]),
                money_from_cents(r.cents) + (" *" if r.unpriced_lines else ""),
            ]
            for r in models.rows
        ]
        self.by_model.total = [
            "Total",
            count(requests),
            count(sum(r.counts["input_tokens"] for r in models.rows)),
            count(sum(r.counts["output_tokens"] for r in models.rows)),
            money_from_cents(models.total_cents),
        ]
        self.by_key.rows = [
            [
                r.group["api_key"] or r.group["api_key_id"] or "(no key in the source)",
                dimension(r.group["workspace"] or r.group["workspace_id"]),
                count_or_dash(r.counts["requests"]),
                money_from_cents(r.cents),
            ]
            for r in keys.rows
        ]
        self.by_key.total = ["Total", "", count(requests), money_from_cents(keys.total_cents)]
        year, month = (int(p) for p in self.period.split("-"))
        per_day = {int(r.group["day"][8:10]): r.cents for r in days.rows}
        length = calendar.monthrange(year, month)[1]
        self.daily = DailySeries(
            list(range(1, length + 1)), [per_day.get(d, 0) for d in range(1, length + 1)]
        )
