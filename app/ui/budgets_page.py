"""The Budgets page: budget vs actual and forecast per team for a month, as a chart and a
table with totals."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from app.ui.month_page import MonthPage
from app.ui.presentation.budgets import CHART_TEAMS, BudgetsPresenter
from app.ui.team_charts import BudgetChart
from app.ui.widgets import FinanceTable, section_title


class BudgetsPage(MonthPage):
    """A thin view over :class:`BudgetsPresenter`."""

    presenter: BudgetsPresenter
    team_chosen = Signal(str)
    """A team's bar was clicked: open Explore on it."""

    def __init__(self, presenter: BudgetsPresenter, parent: QWidget | None = None) -> None:
        super().__init__("Budgets", presenter, parent)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("pageNote")
        self.body.addWidget(self.note)
        self.body.addWidget(
            section_title(f"Budget, actual and forecast (the {CHART_TEAMS} largest teams)")
        )
        self.chart = BudgetChart(forecast=True)
        self.chart.chosen.connect(self.team_chosen)
        self.chart.setMinimumHeight(170)
        self.body.addWidget(self.chart, 2)
        self.table = FinanceTable(presenter.table)
        self.body.addWidget(self.table, 3)
        self.show_state()

    def show_state(self) -> None:
        self.note.setText(self.presenter.note)
        self.chart.show_bars(self.presenter.bars)
        self.table.refresh()
