"""The Invoices page: a month's invoices, the lines and trail of the chosen one, closing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

from app.ui.month_page import MonthPage
from app.ui.presentation.invoices import InvoicesPresenter
from app.ui.widgets import FinanceTable, section_title


class InvoicesPage(MonthPage):
    """A thin view over :class:`InvoicesPresenter`."""

    presenter: InvoicesPresenter

    def __init__(self, presenter: InvoicesPresenter, parent: QWidget | None = None) -> None:
        super().__init__("Invoices", presenter, parent)
        self.confirm = True
        self.close_button = QPushButton("Close month…")
        self.close_button.clicked.connect(self.close_month)
        self.header.addWidget(self.close_button)
        self.status = QLabel()
        self.status.setObjectName("pageNote")
        self.body.addWidget(self.status)
        self.body.addWidget(section_title("Invoices of the month"))
        self.table = FinanceTable(presenter.invoices)
        self.table.clicked.connect(lambda index: self._chosen(index.row()))
        self.body.addWidget(self.table, 3)
        self.lines_title = section_title("Lines")
        self.body.addWidget(self.lines_title)
        self.lines = FinanceTable(presenter.lines)
        self.body.addWidget(self.lines, 2)
        self.fill_months()
        self.show_state()

    def _chosen(self, row: int) -> None:
        if row < len(self.presenter.invoices.rows):
            self.presenter.select(row)
            self.show_state()

    def close_month(self) -> None:
        if self.confirm:
            answer = QMessageBox.question(
                self,
                "Close month",
                self.presenter.close_question(),
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
