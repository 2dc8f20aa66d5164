"""The Invoices page: a month's invoices, the lines and trail of the chosen one, closing."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

from app.ui.month_page import MonthPage
from app.ui.presentation.invoices import InvoicesPresenter
from app.ui.widgets import FinanceTable, section_title
from app.ui.workers import TaskWorker


class InvoicesPage(MonthPage):
    """A thin view over :class:`InvoicesPresenter`."""

    presenter: InvoicesPresenter
    workspace_changed = Signal()
    """A month was closed: every page shows something new."""

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
        # The current row, however it moves (click, arrow keys), chooses the invoice shown.
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._chosen(current.row())
        )
        self.body.addWidget(self.table, 3)
        self.lines_title = section_title("Lines")
        self.body.addWidget(self.lines_title)
        self.lines = FinanceTable(presenter.lines)
        self.body.addWidget(self.lines, 2)
        self.show_state()

    def _chosen(self, row: int) -> None:
        if 0 <= row < len(self.presenter.invoices.rows) and row != self.presenter.selected:
            self.presenter.select(row)
            self._show_lines()

    def close_month(self) -> None:
        if self.confirm:
            answer = QMessageBox.question(
                self,
                "Close month",
                self.presenter.close_question(),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        task = self.presenter.close_task()
        self.close_button.setEnabled(False)
        self.busy.show()
        self._closing = TaskWorker(lambda _progress, _cancel: task())
        self._closing.finished.connect(self._closed)
        self._closing.failed.connect(self._closed)
        self._closing.start()

    def _closed(self, message: str) -> None:
        self._closing.wait()
        self.dirty = True
        self.workspace_changed.emit()
        self.ensure_loaded()
        if self.confirm:
            QMessageBox.information(self, "Close month", message)

    def show_state(self) -> None:
        self.status.setText(self.presenter.status_text)
        self.close_button.setEnabled(self.presenter.can_close)
        self.table.refresh()
        if self.presenter.invoices.rows:
            self.table.selectRow(self.presenter.selected)
        self._show_lines()

    def _show_lines(self) -> None:
        invoices = (self.presenter.document or {}).get("invoices", [])
        if invoices and self.presenter.selected < len(invoices):
            chosen = invoices[self.presenter.selected]
            self.lines_title.setText(f"Lines of {chosen['team']} — {chosen['number'] or 'DRAFT'}")
        else:
            self.lines_title.setText("Lines")
        self.lines.refresh()
