"""The Budgets page: budget vs actual and forecast per team for a month."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from app.ui.month_page import MonthPage
from app.ui.presentation.budgets import BudgetsPresenter
from app.ui.widgets import FinanceTable


class BudgetsPage(MonthPage):
    """A thin view over :class:`BudgetsPresenter`."""

    presenter: BudgetsPresenter

    def __init__(self, presenter: BudgetsPresenter, parent: QWidget | None = None) -> None:
        super().__init__("Budgets", presenter, parent)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("pageNote")
        self.body.addWidget(self.note)
        self.table = FinanceTable(presenter.table)
        self.body.addWidget(self.table, 1)
        self.show_state()

    def show_state(self) -> None:
        self.note.setText(self.presenter.note)
        self.table.refresh()
