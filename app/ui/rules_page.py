"""The Rules page: the ordered mapping rules with what each decides in the month, a form to
write or change one, "Test this rule" (the lines and cost it would catch, before saving), and
every change — save, delete, move, drag to reorder — previewed team by team before it is
applied, and undone from the Edit menu."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.rule_usage import RuleTest
from app.ui.change_preview import ChangePreviewer
from app.ui.impact_panel import ImpactPanel
from app.ui.month_page import MonthPage
from app.ui.policy_editor import PolicyEditor
from app.ui.presentation.rules import (
    RuleForm,
    RulesPresenter,
    form_problems,
    trial_table,
    trial_text,
)
from app.ui.presentation.table import TableState
from app.ui.rule_form import RuleFormView
from app.ui.widgets import FinanceTable
from app.ui.workers import TaskWorker


class RuleTable(FinanceTable):
    """The rules in order; a row dragged onto another asks to move there (``moved``)."""

    moved = Signal(int, int)
    """From row, to row (0-based)."""

    def __init__(self, state: TableState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent, stretch_column=2, stretch_minimum=200)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table_model.draggable = True
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def dropEvent(self, event: QDropEvent) -> None:
        """Nothing moves in the table itself: the move is a change, previewed first."""
        source = self.selected_rows()
        target = self.indexAt(event.position().toPoint()).row()
        rules = len(self.table_model.state.rows)
        if target < 0:
            target = rules - 1
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if source and 0 <= source[0] < rules and 0 <= target < rules and target != source[0]:
            self.moved.emit(source[0], target)


class RulesPage(MonthPage):
    """A thin view over :class:`RulesPresenter`; changes go through the editor."""

    presenter: RulesPresenter

    def __init__(
        self, presenter: RulesPresenter, editor: PolicyEditor, parent: QWidget | None = None
    ) -> None:
        super().__init__("Rules", presenter, parent)
        self._trial: TaskWorker | None = None
        self._row_after_change: int | None = None
        """The row to choose when the page shows the policy again (the rule just saved or
        moved); ``None`` keeps the row chosen."""
        self.last_trial: RuleTest | None = None
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("pageNote")
        self.body.addWidget(self.note)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = RuleTable(presenter.table)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.moved.connect(self.move)
        split.addWidget(self.table)
        lower = QWidget()
        columns = QHBoxLayout(lower)
        columns.setContentsMargins(0, 6, 0, 0)
        left = QVBoxLayout()
        self.form_view = RuleFormView()
        self.form_view.edited.connect(self._check_form)
        left.addWidget(self.form_view)
        actions = QHBoxLayout()
        self.new_button = QPushButton("New rule")
        self.new_button.clicked.connect(self.new_rule)
        self.test_button = QPushButton("Test this rule")
        self.test_button.clicked.connect(self.test_rule)
        self.save_button = QPushButton("Save…")
        self.save_button.setToolTip("Preview the change team by team, then apply or discard it")
        self.save_button.clicked.connect(self.save)
        actions.addWidget(self.new_button)
        actions.addWidget(self.test_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        left.addLayout(actions)
        order = QHBoxLayout()
        self.up_button = QPushButton("Move up")
        self.up_button.clicked.connect(lambda: self._step(-1))
        self.down_button = QPushButton("Move down")
        self.down_button.clicked.connect(lambda: self._step(1))
        self.delete_button = QPushButton("Delete…")
        self.delete_button.clicked.connect(self.delete)
        order.addWidget(self.up_button)
        order.addWidget(self.down_button)
        order.addStretch(1)
        order.addWidget(self.delete_button)
        left.addLayout(order)
        left.addStretch(1)
        form_box = QWidget()
        form_box.setLayout(left)
        form_box.setMaximumWidth(480)
        columns.addWidget(form_box, 4)
        right = QVBoxLayout()
        self.trial = QFrame()
        self.trial.setObjectName("kpiCard")
        trial_layout = QVBoxLayout(self.trial)
        trial_layout.setContentsMargins(14, 10, 14, 10)
        self.trial_text = QLabel()
        self.trial_text.setWordWrap(True)
        self.trial_table = FinanceTable(trial_table(), stretch_column=0)
        trial_layout.addWidget(self.trial_text)
        trial_layout.addWidget(self.trial_table, 1)
        self.trial.hide()
        self.panel = ImpactPanel()
        right.addWidget(self.trial, 1)
        right.addWidget(self.panel, 1)
        self.hint = QLabel(
            "Choose a rule to change it, or write a new one. “Test this rule” shows the lines "
            "it would catch this month; “Save…” shows each team's month before and after."
        )
        self.hint.setWordWrap(True)
        self.hint.setObjectName("pageNote")
        right.addWidget(self.hint)
        right.addStretch(0)
        columns.addLayout(right, 5)
        split.addWidget(lower)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        self.body.addWidget(split, 1)
        self.previewer = ChangePreviewer(editor, self.panel, lambda: self.presenter.period)
        self.previewer.busy_changed.connect(self._preparing)
        self.previewer.shown.connect(self._preview_shown)
        self.panel.discarded.connect(self._forget_row_after_change)
        self.show_state()

    def write_controls(self) -> list[QWidget]:
        """The controls that change the workspace (greyed for a read-only workspace)."""
        self.table.setDragEnabled(False)
        self.table.setAcceptDrops(False)
        buttons = [self.new_button, self.save_button, self.up_button, self.down_button]
        return [*buttons, self.delete_button, self.panel.apply_button]

    def show_state(self) -> None:
        chosen = self.selected_row() if self._row_after_change is None else self._row_after_change
        self._row_after_change = None
        self.note.setText(self.presenter.summary)
        self.table.refresh()
        self.previewer.discard()
        self.trial.hide()
        self.hint.show()
        if 0 <= chosen < len(self.presenter.rules):
            self.select_row(chosen)
            self._show_form(self.presenter.form_at(chosen))
        else:
            self.new_rule()

    def _show_form(self, form: RuleForm) -> None:
        presenter = self.presenter
        self.form_view.show_form(
            form, presenter.fields, presenter.teams, presenter.products, presenter.environments
        )
        self._update_buttons()

    def selected_row(self) -> int:
        rows = self.table.selected_rows()
        return rows[0] if rows else -1

    def select_row(self, row: int) -> None:
        index = self.table.model().index(row, 0)
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _selection_changed(self, *_args: object) -> None:
        row = self.selected_row()
        if 0 <= row < len(self.presenter.rules):
            self.previewer.discard()  # a preview is of the rule it was made for
            self._show_form(self.presenter.form_at(row))
            self.trial.hide()
            self.hint.show()

    def new_rule(self) -> None:
        self.table.clearSelection()
        self._show_form(RuleForm())

    def _update_buttons(self) -> None:
        existing = self.form_view.position is not None
        busy = self.previewer.busy
        period = self.presenter.period is not None
        self.save_button.setText("Save changes…" if existing else "Add rule…")
        self.save_button.setEnabled(not busy and self.presenter.state is not None and period)
        self.test_button.setEnabled(period and self._trial is None)
        self.delete_button.setEnabled(existing and not busy and period)
        position = self.form_view.position or 0
        self.up_button.setEnabled(existing and position > 1 and not busy and period)
        self.down_button.setEnabled(
            existing and position < len(self.presenter.rules) and not busy and period
        )

    def _check_form(self) -> None:
        """Flag a wrong field as the rule is typed (the rule alone: no SQL)."""
        mapping = self.presenter.state.mapping if self.presenter.state is not None else {}
        self.form_view.show_problems(form_problems(self.form_view.form(), mapping))

    def test_rule(self) -> None:
        """What the rule as typed would match and decide this month, on a worker."""
        if self.presenter.period is None:
            return
        task = self.presenter.trial_task(self.form_view.form())
        worker = TaskWorker(lambda _progress, _cancel: task())
        worker.finished.connect(self._tested)
        worker.failed.connect(lambda message: self._tested(RuleTest("", problems=(message,))))
        worker.ended.connect(self._reap)
        self._workers.add(worker)
        self._trial = worker
        self.busy.show()
        self._update_buttons()
        worker.start()

    def _tested(self, result: RuleTest) -> None:
        sender = self.sender()
        if isinstance(sender, TaskWorker) and sender is not self._trial:
            return
        self._trial = None
        self.busy.hide()
        self.last_trial = result
        text, table = trial_text(result)
        self.trial_text.setText(text)
        self.trial_table.table_model.state.rows = table.rows
        self.trial_table.table_model.state.empty_text = table.empty_text
        self.trial_table.refresh()
        self.trial_table.setVisible(bool(table.rows))
        self.previewer.discard()
        self.hint.hide()
        self.trial.show()
        self._update_buttons()

    def save(self) -> None:
        form = self.form_view.form()
        self._row_after_change = (
            len(self.presenter.rules) if form.position is None else form.position - 1
        )
        self.previewer.prepare(self.presenter.save_task(form))

    def delete(self) -> None:
        if self.form_view.position is not None:
            self.previewer.prepare(self.presenter.delete_task(self.form_view.position))

    def move(self, row: int, to_row: int) -> None:
        """Move the rule at ``row`` to ``to_row`` (0-based), previewed first."""
        self._row_after_change = to_row
        self.previewer.prepare(self.presenter.move_task(row + 1, to_row + 1))

    def _step(self, delta: int) -> None:
        position = self.form_view.position
        if position is not None:
            self.move(position - 1, position - 1 + delta)

    def _preparing(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self._update_buttons()

    def _forget_row_after_change(self) -> None:
        self._row_after_change = None

    def _preview_shown(self) -> None:
        self.trial.hide()
        self.hint.hide()

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        super().wait_for_workers(milliseconds)
        self.previewer.wait_for_workers(milliseconds)
