"""Running long service calls off the UI thread, with progress and cancel (Orange3 style).

A :class:`TaskWorker` lives on the UI thread and its signals are emitted there, so whatever is
connected to them — a bound method, a lambda, a closure — runs on the UI thread. The task runs
on the worker's own thread inside a private runner, whose signals reach the worker queued.
(A lambda connected straight to a signal emitted on another thread would run on that thread.)
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from app.domain.progress import Cancelled, CancelToken, ProgressCallback
from app.services.workspaces import user_message

Task = Callable[[ProgressCallback, CancelToken], object]


class _Runner(QObject):
    """Runs the task on the worker thread; its signals cross to the UI thread queued."""

    progressed = Signal(int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, task: Task, token: CancelToken) -> None:
        super().__init__()
        self.task = task
        self.token = token

    def _progress(self, fraction: float, message: str) -> None:
        self.progressed.emit(int(fraction * 100), message)

    def run(self) -> None:
        try:
            result = self.task(self._progress, self.token)
        except Cancelled:
            self.cancelled.emit()
        except Exception as exc:
            self.failed.emit(user_message(exc))
        else:
            self.finished.emit(result)
        finally:
            self.thread().quit()


class TaskWorker(QObject):
    """Runs ``task(progress, cancel)`` in its own thread; results come back by signal, on the
    thread that made the worker (the UI thread)."""

    progressed = Signal(int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    ended = Signal()
    """The outcome was delivered and the thread has stopped: the worker may be let go. (Let
    go on the thread's own ``finished``, a worker could be dropped with its result still
    queued.)"""

    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.token = CancelToken()
        self._delivered = False
        self._stopped = False
        self.thread = QThread()
        self.thread.finished.connect(self._thread_stopped)
        self._runner = _Runner(task, self.token)
        self._runner.moveToThread(self.thread)
        self.thread.started.connect(self._runner.run)
        # Bound methods of an object living on this thread: queued across threads.
        self._runner.progressed.connect(self._relay_progress)
        self._runner.finished.connect(self._relay_finished)
        self._runner.failed.connect(self._relay_failed)
        self._runner.cancelled.connect(self._relay_cancelled)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.token.cancel()

    @property
    def is_ended(self) -> bool:
        return self._delivered and self._stopped

    def _relay_progress(self, percent: int, message: str) -> None:
        self.progressed.emit(percent, message)

    def _relay_finished(self, result: object) -> None:
        self.finished.emit(result)
        self._outcome_delivered()

    def _relay_failed(self, message: str) -> None:
        self.failed.emit(message)
        self._outcome_delivered()

    def _relay_cancelled(self) -> None:
        self.cancelled.emit()
        self._outcome_delivered()

    def _outcome_delivered(self) -> None:
        self._delivered = True
        if self._stopped:
            self.ended.emit()

    def _thread_stopped(self) -> None:
        self._stopped = True
        if self._delivered:
            self.ended.emit()

    def wait(self, milliseconds: int = 30_000) -> bool:
        return self.thread.wait(milliseconds)


class WorkerSet:
    """The workers of one page or dialog: each is kept until it has :attr:`TaskWorker.ended`
    (let go earlier, its queued result would be lost), and all can be waited for at close."""

    def __init__(self) -> None:
        self.running: set[TaskWorker] = set()

    def start(
        self,
        task: Callable[[], object],
        done: Callable[[object], None],
        failed: Callable[[str], None],
    ) -> TaskWorker:
        """Run ``task()`` on a worker; ``done(result)`` or ``failed(message)`` on the UI
        thread."""
        worker = TaskWorker(lambda _progress, _cancel: task())
        worker.finished.connect(done)
        worker.failed.connect(failed)
        worker.ended.connect(self._reap)
        self.running.add(worker)
        worker.start()
        return worker

    def _reap(self) -> None:
        for worker in list(self.running):
            if worker.is_ended:
                worker.wait()
                self.running.discard(worker)

    def wait(self, milliseconds: int = 30_000) -> None:
        for worker in list(self.running):
            worker.wait(milliseconds)
