"""Pools and settings → Exchange rates: the monthly rates into the company's own currency,
each with its source; set one, or import a CSV (period, currency, rate, source)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.exchange_rates import RatesRejected
from app.services.workspaces import Workspace
from app.ui.presentation.rates import RatesPresenter
from app.ui.widgets import FinanceTable
from app.ui.workers import WorkerSet


class RatesTab(QWidget):
    """Rates load and save on workers; a refusal lists every problem, and nothing changes."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = RatesPresenter(workspace)
        self.workers = WorkerSet()
        row = QHBoxLayout(self)
        left = QVBoxLayout()
        note = QLabel(
            "A closed month is converted once, at its rate, into the company's currency "
            "(setting Company currency); a rate changed later never changes a closed month."
        )
        note.setWordWrap(True)
        note.setObjectName("pageNote")
        left.addWidget(note)
        self.table = FinanceTable(self.presenter.table, stretch_column=3)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        left.addWidget(self.table, 1)
        row.addLayout(left, 1)
        box = QWidget()
        box.setMaximumWidth(360)
        form = QFormLayout(box)
        self.month = QLineEdit()
        self.month.setPlaceholderText("YYYY-MM")
        self.currency = QLineEdit()
        self.currency.setPlaceholderText("EUR")
        self.rate = QLineEdit()
        self.rate.setPlaceholderText("per USD, decimal point: 0.9215")
        self.source = QLineEdit()
        self.source.setPlaceholderText("e.g. ECB reference rate, 30 Nov 2026")
        form.addRow("Month:", self.month)
        form.addRow("Currency:", self.currency)
        form.addRow("Rate:", self.rate)
        form.addRow("Source:", self.source)
        buttons = QHBoxLayout()
        self.import_button = QPushButton("Import CSV…")
        self.import_button.clicked.connect(self.choose_csv)
        self.save_button = QPushButton("Save rate")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        form.addRow(self.status)
        row.addWidget(box)
        self.load()

    def write_controls(self) -> list[QWidget]:
        """The controls that change the workspace (greyed for a read-only workspace)."""
        return [self.import_button, self.save_button]

    def _run(self, task, done) -> None:  # type: ignore[no-untyped-def]
        self.workers.start(task, done, self._failed)

    def load(self) -> None:
        self._run(self.presenter.fetch, self._loaded)

    def _loaded(self, rates: object) -> None:
        self.presenter.apply(rates)  # type: ignore[arg-type]
        self.table.refresh()

    def _chosen(self, *_args: object) -> None:
        rows = self.table.selected_rows()
        rate = self.presenter.rate_at(rows[0]) if rows else None
        if rate is not None:
            self.month.setText(rate.period)
            self.currency.setText(rate.currency)
            self.rate.setText(rate.rate)
            self.source.setText(rate.source)

    def save(self) -> None:
        task = self.presenter.set_task(
            self.month.text(), self.currency.text(), self.rate.text(), self.source.text()
        )
        self._run(_checked(task), self._saved)

    def choose_csv(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Exchange rates", "", "CSV files (*.csv)")
        if name:
            self.import_csv(Path(name))

    def import_csv(self, path: Path) -> None:
        self._run(_checked(self.presenter.import_task(path)), self._saved)

    def _saved(self, message: object) -> None:
        self._say(str(message), "pageNote")
        self.load()

    def _failed(self, message: str) -> None:
        self._say(message, "warningNote")

    def _say(self, text: str, style: str) -> None:
        self.status.setObjectName(style)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        self.workers.wait(milliseconds)


def _checked(task):  # type: ignore[no-untyped-def]
    """``task`` with a refusal told as its every problem, one per line."""

    def run() -> object:
        try:
            return task()
        except RatesRejected as exc:
            raise ValueError("\n".join(exc.problems)) from None

    return run
