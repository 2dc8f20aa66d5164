"""The Imports page: history of imports, and importing files on a worker thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.progress import Cancelled, CancelToken, ProgressCallback
from app.services.importing import FileImportReport, import_file
from app.services.workspaces import Workspace
from app.ui.presentation.imports import (
    ImportsPresenter,
    has_only_bad_rows,
    removal_outcome,
    summarise,
)
from app.ui.widgets import FinanceTable
from app.ui.workers import TaskWorker

FILE_FILTER = "Usage and cost exports (*.csv *.json *.jsonl *.txt);;All files (*)"


def import_task(  # type: ignore[no-untyped-def]
    workspace: Workspace, paths: list[Path], skip_bad_rows: bool = False
):
    """The work of one import run: each file on its own; cancel stops before the next file.
    With ``skip_bad_rows``, the good rows of a file with bad ones are imported."""

    def run(progress: ProgressCallback, cancel: CancelToken) -> list[FileImportReport]:
        reports = []
        for index, path in enumerate(paths):

            def scaled(fraction: float, message: str, index: int = index) -> None:
                progress((index + fraction) / len(paths), message)

            try:
                reports.append(
                    import_file(
                        workspace,
                        path,
                        progress=scaled,
                        cancel=cancel,
                        skip_bad_rows=skip_bad_rows,
                    )
                )
            except Cancelled:
                reports.append(
                    FileImportReport(file=path.name, message="cancelled; nothing imported")
                )
                break
        return reports

    return run


class ImportsPage(QWidget):
    """History table plus an import button; also the drop target's handler."""

    imported = Signal()
    wizard_requested = Signal()
    """Import files… was clicked: the window opens the import wizard."""
    removed = Signal(str)
    """The outcome of a removal, in words."""
    loaded = Signal()
    """The history has been read and is on screen."""
    load_failed = Signal(str)
    """The history could not be read (the reason, in words)."""

    def __init__(self, presenter: ImportsPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.presenter = presenter
        self.dirty = True
        self._history: TaskWorker | None = None
        """The history read whose result will be shown."""
        self._history_workers: set[TaskWorker] = set()
        self._announce = False
        self.worker: TaskWorker | None = None
        self.dialog: QProgressDialog | None = None
        self.last_reports: list[FileImportReport] = []
        self.last_paths: list[Path] = []
        self.show_removal = True
        self.show_results = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        header = QHBoxLayout()
        title = QLabel("Imports")
        title.setObjectName("pageTitle")
        self.button = QPushButton("Import files…")
        self.button.clicked.connect(self.wizard_requested)
        self.remove_button = QPushButton("Remove import…")
        self.remove_button.setToolTip("Undo a mistaken import of an open month")
        # clicked(bool) would land in "confirm": always ask.
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        header.addWidget(title, 1)
        header.addWidget(self.remove_button)
        header.addWidget(self.button)
        layout.addLayout(header)
        hint = QLabel(
            "Drop Console, Admin API, gateway, LiteLLM or FOCUS exports anywhere on the "
            "window. Each file is imported whole or not at all; re-imports add nothing."
        )
        hint.setWordWrap(True)
        hint.setObjectName("pageNote")
        layout.addWidget(hint)
        self.table = FinanceTable(presenter.table, stretch_column=1, stretch_minimum=240)
        layout.addWidget(self.table, 1)

    def write_controls(self) -> list[QWidget]:
        """The controls that change the workspace (greyed for a read-only workspace)."""
        return [self.button, self.remove_button]

    def remove_selected(self, confirm: bool = True) -> None:
        """Remove the selected import after the user confirms, on a worker (the removal may
        wait for another process writing the workspace); ``removed`` carries the outcome."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        row = rows[0].row() if rows else -1
        question = self.presenter.removal_question(row)
        if question is None:
            if confirm:
                QMessageBox.information(
                    self, "Remove import", "Select an import in the list first."
                )
            return
        if confirm:
            answer = QMessageBox.question(self, "Remove import", question)
            if answer != QMessageBox.StandardButton.Yes:
                return
        if self.worker is not None:
            return
        workspace, batch_id = self.presenter.workspace, self.presenter.batch_id(row)
        self.remove_button.setEnabled(False)
        self.button.setEnabled(False)
        self.worker = TaskWorker(lambda _progress, _cancel: removal_outcome(workspace, batch_id))
        self.show_removal = confirm
        # Bound methods of this page, not lambdas: the results must come back queued to the
        # UI thread (a lambda would run in the worker's thread).
        self.worker.finished.connect(self._removal_done)
        self.worker.failed.connect(self._removal_failed)
        self.worker.start()

    def _removal_failed(self, message: str) -> None:
        self._removal_done(f"Not removed: {message}")

    def _removal_done(self, outcome: str) -> None:
        self._done()
        self.remove_button.setEnabled(True)
        if self.show_removal:
            QMessageBox.information(self, "Remove import", outcome)
        self.removed.emit(outcome)

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Import files", "", FILE_FILTER)
        if names:
            self.start_import([Path(n) for n in names])

    def start_import(self, paths: list[Path], skip_bad_rows: bool = False) -> None:
        if self.worker is not None:
            return
        self.last_paths = paths
        self.button.setEnabled(False)
        self.dialog = QProgressDialog("Importing…", "Cancel", 0, 100, self)
        self.dialog.setWindowTitle("Import")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.worker = TaskWorker(import_task(self.presenter.workspace, paths, skip_bad_rows))
        self.dialog.canceled.connect(self.worker.cancel)
        self.worker.progressed.connect(self._progressed)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.worker.start()

    def _progressed(self, percent: int, message: str) -> None:
        if self.dialog is not None:
            self.dialog.setLabelText(message)
            self.dialog.setValue(percent)

    def _done(self) -> None:
        if self.worker is not None:
            self.worker.wait()
            self.worker = None
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None
        self.button.setEnabled(True)
        # The history is read again on a worker; ``imported`` says so once it is in.
        self.load_history(announce=True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def ensure_loaded(self) -> None:
        if self.dirty:
            self.load_history()

    @property
    def loading(self) -> bool:
        return self._history is not None

    def load_history(self, announce: bool = False) -> None:
        """Read the import history on a worker; ``announce`` emits ``imported`` when in. A read
        still running is overtaken, not waited for: its result is dropped."""
        self.dirty = False
        self._announce = self._announce or announce
        presenter = self.presenter
        worker = TaskWorker(lambda _progress, _cancel: presenter.fetch())
        # Bound methods run on the UI thread (a lambda would run in the worker's thread); the
        # sender says which read answered.
        worker.finished.connect(self._history_read)
        worker.failed.connect(self._history_failed)
        worker.ended.connect(self._reap_history)
        self._history = worker
        self._history_workers.add(worker)
        worker.start()

    def _reap_history(self) -> None:
        """Forget the history readers whose thread has ended (on the UI thread)."""
        for worker in list(self._history_workers):
            if worker.is_ended:
                worker.wait()
                self._history_workers.discard(worker)

    def _history_read(self, records: object) -> None:
        if self.sender() is not self._history:
            return  # overtaken by a later read
        self._history = None
        self.presenter.apply(records)  # type: ignore[arg-type]
        self.table.refresh()
        self.loaded.emit()
        self._announce_done()

    def _history_failed(self, message: str) -> None:
        if self.sender() is not self._history:
            return
        self._history = None
        self.load_failed.emit(message)
        self._announce_done()

    def _announce_done(self) -> None:
        if self._announce:
            self._announce = False
            self.imported.emit()

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        """Let running history reads finish (closing the window or the workspace)."""
        for worker in list(self._history_workers):
            worker.wait(milliseconds)

    def _finished(self, reports: list[FileImportReport]) -> None:
        self._done()
        self.last_reports = reports
        with_bad_rows = [
            path
            for path, report in zip(self.last_paths, reports, strict=False)
            if has_only_bad_rows(report)
        ]
        if not self.show_results:
            return
        headline, details = summarise(reports)
        box = QMessageBox(QMessageBox.Icon.Information, "Import", headline, parent=self)
        box.setInformativeText(details[:2000])
        box.setDetailedText(details)
        good_rows = None
        if with_bad_rows:
            good_rows = box.addButton("Import the good rows", QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
        else:
            box.addButton(QMessageBox.StandardButton.Ok)
        box.exec()
        if good_rows is not None and box.clickedButton() is good_rows:
            self.import_good_rows(with_bad_rows)

    def import_good_rows(self, paths: list[Path]) -> None:
        """Import again the files rejected for bad rows, keeping their good rows."""
        self.start_import(paths, skip_bad_rows=True)

    def _failed(self, message: str) -> None:
        self._done()
        if self.show_results:
            QMessageBox.warning(self, "Import failed", f"Unexpected error: {message}")
