"""The Audit log page: who changed what and when, filterable by kind and words; the chosen
entry's before and after in full below. Read on a worker when shown after a change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QWidget,
)

from app.services.audit_trail import AuditEntry
from app.ui.loaded_page import LoadedPage
from app.ui.presentation.audit import KINDS, AuditPresenter
from app.ui.widgets import FinanceTable


class AuditPage(LoadedPage):
    """A thin view over :class:`AuditPresenter`."""

    def __init__(self, presenter: AuditPresenter, parent: QWidget | None = None) -> None:
        super().__init__("Audit log", parent)
        self.presenter = presenter
        layout, header = self.body, self.header
        self.kind = QComboBox()
        self.kind.addItems(list(KINDS))
        self.kind.currentTextChanged.connect(self._filter)
        self.words = QLineEdit()
        self.words.setPlaceholderText("Filter: words in who, what or the change")
        self.words.setClearButtonEnabled(True)
        self.words.setMinimumWidth(240)
        self.words.textChanged.connect(self._filter)
        header.addWidget(self.kind)
        header.addWidget(self.words)
        self.note = QLabel()
        self.note.setObjectName("pageNote")
        layout.addWidget(self.note)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = FinanceTable(presenter.table, stretch_column=3, stretch_minimum=260)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        split.addWidget(self.table)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Choose a change to read it in full.")
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)

    def fetch(self) -> list[AuditEntry]:
        return self.presenter.fetch()

    def show_load(self, entries: list[AuditEntry]) -> None:  # type: ignore[override]
        self.presenter.apply(entries)
        self._show()

    def _filter(self, *_args: object) -> None:
        self.presenter.set_filter(self.kind.currentText(), self.words.text())
        self._show()

    def _show(self) -> None:
        self.note.setText(self.presenter.note)
        self.table.refresh()
        self.detail.clear()

    def _chosen(self, *_args: object) -> None:
        rows = self.table.selected_rows()
        self.detail.setPlainText("\n".join(self.presenter.details_of(rows[0] if rows else -1)))
