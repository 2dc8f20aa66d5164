"""The Invoices page: a month's invoices, the lines and trail of the chosen one, closing."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.presentation.invoices import InvoicesPresenter
from app.ui.widgets import FinanceTable, section_title


class InvoicesPage(QWidget):
    """A thin view over :class:`InvoicesPresenter`."""

    def __init__(self, presenter: InvoicesPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.presenter = presenter
        self.confirm = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        header = QHBoxLayout()
        title = QLabel("Invoices")
        title.setObjectName("pageTitle")
        self.month = QComboBox()
        self.month.setMinimumWidth(170)
        self.month.currentIndexChanged.connect(self._month_chosen)
        self.close_button = QPushButton("Close month…")
        self.close_button.clicked.connect(self.close_month)
        header.addWidget(title, 1)
        header.addWidget(QLabel("Month:"))
        header.addWidget(self.month)
        header.addWidget(self.close_button)
        layout.addLayout(header)
        self.status = QLabel()
        self.status.setStyleSheet("color: #5b6675;")
        layout.addWidget(self.status)
        layout.addWidget(section_title("Invoices of the month"))
        self.table = FinanceTable(presenter.invoices)
        self.table.clicked.connect(lambda index: self._chosen(index.row()))
        layout.addWidget(self.table, 3)
        self.lines_title = section_title("Lines")
        layout.addWidget(self.lines_title)
        self.lines = FinanceTable(presenter.lines)
        layout.addWidget(self.lines, 2)
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

    def _chosen(self, row: int) -> None:
        if row < len(self.presenter.invoices.rows):
            self.presenter.select(row)
            self.show_state()

    def reload(self) -> None:
        self.presenter.reload()
        self._fill_months()
        self.show_state()

    def close_month(self) -> None:
        if self.confirm:
            answer = QMessageBox.question(
                self,
                "Close month",
                "Closing numbers and freezes every invoice of the month; later usage becomes "
                "a prior-period line next month. Close it?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        message = self.presenter.close_month()
        self.show_state()
        if self.confirm:
            QMessageBox.information(self, "Close month", message)

    def show_state(self) -> None:
        self.status.setText(self.presenter.status_text)
        self.close_button.setEnabled(self.presenter.can_close)
        invoices = (self.presenter.document or {}).get("invoices", [])
        if invoices and self.presenter.selected < len(invoices):
            chosen = invoices[self.presenter.selected]
            self.lines_title.setText(f"Lines of {chosen['team']} — {chosen['number'] or 'DRAFT'}")
        self.table.refresh()
        self.lines.refresh()
        if invoices:
            self.table.selectRow(self.presenter.selected)
