"""The Dashboard page: the month's KPIs, cost by team over twelve months, budget vs actual, the
daily trend and the teams table."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from app.ui.daily_chart import DailyCostChart
from app.ui.month_page import MonthPage
from app.ui.presentation.dashboard import DashboardPresenter
from app.ui.presentation.formatting import month_label
from app.ui.team_charts import BudgetChart, StackedMonthsChart
from app.ui.widgets import FinanceTable, KpiCard, section_title

KPI_COLUMNS = 4


class DashboardPage(MonthPage):
    """A thin view over :class:`DashboardPresenter`."""

    presenter: DashboardPresenter
    team_chosen = Signal(str)
    team_month_chosen = Signal(str, str)
    """A team's part of a month in the twelve-month chart (the month, the team)."""
    """A team's row was clicked: open Explore on it."""

    def __init__(self, presenter: DashboardPresenter, parent: QWidget | None = None) -> None:
        super().__init__("", presenter, parent)
        layout = self.body
        self.empty = QLabel()
        self.empty.setObjectName("pageNote")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        kpis = QGridLayout()
        kpis.setSpacing(8)
        self.cards = [KpiCard() for _ in range(7)]
        for index, card in enumerate(self.cards):
            kpis.addWidget(card, index // KPI_COLUMNS, index % KPI_COLUMNS)
        for column in range(KPI_COLUMNS):
            kpis.setColumnStretch(column, 1)
        layout.addLayout(kpis)

        grid = QGridLayout()
        grid.setSpacing(8)
        self.months_title = section_title("Invoiced by team, last 12 months")
        grid.addWidget(self.months_title, 0, 0)
        grid.addWidget(section_title("Budget vs actual (largest teams)"), 0, 1)
        self.months_chart = StackedMonthsChart()
        self.budget_chart = BudgetChart()
        self.budget_chart.chosen.connect(self.team_chosen)
        self.months_chart.chosen.connect(self.team_month_chosen)
        grid.addWidget(self.months_chart, 1, 0)
        grid.addWidget(self.budget_chart, 1, 1)
        grid.addWidget(section_title("Teams"), 2, 0)
        self.daily_title = section_title("Daily usage cost")
        grid.addWidget(self.daily_title, 2, 1)
        self.team_table = FinanceTable(presenter.teams, stretch_minimum=120)
        self.team_table.setToolTip("Click a team to explore its cost")
        self.team_table.clicked.connect(lambda index: self._team_clicked(index.row()))
        self.chart = DailyCostChart()
        grid.addWidget(self.team_table, 3, 0)
        grid.addWidget(self.chart, 3, 1)
        for column in (0, 1):
            grid.setColumnStretch(column, 1)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(3, 3)
        for widget in (self.months_chart, self.budget_chart, self.chart):
            widget.setMinimumHeight(150)
        layout.addLayout(grid, 1)
        self.show_state()

    def _team_clicked(self, row: int) -> None:
        rows = self.presenter.teams.rows
        if 0 <= row < len(rows):
            self.team_chosen.emit(rows[row][0])

    def show_state(self) -> None:
        presenter = self.presenter
        self.title.setText(presenter.title)
        self.empty.setText(presenter.empty_text)
        self.empty.setVisible(bool(presenter.empty_text))
        for card, kpi in zip(self.cards, presenter.kpis, strict=False):
            card.show_kpi(kpi.label, kpi.value, kpi.warning, kpi.hint)
        for card in self.cards[len(presenter.kpis) :]:
            card.show_kpi("", "", False, "")
        self.months_chart.show_months(presenter.stacked)
        self.budget_chart.show_bars(presenter.budget_bars)
        month = month_label(presenter.period) if presenter.period else ""
        self.daily_title.setText(f"Daily usage cost, {month}" if month else "Daily usage cost")
        self.chart.show_series(presenter.daily, month)
        self.team_table.refresh()
