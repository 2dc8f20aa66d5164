"""The Invoices page: a month's invoices, the lines and trail of the chosen one, what the
Unallocated cost is made of; closing, reopening and exporting the month (each on a worker)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QWidget,
)

from app.services.exports import export_period
from app.ui.month_page import MonthPage
from app.ui.presentation.invoices import EXPORT_KINDS, InvoicesPresenter
from app.ui.widgets import FinanceTable, section_title
from app.ui.workers import TaskWorker


def export_task(presenter: InvoicesPresenter, kind: str, out: Path) -> Callable[[], Path]:
    """Writing one export of the chosen month, for a worker thread."""
    workspace, period = presenter.workspace, presenter.period

    def write() -> Path:
        if period is None:
            raise ValueError("no month to export")
        if kind == "pdf":
            from app.ui.pdf_invoices import export_pdf_invoices

            return export_pdf_invoices(workspace, period, out)
        if kind.startswith("report"):
            from app.ui.monthly_report import export_monthly_report

            return export_monthly_report(workspace, period, out)
        return export_period(workspace, kind, period, out)

    return write


class InvoicesPage(MonthPage):
    """A thin view over :class:`InvoicesPresenter`."""

    presenter: InvoicesPresenter
    workspace_changed = Signal()
    """A month was closed or reopened: every page shows something new."""
    exported = Signal(str)
    """An export was written (its path), or failed (the message starts with "Not")."""

    def __init__(self, presenter: InvoicesPresenter, parent: QWidget | None = None) -> None:
        super().__init__("Invoices", presenter, parent)
        self.confirm = True
        self._task: TaskWorker | None = None
        self.export_button = QToolButton()
        self.export_button.setText("Export ▾")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        for kind, (label, _suffix) in EXPORT_KINDS.items():
            menu.addAction(label + "…", lambda kind=kind: self.choose_export(kind))
        self.export_button.setMenu(menu)
        self.reopen_button = QPushButton("Reopen…")
        self.reopen_button.clicked.connect(self.reopen_month)
        self.close_button = QPushButton("Close month…")
        self.close_button.clicked.connect(self.close_month)
        for button in (self.export_button, self.reopen_button, self.close_button):
            self.header.addWidget(button)
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
        self.lines = FinanceTable(presenter.lines, stretch_column=3, stretch_minimum=200)
        self.body.addWidget(self.lines, 2)
        self.show_state()

    def write_controls(self) -> list[QWidget]:
        """The controls that change the workspace (greyed for a read-only workspace)."""
        return [self.close_button, self.reopen_button]

    def _chosen(self, row: int) -> None:
        if 0 <= row < len(self.presenter.invoices.rows) and row != self.presenter.selected:
            self.presenter.select(row)
            if self.presenter.unallocated_selected and self.presenter.unmapped is None:
                self._run(self.presenter.unmapped_task(), self._unmapped_read)
            self._show_lines()

    def _unmapped_read(self, values: object) -> None:
        self._finish_task()
        self.busy.hide()
        if isinstance(values, list):
            self.presenter.show_unmapped(values)
            self._show_lines()

    def _run(self, task: Callable[[], object], done: Callable[[object], None]) -> None:
        """``task`` on a worker thread; ``done(result)`` on the UI thread."""
        self._finish_task()
        self._task = TaskWorker(lambda _progress, _cancel: task())
        self._task.finished.connect(done)
        self._task.failed.connect(done)
        self.busy.show()
        self._task.start()

    def _finish_task(self) -> None:
        if self._task is not None:
            self._task.wait()
            self._task = None

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        super().wait_for_workers(milliseconds)
        self._finish_task()

    def close_month(self) -> None:
        if self.confirm:
            answer = QMessageBox.question(self, "Close month", self.presenter.close_question())
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.close_button.setEnabled(False)
        self._run(self.presenter.close_task(), self._changed)

    def reopen_month(self, reason: str | None = None) -> None:
        if reason is None:
            reason, ok = QInputDialog.getText(
                self,
                "Reopen month",
                "Reopening makes the invoices drafts again (the frozen ones stay in the audit "
                "log).\nWhy is it reopened?",
            )
            if not ok:
                return
        self.reopen_button.setEnabled(False)
        self._run(self.presenter.reopen_task(reason), self._changed)

    def _changed(self, message: object) -> None:
        self._finish_task()
        self.busy.hide()
        self.dirty = True
        self.workspace_changed.emit()
        self.ensure_loaded()
        if self.confirm:
            QMessageBox.information(self, "Invoices", str(message))

    def choose_export(self, kind: str, out: Path | None = None) -> None:
        """Ask where (unless ``out`` is given), then write the export on a worker."""
        if self.presenter.period is None:
            return
        if out is None:
            label, suffix = EXPORT_KINDS[kind]
            name, _ = QFileDialog.getSaveFileName(
                self, f"Export {label}", self.presenter.export_name(kind), f"{label} (*.{suffix})"
            )
            if not name:
                return
            out = Path(name)
        self.export_button.setEnabled(False)
        self._run(export_task(self.presenter, kind, out), self._export_done)

    def _export_done(self, result: object) -> None:
        self._finish_task()
        self.busy.hide()
        self.export_button.setEnabled(True)
        if not isinstance(result, Path):
            self.exported.emit(f"Not exported: {result}")
            if self.confirm:
                QMessageBox.warning(self, "Export", f"Not exported: {result}")
            return
        self.exported.emit(str(result))
        if self.confirm:
            box = QMessageBox(self)
            box.setWindowTitle("Export")
            box.setText(f"Written: {result}")
            folder = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
            box.addButton(QMessageBox.StandardButton.Close)
            box.exec()
            if box.clickedButton() is folder:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.parent)))

    def show_state(self) -> None:
        self.status.setText(self.presenter.status_text)
        self.close_button.setEnabled(self.presenter.can_close)
        self.reopen_button.setEnabled(self.presenter.can_reopen)
        self.export_button.setEnabled(self.presenter.period is not None)
        self.table.refresh()
        if self.presenter.invoices.rows:
            self.table.selectRow(self.presenter.selected)
        self._show_lines()

    def _show_lines(self) -> None:
        invoices = (self.presenter.document or {}).get("invoices", [])
        if self.presenter.unallocated_selected:
            self.lines_title.setText("Unallocated — the biggest unmapped values (map them next)")
        elif invoices and self.presenter.selected < len(invoices):
            chosen = invoices[self.presenter.selected]
            self.lines_title.setText(f"Lines of {chosen['team']} — {chosen['number'] or 'DRAFT'}")
        else:
            self.lines_title.setText("Lines")
        self.lines.refresh()
