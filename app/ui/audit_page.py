"""The Audit log page: who changed what and when, filterable by kind and words; the chosen
entry's before and after in full below. Read on a worker when shown after a change."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.audit_trail import AuditEntry
from app.ui.presentation.audit import KINDS, AuditPresenter
from app.ui.widgets import FinanceTable
from app.ui.workers import TaskWorker


class AuditPage(QWidget):
    """A thin view over :class:`AuditPresenter`."""

    loaded = Signal()
    load_failed = Signal(str)

    def __init__(self, presenter: AuditPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.presenter = presenter
        self.dirty = True
        self._current: TaskWorker | None = None
        self._workers: set[TaskWorker] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        header = QHBoxLayout()
        title = QLabel("Audit log")
        title.setObjectName("pageTitle")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(90, 8)
        self.busy.hide()
        self.kind = QComboBox()
        self.kind.addItems(list(KINDS))
        self.kind.currentTextChanged.connect(self._filter)
        self.words = QLineEdit()
        self.words.setPlaceholderText("Filter: words in who, what or the change")
        self.words.setClearButtonEnabled(True)
        self.words.setMinimumWidth(240)
        self.words.textChanged.connect(self._filter)
        header.addWidget(title, 1)
        header.addWidget(self.busy)
        header.addWidget(self.kind)
        header.addWidget(self.words)
        layout.addLayout(header)
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

    @property
    def loading(self) -> bool:
        return bool(self._workers)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def ensure_loaded(self) -> None:
        if self.dirty:
            self.load()

    def load(self) -> None:
        self.dirty = False
        presenter = self.presenter
        worker = TaskWorker(lambda _progress, _cancel: presenter.fetch())
        worker.finished.connect(self._fetched)
        worker.failed.connect(self._failed)
        worker.ended.connect(self._reap)
        self._workers.add(worker)
        self._current = worker
        self.busy.show()
        worker.start()

    def _fetched(self, entries: list[AuditEntry]) -> None:
        if self.sender() is not self._current:
            return  # a newer read is on its way
        self.busy.hide()
        self.presenter.apply(entries)
        self._show()
        self.loaded.emit()

    def _failed(self, message: str) -> None:
        self.busy.hide()
        self.load_failed.emit(message)

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

    def _reap(self) -> None:
        for worker in list(self._workers):
            if worker.is_ended:
                worker.wait()
                self._workers.discard(worker)

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        for worker in list(self._workers):
            worker.wait(milliseconds)
