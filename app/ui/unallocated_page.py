"""The Unallocated queue: the month's unmapped raw values, biggest first. Choosing a value and
a team previews the rule that maps it (each team's month before and after); Apply makes it, as
a change that Edit → Undo takes back."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from app.ui.change_preview import ChangePreviewer
from app.ui.impact_panel import ImpactPanel
from app.ui.month_page import MonthPage
from app.ui.policy_editor import PolicyEditor
from app.ui.presentation.unallocated import UnallocatedPresenter
from app.ui.widgets import FinanceTable


class UnallocatedPage(MonthPage):
    """A thin view over :class:`UnallocatedPresenter`; changes go through the editor."""

    presenter: UnallocatedPresenter

    def __init__(
        self,
        presenter: UnallocatedPresenter,
        editor: PolicyEditor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Unallocated", presenter, parent)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("pageNote")
        self.body.addWidget(self.note)
        self.table = FinanceTable(presenter.table, stretch_column=1, stretch_minimum=220)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.preview())
        self.body.addWidget(self.table, 2)
        row = QHBoxLayout()
        self.chosen = QLabel("Choose a value in the table.")
        self.chosen.setObjectName("pageNote")
        self.team = QComboBox()
        self.team.setMinimumWidth(180)
        self.team.setToolTip("The team the chosen value's lines go to")
        self.preview_button = QPushButton("Preview the rule…")
        self.preview_button.clicked.connect(self.preview)
        row.addWidget(self.chosen, 1)
        row.addWidget(QLabel("Map to team:"))
        row.addWidget(self.team)
        row.addWidget(self.preview_button)
        self.body.addLayout(row)
        self.panel = ImpactPanel()
        self.body.addWidget(self.panel, 3)
        self.previewer = ChangePreviewer(editor, self.panel, lambda: self.presenter.period)
        self.previewer.busy_changed.connect(self._preparing)
        self.show_state()

    def write_controls(self) -> list[QWidget]:
        """The controls that change the workspace (greyed for a read-only workspace)."""
        return [self.preview_button, self.panel.apply_button]

    @property
    def pending(self):  # type: ignore[no-untyped-def]
        """The change on the preview panel, if any."""
        return self.previewer.pending

    def show_state(self) -> None:
        self.note.setText(self.presenter.summary)
        self.table.refresh()
        current = self.team.currentText()
        self.team.blockSignals(True)
        self.team.clear()
        self.team.addItems(self.presenter.teams)
        if current in self.presenter.teams:
            self.team.setCurrentText(current)
        self.team.blockSignals(False)
        self.previewer.discard()
        first = self.presenter.first_mappable()
        if first >= 0:
            self.select_row(first)
        self._selection_changed()

    def selected_row(self) -> int:
        rows = self.table.selected_rows()
        return rows[0] if rows else -1

    def select_row(self, row: int) -> None:
        """Choose row ``row`` alone (whatever modifier keys are held)."""
        self.table.selectionModel().select(
            self.table.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _selection_changed(self, *_args: object) -> None:
        row = self.selected_row()
        mappable = self.presenter.can_map(row)
        if mappable:
            value = self.presenter.values[row]
            self.chosen.setText(f"{value.dimension}: {value.value}")
        elif 0 <= row < len(self.presenter.values):
            self.chosen.setText("These lines carry nothing a rule could test.")
        else:
            self.chosen.setText("Choose a value in the table.")
        self.preview_button.setEnabled(
            mappable and bool(self.presenter.teams) and not self.previewer.busy
        )

    def preview(self) -> None:
        """Prepare the change for the chosen value and team, and its preview, on a worker."""
        row, team = self.selected_row(), self.team.currentText()
        if self.presenter.can_map(row) and team:
            self.previewer.prepare(self.presenter.preview_task(row, team))

    def apply(self) -> None:
        self.previewer.apply()

    def _preparing(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self._selection_changed()

    def wait_for_workers(self, milliseconds: int = 30_000) -> None:
        super().wait_for_workers(milliseconds)
        self.previewer.wait_for_workers(milliseconds)
