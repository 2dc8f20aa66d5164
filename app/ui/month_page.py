"""The frame of a month-based page: title, month selector, busy indicator, and loading on a
worker thread.

A page loads when it is shown and something changed since it last loaded (a workspace change
marks every page; the visible one reloads at once). The fetch runs on a worker thread through
:meth:`MonthlyPresenter.fetch`; the UI thread only takes the result and paints. A result that a
newer request overtook is dropped.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.progress import CancelToken, ProgressCallback
from app.services.period_cache import without_cycle_collection
from app.ui.presentation.monthly import MonthLoad, MonthlyPresenter
from app.ui.workers import TaskWorker


class MonthPage(QWidget):
    """Subclasses add their widgets to ``self.body`` and implement ``show_state``."""

    loaded = Signal()
    """A fetch was taken in and painted."""
    load_failed = Signal(str)

    def __init__(
        self, title: str, presenter: MonthlyPresenter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.presenter = presenter
        self.dirty = True
        self._generation = 0
        self._wanted_period: str | None = None
        self._workers: set[TaskWorker] = set()
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(18, 14, 18, 14)
        self.body.setSpacing(10)
        self.header = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setObjectName("pageTitle")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(90, 8)
        self.busy.setToolTip("Loading…")
        self.busy.hide()
        self.month = QComboBox()
        self.month.setMinimumWidth(170)
        self.month.currentIndexChanged.connect(self._month_chosen)
        self.header.addWidget(self.title, 1)
        self.header.addWidget(self.busy)
        self.header.addWidget(QLabel("Month:"))
        self.header.addWidget(self.month)
        self.body.addLayout(self.header)

    @property
    def loading(self) -> bool:
        return bool(self._workers)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def ensure_loaded(self) -> None:
        """Load unless what is shown is still the workspace's state."""
        if self.dirty:
            self.load()

    def want_period(self, period: str) -> None:
        """Show ``period`` from the next load on (a drill from another page's month)."""
        if period != self.presenter.period:
            self._wanted_period = period
            self.dirty = True

    def mark_changed(self) -> None:
        """The workspace changed: reload now if on screen, else when next shown."""
        self.dirty = True
        if self.isVisible():
            self.load()

    def load(self, period: str | None = None) -> None:
        """Fetch ``period`` (or the month shown) on a worker; paint when it arrives."""
        self.dirty = False
        self._generation += 1
        generation = self._generation
        if period is not None:
            self._wanted_period = None  # the user's own choice
        wanted = period or self._wanted_period or self.presenter.period
        presenter = self.presenter

        def fetch(_progress: ProgressCallback, _cancel: CancelToken) -> tuple[int, MonthLoad]:
            # No cycle collection while the month is read: a collection would hold the
            # interpreter, and with it the UI thread, for as long as it walks the heap.
            with without_cycle_collection():
                return generation, presenter.fetch(wanted)

        worker = TaskWorker(fetch)
        worker.finished.connect(self._fetched)
        worker.failed.connect(self._fetch_failed)
        worker.ended.connect(self._reap)
        self._workers.add(worker)
        self.busy.show()
        worker.start()

    def _reap(self) -> None:
        """Forget the workers whose thread has ended (on the UI thread, after it ended)."""
        for worker in list(self._workers):
            if worker.is_ended:
                worker.wait()
                self._workers.discard(worker)

    def _fetched(self, result: tuple[int, MonthLoad]) -> None:
        generation, load = result
        if generation != self._generation:
            self.presenter.discard(load)
            return  # a newer request is on its way
        self.busy.hide()
        self._wanted_period = None
        self.presenter.apply(load)
        self.fill_months()
        self.show_state()
        # What a month's computation keeps (cached results, the page's state) lives long: the
        # cycle collector need not walk it again. A full collection over it holds the
        # interpreter for hundreds of milliseconds — a freeze of the window while a worker
        # allocates. Objects still go when nothing refers to them.
        gc.freeze()
        self.loaded.emit()

    def _fetch_failed(self, message: str) -> None:
        self.busy.hide()
        self.load_failed.emit(message)

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        """Let running fetches finish (closing the window or the workspace)."""
        for worker in list(self._workers):
            worker.wait(milliseconds)

    def fill_months(self) -> None:
        self.month.blockSignals(True)
        self.month.clear()
        for period, label in zip(
            self.presenter.periods, self.presenter.month_labels(), strict=True
        ):
            self.month.addItem(label, period)
        if self.presenter.period in self.presenter.periods:
            self.month.setCurrentIndex(self.presenter.periods.index(self.presenter.period))
        self.month.setEnabled(bool(self.presenter.periods))
        self.month.blockSignals(False)

    def _month_chosen(self, index: int) -> None:
        if index >= 0:
            self.load(self.month.itemData(index))

    def reload(self) -> None:
        """Reload now (the workspace changed while this page is shown)."""
        self.mark_changed()

    def show_state(self) -> None:
        raise NotImplementedError
