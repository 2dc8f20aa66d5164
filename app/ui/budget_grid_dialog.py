"""Budgets → Edit budgets…: teams × months of team budgets to type, suggest from a month's
invoices plus a buffer, or read from a CSV file; Save shows each team's month before and after
(the warning status follows the budgets) and applies it as one change Edit → Undo takes back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.small_tables import TableFileRejected
from app.services.workspaces import Workspace
from app.ui.change_preview import ChangePreviewer
from app.ui.impact_panel import ImpactPanel
from app.ui.policy_editor import PolicyEditor
from app.ui.presentation.budget_grid import BudgetGridPresenter, GridLoad
from app.ui.presentation.formatting import month_label
from app.ui.workers import WorkerSet

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class BudgetGridDialog(QDialog):
    """The grid on a worker-read document; one change per Save."""

    def __init__(
        self, workspace: Workspace, editor: PolicyEditor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Budgets by team and month")
        self.resize(980, 640)
        self.presenter = BudgetGridPresenter(workspace)
        self.source = "Set budgets"
        self.workers = WorkerSet()
        self._filling = False
        layout = QVBoxLayout(self)
        note = QLabel(
            "Team budgets per month, in dollars (empty: no budget). Changed cells are bold "
            "until saved. Budgets guide; they never block."
        )
        note.setWordWrap(True)
        note.setObjectName("pageNote")
        layout.addWidget(note)
        tools = QHBoxLayout()
        tools.addWidget(QLabel("Suggest from"))
        self.basis = QComboBox()
        self.basis.setMinimumWidth(160)
        tools.addWidget(self.basis)
        tools.addWidget(QLabel("+"))
        self.buffer = QLineEdit("20")
        self.buffer.setMaximumWidth(50)
        tools.addWidget(self.buffer)
        tools.addWidget(QLabel("% for the chosen months"))
        self.suggest_button = QPushButton("Fill in")
        self.suggest_button.setToolTip(
            "Each team's invoice of that month plus the buffer, in the months whose columns "
            "are chosen (or every month shown)"
        )
        self.suggest_button.clicked.connect(self.suggest)
        tools.addWidget(self.suggest_button)
        tools.addStretch(1)
        self.csv_button = QPushButton("Import CSV…")
        self.csv_button.setToolTip("team, month, amount[, product] — filled in, not saved yet")
        self.csv_button.clicked.connect(self.choose_csv)
        tools.addWidget(self.csv_button)
        self.save_button = QPushButton("Save…")
        self.save_button.clicked.connect(self.save)
        tools.addWidget(self.save_button)
        layout.addLayout(tools)
        self.go_live_note = QLabel()
        self.go_live_note.setWordWrap(True)
        self.go_live_note.setObjectName("warningNote")
        self.go_live_note.hide()
        layout.addWidget(self.go_live_note)
        threshold = QHBoxLayout()
        threshold.addWidget(QLabel("Warn when a team reaches"))
        self.warn = QLineEdit()
        self.warn.setMaximumWidth(50)
        threshold.addWidget(self.warn)
        threshold.addWidget(QLabel("% of its budget (actual or forecast)"))
        self.warn_button = QPushButton("Save threshold…")
        self.warn_button.clicked.connect(self.save_threshold)
        threshold.addWidget(self.warn_button)
        threshold.addStretch(1)
        layout.addLayout(threshold)
        self.grid = QTableWidget()
        self.grid.setMinimumHeight(240)
        self.grid.itemChanged.connect(self._edited)
        layout.addWidget(self.grid, 3)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b03a2e;")
        layout.addWidget(self.problems)
        self.panel = ImpactPanel()
        layout.addWidget(self.panel, 2)
        self.previewer = ChangePreviewer(editor, self.panel, lambda: None)
        editor.changed.connect(self._changed)
        self.load()

    def _run(self, task, done) -> None:  # type: ignore[no-untyped-def]
        self.workers.start(task, done, self.problems.setText)

    def load(self) -> None:
        self._run(self.presenter.fetch, self._loaded)

    def _loaded(self, load: GridLoad) -> None:
        presenter = self.presenter
        presenter.apply(load)
        self.basis.clear()
        for period in presenter.periods:
            self.basis.addItem(month_label(period), period)
        if presenter.go_live_offer:  # at go-live: from the last shadow month
            self.basis.setCurrentIndex(self.basis.findData(presenter.shadow_month))
        self.go_live_note.setText(presenter.go_live_offer)
        self.go_live_note.setVisible(bool(presenter.go_live_offer))
        self._filling = True
        self.grid.clear()
        self.grid.setRowCount(len(presenter.teams))
        self.grid.setColumnCount(len(presenter.months))
        self.grid.setVerticalHeaderLabels(presenter.teams)
        self.grid.setHorizontalHeaderLabels(presenter.month_titles())
        for row, team in enumerate(presenter.teams):
            for column, month in enumerate(presenter.months):
                item = QTableWidgetItem(presenter.cell_text(team, month))
                item.setTextAlignment(RIGHT)
                self.grid.setItem(row, column, item)
        self._filling = False
        self.source = "Set budgets"
        self.warn.setText(presenter.warn_percent())
        self._edited()

    def typed(self) -> dict[tuple[str, str], str]:
        found = {}
        for row, team in enumerate(self.presenter.teams):
            for column, month in enumerate(self.presenter.months):
                item = self.grid.item(row, column)
                found[(team, month)] = "" if item is None else item.text()
        return found

    def _edited(self, *_args: object) -> None:
        if self._filling:
            return
        cells, problems = self.presenter.changes(self.typed())
        self._filling = True
        for row, team in enumerate(self.presenter.teams):
            for column, month in enumerate(self.presenter.months):
                item = self.grid.item(row, column)
                if item is not None:
                    font = QFont(item.font())
                    font.setBold((team, month) in cells)
                    item.setFont(font)
        self._filling = False
        self.problems.setText("\n".join(problems))
        self.save_button.setEnabled(bool(cells) and not problems)

    def _fill(self, values: dict[tuple[str, str], object]) -> None:
        """Put amounts in the grid (not saved); those outside the months shown are named."""
        outside = 0
        self._filling = True
        for (team, month), amount in values.items():
            if team in self.presenter.teams and month in self.presenter.months:
                row = self.presenter.teams.index(team)
                column = self.presenter.months.index(month)
                self.grid.item(row, column).setText(f"{amount:f}")
            else:
                outside += 1
        self._filling = False
        self._edited()
        if outside:
            self.problems.setText(
                f"{outside} budget(s) fall outside the months shown and were left out."
            )

    def suggest(self) -> None:
        basis = self.basis.currentData()
        if not basis:
            return
        columns = sorted({i.column() for i in self.grid.selectedIndexes()})
        months = self.presenter.months_to_suggest([self.presenter.months[c] for c in columns])
        self.source = f"Budgets suggested from {basis} + {self.buffer.text().strip()} %"
        self._run(self.presenter.suggest_task(basis, months, self.buffer.text()), self._fill)

    def choose_csv(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Budgets CSV", "", "CSV files (*.csv)")
        if name:
            self.read_csv(Path(name))

    def read_csv(self, path: Path) -> None:
        task = self.presenter.csv_task(path)

        def read() -> object:
            try:
                return task()
            except TableFileRejected as exc:
                return exc

        self.source = f"Budgets from {path.name}"
        self._run(read, self._csv_read)

    def _csv_read(self, result: object) -> None:
        if isinstance(result, TableFileRejected):
            self.problems.setText("\n".join(result.problems))
            return
        self._fill(result)  # type: ignore[arg-type]

    def save(self) -> None:
        cells, problems = self.presenter.changes(self.typed())
        if cells and not problems:
            self.previewer.prepare(self.presenter.save_task(cells, self.source))

    def save_threshold(self) -> None:
        self.previewer.prepare(self.presenter.threshold_task(self.warn.text()))

    def _changed(self, _what: str) -> None:
        if self.isVisible():
            self.load()

    def done(self, result: int) -> None:
        self.workers.wait()
        self.previewer.wait_for_workers()
        super().done(result)
