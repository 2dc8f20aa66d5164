"""The Budgets page: budget vs actual and forecast per team for a month, as a chart and a
table with totals."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app.ui.month_page import MonthPage
from app.ui.presentation.budgets import CHART_TEAMS, BudgetsPresenter
from app.ui.team_charts import BudgetChart
from app.ui.widgets import FinanceTable, section_title


class BudgetsPage(MonthPage):
    """A thin view over :class:`BudgetsPresenter`."""

    presenter: BudgetsPresenter
    team_chosen = Signal(str)
    """A team's bar was clicked: open Explore on it."""
    edit_requested = Signal()
    """Edit budgets… was clicked: the window opens the budgets grid."""

    def __init__(self, presenter: BudgetsPresenter, parent: QWidget | None = None) -> None:
        super().__init__("Budgets", presenter, parent)
        self.edit_button = QPushButton("Edit budgets…")
        self.edit_button.setToolTip(
            "Team budgets by month: type, suggest from a month, or import a CSV"
        )
        self.edit_button.clicked.connect(self.edit_requested)
        self.header.insertWidget(1, self.edit_button)
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

    def write_controls(self) -> list[QWidget]:
        """The controls that change the workspace (greyed for a read-only workspace)."""
        return [self.edit_button]

    def show_state(self) -> None:
        self.note.setText(self.presenter.note)
        self.chart.show_bars(self.presenter.bars)
        self.table.refresh()
