"""The Budgets page: budget vs actual and forecast per team for a month."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.ui.presentation.budgets import BudgetsPresenter
from app.ui.widgets import FinanceTable


class BudgetsPage(QWidget):
    """A thin view over :class:`BudgetsPresenter`."""

    def __init__(self, presenter: BudgetsPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.presenter = presenter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        header = QHBoxLayout()
        title = QLabel("Budgets")
        title.setObjectName("pageTitle")
        self.month = QComboBox()
        self.month.setMinimumWidth(170)
        self.month.currentIndexChanged.connect(self._month_chosen)
        header.addWidget(title, 1)
        header.addWidget(QLabel("Month:"))
        header.addWidget(self.month)
        layout.addLayout(header)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #5b6675;")
        layout.addWidget(self.note)
        self.table = FinanceTable(presenter.table)
        layout.addWidget(self.table, 1)
        self._fill_months()
        self.show_state()

    def _fill_months(self) -> None:
        self.month.blockSignals(True)
        self.month.clear()
        for period, label in zip(
            self.presenter.periods, self.presenter.month_labels(), strict=True
        ):
            self.month.addItem(label, period)
        if self.presenter.period in self.presenter.periods:
            self.month.setCurrentIndex(self.presenter.periods.index(self.presenter.period))
        self.month.blockSignals(False)

    def _month_chosen(self, index: int) -> None:
        if index >= 0:
            self.presenter.select_period(self.month.itemData(index))
            self.show_state()

    def reload(self) -> None:
        self.presenter.reload()
        self._fill_months()
        self.show_state()

    def show_state(self) -> None:
        self.note.setText(self.presenter.note)
        self.table.refresh()
