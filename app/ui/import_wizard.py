"""The import wizard: choose or drop files → what each is, with a preview → for a CSV no
importer knows, map its columns (saved as a named profile that later files with the same header
use) → import on a worker with progress and Cancel (a cancelled file leaves nothing) → the
outcome, with the bad rows named and an offer to import the good rows.

Every file read runs on a worker; the pages only show what the services found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.services.file_mapping import (
    FileFound,
    MappingDraft,
    RunResult,
    draft_for,
    first_rows,
    import_run,
    read_draft,
    what_files_are,
)
from app.services.workspaces import Workspace
from app.ui.presentation.import_wizard import (
    DATE_FORMATS,
    DELIMITERS,
    ENCODING_CHOICES,
    RunOutcome,
    files_table,
    outcome,
    preview_table,
    samples,
    target_choices,
)
from app.ui.presentation.table import TableState
from app.ui.widgets import FinanceTable
from app.ui.workers import TaskWorker

FILE_FILTER = "Usage and cost exports (*.csv *.json *.jsonl *.txt *.pdf);;All files (*)"
FILES_PAGE, MAPPING_PAGE, RUN_PAGE = range(3)


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("pageNote")
    return label


class _Workers(QObject):
    """Workers of one page; the newest result wins, older ones are dropped. Results arrive on
    the UI thread (the slots belong to this object, which lives there)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.current: TaskWorker | None = None
        self.running: set[TaskWorker] = set()
        self._done: Callable[[object], None] | None = None

    def start(self, task: Callable[[], object], done: Callable[[object], None]) -> None:
        worker = TaskWorker(lambda _progress, _cancel: task())
        worker.finished.connect(self._finished)
        worker.failed.connect(self._failed)
        worker.ended.connect(self.reap)
        self.current, self._done = worker, done
        self.running.add(worker)
        worker.start()

    def _finished(self, result: object) -> None:
        if self.sender() is self.current and self._done is not None:
            self.current = None
            self._done(result)

    def _failed(self, message: str) -> None:
        self._finished(RuntimeError(message))

    def reap(self) -> None:
        for worker in list(self.running):
            if worker.is_ended:
                worker.wait()
                self.running.discard(worker)

    def wait(self) -> None:
        for worker in list(self.running):
            worker.wait()


class FilesPage(QWizardPage):
    """The chosen files and what each is; a preview of the one chosen."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Choose the files")
        self.setSubTitle(
            "Usage and cost exports of any kind: Console, Admin and Analytics API reports, "
            "gateway logs, LiteLLM, FOCUS, the provider's invoice — or a CSV of your own."
        )
        self.setAcceptDrops(True)
        self.files: list[FileFound] = []
        self.detecting = False
        self.workers = _Workers(self)
        self.preview_workers = _Workers(self)
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        add = QPushButton("Add files…")
        add.clicked.connect(self.choose)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_chosen)
        buttons.addWidget(add)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table_state = files_table([])
        self.table = FinanceTable(self.table_state, stretch_column=1, stretch_minimum=200)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        self.table.setMaximumHeight(150)
        layout.addWidget(self.table)
        self.preview_title = _note("Choose a file to see its first rows.")
        layout.addWidget(self.preview_title)
        self.preview_state = TableState([])
        self.preview = FinanceTable(self.preview_state)
        layout.addWidget(self.preview, 1)

    def add_paths(self, paths: list[Path]) -> None:
        known = {f.path for f in self.files}
        new = [p for p in paths if p not in known]
        if not new:
            return
        self.files += [FileFound(p, "Checking…") for p in new]
        self._detect()

    def choose(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Import files", "", FILE_FILTER)
        self.add_paths([Path(n) for n in names])

    def remove_chosen(self) -> None:
        rows = self.table.selected_rows()
        if rows and rows[0] < len(self.files):
            del self.files[rows[0]]
            self._detect()

    def _detect(self) -> None:
        workspace, paths = self.owner.workspace, [f.path for f in self.files]
        self.detecting = True
        self._show()
        self.workers.start(lambda: what_files_are(workspace, paths), self._detected)

    def _detected(self, result: object) -> None:
        self.detecting = False
        if isinstance(result, list):
            self.files = result
        self._show()
        if self.files and not self.table.selected_rows():
            self.table.selectRow(0)

    def _show(self) -> None:
        fresh = files_table(self.files)
        self.table_state.rows = fresh.rows
        self.table.refresh()
        self.completeChanged.emit()

    def _chosen(self, *_args: object) -> None:
        rows = self.table.selected_rows()
        if not rows or rows[0] >= len(self.files):
            return
        path = self.files[rows[0]].path
        self.preview_title.setText(f"The first rows of {path.name}:")
        self.preview_workers.start(lambda: first_rows(path), self._previewed)

    def _previewed(self, result: object) -> None:
        if isinstance(result, list) and result:
            state = preview_table(result)
        else:
            state = TableState([], empty_text=f"No preview: {result}")
        self.preview_state.columns, self.preview_state.rows = state.columns, state.rows
        self.preview_state.empty_text = state.empty_text
        self.preview.refresh()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_paths([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])
        event.acceptProposedAction()

    def isComplete(self) -> bool:
        return not self.detecting and any(not f.problem for f in self.files)

    def nextId(self) -> int:
        return MAPPING_PAGE if any(f.needs_mapping for f in self.files) else RUN_PAGE


class MappingPage(QWizardPage):
    """Delimiter, encoding, header row, date format and each column's meaning."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Map the columns")
        self.draft: MappingDraft | None = None
        self.reading = False
        self.workers = _Workers(self)
        layout = QVBoxLayout(self)
        self.about = _note()
        layout.addWidget(self.about)
        grid = QGridLayout()
        self.name = QLineEdit()
        self.name.setToolTip("Later files with the same header are read with this profile")
        self.delimiter = QComboBox()
        for value, words in DELIMITERS:
            self.delimiter.addItem(words, value)
        self.encoding = QComboBox()
        self.encoding.addItems(list(ENCODING_CHOICES))
        self.header_row = QSpinBox()
        self.header_row.setRange(1, 50)
        self.header_row.setToolTip("The line with the column names (lines above it are skipped)")
        self.date_format = QComboBox()
        self.date_format.setEditable(True)
        for pattern, example in DATE_FORMATS:
            self.date_format.addItem(example, pattern)
        self.date_format.setToolTip("How the file writes dates; times are taken as UTC")
        for row, (label, widget, label2, widget2) in enumerate(
            (
                ("Profile name:", self.name, "Header on line:", self.header_row),
                ("Delimiter:", self.delimiter, "Encoding:", self.encoding),
                ("Dates look like:", self.date_format, "", None),
            )
        ):
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(widget, row, 1)
            if widget2 is not None:
                grid.addWidget(QLabel(label2), row, 2)
                grid.addWidget(widget2, row, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout.addLayout(grid)
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(["Column in the file", "First values", "Is"])
        self.columns.horizontalHeader().setStretchLastSection(True)
        self.columns.verticalHeader().setVisible(False)
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.columns, 1)
        self.problems_title = QLabel("To fix before importing (the first rows are checked):")
        self.problems_title.setStyleSheet("color: #b03a2e;")
        layout.addWidget(self.problems_title)
        self.problems = QListWidget()
        self.problems.setMaximumHeight(90)
        layout.addWidget(self.problems)
        self.delimiter.currentIndexChanged.connect(self._reread)
        self.encoding.currentIndexChanged.connect(self._reread)
        self.header_row.valueChanged.connect(self._reread)
        self.date_format.currentIndexChanged.connect(self._changed)
        self.date_format.editTextChanged.connect(self._changed)
        self.name.textChanged.connect(self._changed)

    def initializePage(self) -> None:
        unknown = [f for f in self.owner.files_page.files if f.needs_mapping]
        if not unknown:
            return
        path = unknown[0].path
        others = len(unknown) - 1
        self.about.setText(
            f"{path.name} is not a format Chargeback Desk knows. Say what its columns are; the "
            f"mapping is saved as a profile, and later files with the same header are read "
            f"with it (also from the command line: import --profile NAME)."
            + (f" The {others} other such file(s) are read with it too." if others else "")
        )
        if self.draft is None or self.draft.path != path:
            self.reading = True
            workspace = self.owner.workspace
            self.workers.start(lambda: draft_for(workspace, path), self._read)

    def _settings(self) -> MappingDraft | None:
        if self.draft is None:
            return None
        pattern = self.date_format.currentData()
        text = self.date_format.currentText()
        if pattern is None or self.date_format.itemText(self.date_format.currentIndex()) != text:
            pattern = text  # typed by the user
        return replace(
            self.draft,
            name=self.name.text(),
            delimiter=self.delimiter.currentData(),
            encoding=self.encoding.currentText(),
            header_row=self.header_row.value(),
            date_format=pattern,
            targets=self._targets(),
        )

    def _targets(self) -> dict[str, str]:
        found = {}
        for row in range(self.columns.rowCount()):
            combo = self.columns.cellWidget(row, 2)
            item = self.columns.item(row, 0)
            if isinstance(combo, QComboBox) and item is not None:
                found[item.text()] = combo.currentData()
        return found

    def _reread(self, *_args: object) -> None:
        draft = self._settings()
        if draft is None or self.reading:
            return
        self.reading = True
        self.completeChanged.emit()
        self.workers.start(lambda: read_draft(draft), self._read)

    def _read(self, result: object) -> None:
        self.reading = False
        if not isinstance(result, MappingDraft):
            self.completeChanged.emit()
            return
        self.draft = result
        for widget in (self.name, self.delimiter, self.encoding, self.header_row):
            widget.blockSignals(True)
        self.name.setText(result.name)
        self.delimiter.setCurrentIndex(max(self.delimiter.findData(result.delimiter), 0))
        self.encoding.setCurrentText(result.encoding)
        self.header_row.setValue(result.header_row)
        for widget in (self.name, self.delimiter, self.encoding, self.header_row):
            widget.blockSignals(False)
        self.columns.setRowCount(0)
        for index, column in enumerate(result.header):
            self.columns.insertRow(index)
            self.columns.setItem(index, 0, QTableWidgetItem(column))
            self.columns.setItem(index, 1, QTableWidgetItem(samples(result, index)))
            combo = QComboBox()
            for target, words in target_choices(column):
                combo.addItem(words, target)
            combo.setCurrentIndex(max(combo.findData(result.targets.get(column)), 0))
            combo.currentIndexChanged.connect(self._changed)
            self.columns.setCellWidget(index, 2, combo)
        self.columns.resizeColumnToContents(0)
        self.columns.setColumnWidth(1, 260)
        self._changed()

    def _changed(self, *_args: object) -> None:
        draft = self._settings()
        self.problems.clear()
        if draft is not None:
            self.draft = draft
            self.problems.addItems(draft.problems())
        self.problems.setVisible(self.problems.count() > 0)
        self.problems_title.setVisible(self.problems.count() > 0)
        self.completeChanged.emit()

    def profile(self):  # type: ignore[no-untyped-def]
        draft = self._settings()
        return None if draft is None else draft.profile()

    def isComplete(self) -> bool:
        draft = self._settings()
        return not self.reading and draft is not None and not draft.problems()


class RunPage(QWizardPage):
    """Imports on a worker with progress and Cancel, then the outcome."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Import")
        self.worker: TaskWorker | None = None
        self.finished = False
        self.result: RunOutcome | None = None
        self.done: list = []
        layout = QVBoxLayout(self)
        self.status = _note("Importing…")
        layout.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        layout.addWidget(self.progress)
        self.cancel_button = QPushButton("Cancel the import")
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.table_state = TableState([])
        self.table = FinanceTable(self.table_state, stretch_column=0)
        layout.addWidget(self.table, 1)
        self.problems = QListWidget()
        layout.addWidget(self.problems, 1)
        self.good_rows = QPushButton("Import the good rows")
        self.good_rows.clicked.connect(self.import_good_rows)
        layout.addWidget(self.good_rows, 0, Qt.AlignmentFlag.AlignLeft)

    def initializePage(self) -> None:
        files = self.owner.files_page.files
        needs = any(f.needs_mapping for f in files)
        self._run(files, self.owner.mapping_page.profile() if needs else None, False)

    def _run(self, files: list[FileFound], profile, skip_bad_rows: bool) -> None:  # type: ignore[no-untyped-def]
        self.finished = False
        self.completeChanged.emit()
        self.table.hide()
        self.problems.hide()
        self.good_rows.hide()
        self.progress.show()
        self.progress.setValue(0)
        self.cancel_button.show()
        self.status.setText("Importing… each file is imported whole or not at all.")
        self._files, self._profile = files, profile
        worker = TaskWorker(import_run(self.owner.workspace, files, profile, skip_bad_rows))
        worker.progressed.connect(self._progressed)
        worker.finished.connect(self._finished)
        worker.cancelled.connect(lambda: self._finished(RunResult([], cancelled=True)))
        worker.failed.connect(lambda message: self._ended(f"The import stopped: {message}"))
        self.worker = worker
        worker.start()

    def _progressed(self, percent: int, message: str) -> None:
        self.progress.setValue(percent)
        self.status.setText(message)

    def cancel(self) -> None:
        if self.worker is not None:
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling… the file being read is left out.")
            self.worker.cancel()

    def _finished(self, result: RunResult) -> None:
        done = result.done
        self.done = done
        self.result = outcome(result)
        self._ended(self.result.headline)
        self.table_state.columns = self.result.table.columns
        self.table_state.rows = self.result.table.rows
        self.table.refresh()
        self.table.show()
        self.problems.clear()
        self.problems.addItems(self.result.problems)
        self.problems.setVisible(bool(self.result.problems))
        self.good_rows.setVisible(bool(self.result.good_rows_offer))
        if any(r.status != "rejected" for _, r in done):
            self.owner.imported.emit()

    def _ended(self, text: str) -> None:
        if self.worker is not None:
            self.worker.wait()
            self.worker = None
        self.progress.hide()
        self.cancel_button.hide()
        self.cancel_button.setEnabled(True)
        self.status.setText(text)
        self.finished = True
        self.completeChanged.emit()

    def import_good_rows(self) -> None:
        if self.result is None:
            return
        chosen = set(self.result.good_rows_offer)
        files = [f for f in self._files if f.path in chosen]
        self._run(files, self._profile, True)

    def isComplete(self) -> bool:
        return self.finished

    def wait(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait()


class ImportWizard(QWizard):
    """One import run; ``imported`` when anything came in."""

    imported = Signal()

    def __init__(
        self, workspace: Workspace, paths: list[Path] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Import files")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(900, 620)
        self.files_page = FilesPage(self)
        self.mapping_page = MappingPage(self)
        self.run_page = RunPage(self)
        self.setPage(FILES_PAGE, self.files_page)
        self.setPage(MAPPING_PAGE, self.mapping_page)
        self.setPage(RUN_PAGE, self.run_page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Done")
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        if paths:
            self.files_page.add_paths(paths)

    def done(self, result: int) -> None:
        """Closing waits for the workers (a running import is cancelled first)."""
        self.run_page.wait()
        for workers in (
            self.files_page.workers,
            self.files_page.preview_workers,
            self.mapping_page.workers,
        ):
            workers.wait()
        super().done(result)
