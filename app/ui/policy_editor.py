"""The window's side of policy edits: the Qt-free :class:`EditStack` made on workers, shown
through a ``QUndoStack`` (Edit menu, Ctrl+Z / Ctrl+Shift+Z, the history view).

The edit stack is the truth. The ``QUndoStack`` holds one command per change, whose undo and
redo do nothing themselves: when its index moves (Undo, Redo, a click in the history view) the
editor walks the edit stack to that index on a worker, one transaction per step, and then sets
the Qt stack from the edit stack (its changes, and where it is) — a refused step (the policy
changed elsewhere, a month was closed since) stops there and says why. The history view is
disabled while a step runs.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.domain.progress import CancelToken, ProgressCallback
from app.services.policy_edits import EditRefused, EditStack, PolicyChange
from app.services.workspaces import Workspace
from app.ui.workers import TaskWorker


class _ShownChange(QUndoCommand):
    """A change the edit stack made: the Qt stack only shows it (undo and redo are walked by
    :class:`PolicyEditor` on a worker)."""

    def undo(self) -> None:
        """Done by the editor on a worker."""

    def redo(self) -> None:
        """Done by the editor on a worker."""


class PolicyEditor(QObject):
    """Applies changes, undoes and redoes them off the UI thread, one at a time."""

    changed = Signal(str)
    """The policy in force changed; what happened, in words (``Undid “…”``)."""
    refused = Signal(str, list)
    """A step was not made: a summary and every reason."""
    busy_changed = Signal(bool)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.edits = EditStack(workspace)
        self.undo_stack = QUndoStack(self)
        self._showing = False
        """The index is being set to the edit stack's position (not a user's move)."""
        self._worker: TaskWorker | None = None
        self._workers: set[TaskWorker] = set()
        self.undo_stack.indexChanged.connect(self._moved)

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def apply(self, change: PolicyChange) -> bool:
        """Make ``change`` on a worker; ``False`` (nothing started) while another step runs."""
        if self.busy:
            self.refused.emit(
                f"“{change.description}” was not made",
                ["Another change is being made; try again in a moment."],
            )
            return False
        edits = self.edits

        def run(_progress: ProgressCallback, _cancel: CancelToken) -> tuple[list[str], object]:
            try:
                edits.apply(change)
            except EditRefused as exc:
                return [], exc
            return [f"Made “{change.description}”"], change.description

        self._start(run)
        return True

    def _moved(self, index: int) -> None:
        """Undo, Redo or a click in the history: walk the edit stack to ``index``."""
        if self._showing or self.busy:
            return  # the history is disabled while a step runs; the step's end re-syncs it
        if index == self.edits.position:
            return
        edits = self.edits

        def run(_progress: ProgressCallback, _cancel: CancelToken) -> tuple[list[str], object]:
            made: list[str] = []
            try:
                while edits.position > index:
                    made.append(f"Undid “{edits.undo()}”")
                while edits.position < index:
                    made.append(f"Redid “{edits.redo()}”")
            except EditRefused as exc:
                return made, exc
            return made, None

        self._start(run)

    def _start(self, run) -> None:  # type: ignore[no-untyped-def]
        worker = TaskWorker(run)
        worker.finished.connect(self._finished)
        worker.failed.connect(self._failed)
        worker.ended.connect(self._reap)
        self._worker = worker
        self._workers.add(worker)
        self.busy_changed.emit(True)
        worker.start()

    def _finished(self, result: tuple[list[str], object]) -> None:
        made, outcome = result
        self._worker = None
        self._sync()
        self.busy_changed.emit(False)
        if made:
            self.changed.emit("; ".join(made))
        if isinstance(outcome, EditRefused):
            self.refused.emit(outcome.summary, outcome.problems)

    def _failed(self, message: str) -> None:
        self._worker = None
        self._sync()
        self.busy_changed.emit(False)
        self.refused.emit("The change could not be saved", [message])

    def _sync(self) -> None:
        """Make the Qt stack show exactly the edit stack: its changes, and where it is (a move
        of the index that raced a step is undone here)."""

        def rebuild() -> None:
            self.undo_stack.clear()
            for description in self.edits.descriptions():
                self.undo_stack.push(_ShownChange(description))
            self.undo_stack.setIndex(self.edits.position)

        self._show(rebuild)

    def _show(self, step) -> None:  # type: ignore[no-untyped-def]
        self._showing = True
        try:
            step()
        finally:
            self._showing = False

    def _reap(self) -> None:
        for worker in list(self._workers):
            if worker.is_ended:
                worker.wait()
                self._workers.discard(worker)

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        for worker in list(self._workers):
            worker.wait(milliseconds)
