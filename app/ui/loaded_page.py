"""The frame of a page that is not about one month: a title with a busy bar, and its data read
on a worker when the page is shown after a change (a newer read overtakes an older one).

Subclasses build their widgets under ``self.body``, return the read in :meth:`fetch` (run on
the worker: services only) and paint it in :meth:`show_load` (UI thread).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.ui.workers import TaskWorker


class LoadedPage(QWidget):
    loaded = Signal()
    """A read was taken in and painted."""
    load_failed = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.dirty = True
        self._current: TaskWorker | None = None
        self._workers: set[TaskWorker] = set()
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(18, 14, 18, 14)
        self.header = QHBoxLayout()
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(90, 8)
        self.busy.setToolTip("Loading…")
        self.busy.hide()
        self.header.addWidget(heading, 1)
        self.header.addWidget(self.busy)
        self.body.addLayout(self.header)

    def fetch(self) -> object:
        """Read what the page shows (on a worker)."""
        raise NotImplementedError

    def fetch_task(self) -> Callable[[], object]:
        """What the worker runs, made on the UI thread: a page whose read depends on its
        controls returns one with their values copied."""
        return self.fetch

    def show_load(self, load: object) -> None:
        """Paint a read (UI thread)."""
        raise NotImplementedError

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
        task = self.fetch_task()
        worker = TaskWorker(lambda _progress, _cancel: task())
        worker.finished.connect(self._fetched)
        worker.failed.connect(self._failed)
        worker.ended.connect(self._reap)
        self._workers.add(worker)
        self._current = worker
        self.busy.show()
        worker.start()

    def _fetched(self, load: object) -> None:
        if self.sender() is not self._current:
            return  # a newer read is on its way
        self.busy.hide()
        self.show_load(load)
        self.loaded.emit()

    def _failed(self, message: str) -> None:
        if self.sender() is not self._current:
            return  # a newer read is on its way; its outcome is what counts
        self.busy.hide()
        self.load_failed.emit(message)

    def _reap(self) -> None:
        for worker in list(self._workers):
            if worker.is_ended:
                worker.wait()
                self._workers.discard(worker)

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        for worker in list(self._workers):
            worker.wait(milliseconds)
