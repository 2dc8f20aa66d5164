"""Running long service calls off the UI thread, with progress and cancel (Orange3 style)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from app.domain.progress import Cancelled, CancelToken, ProgressCallback

Task = Callable[[ProgressCallback, CancelToken], object]


class TaskWorker(QObject):
    """Runs ``task(progress, cancel)`` in its own thread; results come back by signal."""

    progressed = Signal(int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.token = CancelToken()
        self.thread = QThread()
        self.moveToThread(self.thread)
        self.thread.started.connect(self._run)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.token.cancel()

    def _progress(self, fraction: float, message: str) -> None:
        self.progressed.emit(int(fraction * 100), message)

    def _run(self) -> None:
        try:
            result = self.task(self._progress, self.token)
        except Cancelled:
            self.cancelled.emit()
        except Exception as exc:
            self.failed.emit(str(exc))
        else:
            self.finished.emit(result)
        finally:
            self.thread.quit()

    def wait(self, milliseconds: int = 30_000) -> bool:
        return self.thread.wait(milliseconds)
