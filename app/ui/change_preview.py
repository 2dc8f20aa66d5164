"""Preparing a policy change and its impact preview on a worker, showing it in an
:class:`ImpactPanel`, and applying it through the :class:`PolicyEditor` — the same for every
editor page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.domain.progress import CancelToken, ProgressCallback
from app.services.impact_preview import ImpactPreview
from app.services.policy_edits import EditRefused, PolicyChange
from app.ui.impact_panel import ImpactPanel
from app.ui.policy_editor import PolicyEditor
from app.ui.workers import TaskWorker

PrepareTask = Callable[[], tuple[PolicyChange, ImpactPreview]]


class ChangePreviewer(QObject):
    """One pending change at a time; a newer preparation overtakes an older one."""

    busy_changed = Signal(bool)
    shown = Signal()
    """A preview (or why there is none) is on the panel."""

    def __init__(
        self, editor: PolicyEditor, panel: ImpactPanel, month: Callable[[], str | None]
    ) -> None:
        super().__init__(panel)
        self.editor = editor
        self.panel = panel
        self.month = month
        self.pending: PolicyChange | None = None
        self._current: TaskWorker | None = None
        self._workers: set[TaskWorker] = set()
        panel.apply_requested.connect(self.apply)
        panel.discarded.connect(self.discard)
        editor.busy_changed.connect(panel.set_busy)

    @property
    def busy(self) -> bool:
        return self._current is not None

    def prepare(self, task: PrepareTask) -> None:
        """Make the change and its preview on a worker; show them when ready."""

        def run(_progress: ProgressCallback, _cancel: CancelToken) -> object:
            try:
                return task()
            except EditRefused as exc:
                return exc

        worker = TaskWorker(run)
        worker.finished.connect(self._prepared)
        worker.failed.connect(
            lambda message: self._prepared(EditRefused("No preview could be made", [message]))
        )
        worker.ended.connect(self._reap)
        self._workers.add(worker)
        self._current = worker
        self.busy_changed.emit(True)
        worker.start()

    def _prepared(self, result: tuple[PolicyChange, ImpactPreview] | EditRefused) -> None:
        sender = self.sender()
        if isinstance(sender, TaskWorker) and sender is not self._current:
            return  # overtaken by a later preparation
        self._current = None
        self.busy_changed.emit(False)
        if isinstance(result, EditRefused):
            self.pending = None
            preview = ImpactPreview(
                self.month() or "", result.summary, problems=tuple(result.problems)
            )
        else:
            self.pending, preview = result
        self.panel.show_preview(preview)
        self.panel.set_busy(self.editor.busy)
        self.shown.emit()

    def apply(self) -> None:
        if self.pending is not None and self.editor.apply(self.pending):
            self.panel.set_busy(True)

    def discard(self) -> None:
        self.pending = None
        if not self.panel.isHidden():
            self.panel.show_preview(None)

    def _reap(self) -> None:
        for worker in list(self._workers):
            if worker.is_ended:
                worker.wait()
                self._workers.discard(worker)

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        for worker in list(self._workers):
            worker.wait(milliseconds)
