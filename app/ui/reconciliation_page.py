"""The Reconciliation page: usage re-priced vs the cost report vs the provider's invoice for a
month, by model and token type (variances over a cent in amber), the sources used, and the
known gaps named."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QListWidget, QWidget

from app.ui.month_page import MonthPage
from app.ui.presentation.reconciliation import ReconciliationPresenter
from app.ui.widgets import FinanceTable, section_title


class ReconciliationPage(MonthPage):
    """A thin view over :class:`ReconciliationPresenter`."""

    presenter: ReconciliationPresenter

    def __init__(self, presenter: ReconciliationPresenter, parent: QWidget | None = None) -> None:
        super().__init__("Reconciliation", presenter, parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        self.table = FinanceTable(presenter.table, stretch_column=1, stretch_minimum=200)
        self.body.addWidget(self.table, 3)
        self.body.addWidget(section_title("Known gaps"))
        self.gaps = QListWidget()
        self.gaps.setWordWrap(True)
        self.body.addWidget(self.gaps, 1)
        self.show_state()

    def show_state(self) -> None:
        self.summary.setText("\n".join(self.presenter.summary))
        self.table.refresh()
        self.gaps.clear()
        self.gaps.addItems(self.presenter.gaps)
