"""The Hygiene page: tag coverage per month and source, tag values written several ways (with
*Add as aliases*, an undoable policy change), and the model-use policy's breaches — what they
cost and would have cost had each rule been followed. Read on a worker."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.ui.loaded_page import LoadedPage
from app.ui.policy_editor import PolicyEditor
from app.ui.presentation.hygiene import HygieneLoad, HygienePresenter
from app.ui.widgets import FinanceTable, section_title


class HygienePage(LoadedPage):
    """A thin view over :class:`HygienePresenter`; alias changes go through the editor."""

    def __init__(
        self, presenter: HygienePresenter, editor: PolicyEditor, parent: QWidget | None = None
    ) -> None:
        super().__init__("Hygiene and model-use policy", parent)
        self.presenter, self.editor = presenter, editor
        self.month = QComboBox()
        for label, month in presenter.month_choices():
            self.month.addItem(label, month)
        self.month.setCurrentIndex(self.month.findData(presenter.last_month))
        self.month.currentIndexChanged.connect(self._changed)
        self.span = QSpinBox()
        self.span.setRange(1, 12)
        self.span.setValue(presenter.months)
        self.span.setSuffix(" months")
        self.span.valueChanged.connect(self._changed)
        self.header.addWidget(QLabel("Up to"))
        self.header.addWidget(self.month)
        self.header.addWidget(self.span)
        self.note = QLabel()
        self.note.setObjectName("pageNote")
        self.note.setWordWrap(True)
        self.body.addWidget(self.note)
        top = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(section_title("Tag coverage"))
        self.coverage = FinanceTable(presenter.coverage, stretch_column=1, stretch_minimum=110)
        left.addWidget(self.coverage)
        right.addWidget(section_title("Values written several ways"))
        self.spellings = FinanceTable(
            presenter.spelling_table, stretch_column=2, stretch_minimum=120
        )
        self.spellings.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.spellings.selectionModel().selectionChanged.connect(self._update_buttons)
        right.addWidget(self.spellings)
        self.add_aliases = QPushButton("Add as aliases")
        self.add_aliases.setToolTip("Add the chosen value's other spellings as aliases (undoable)")
        self.add_aliases.clicked.connect(self.add_chosen_aliases)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_aliases)
        right.addLayout(buttons)
        top.addLayout(left, 3)
        top.addLayout(right, 2)
        self.body.addLayout(top, 1)
        self.body.addWidget(section_title("Model-use policy"))
        rules = QHBoxLayout()
        self.rules = FinanceTable(presenter.rules, stretch_column=0, stretch_minimum=200)
        self.rules.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rules.selectionModel().selectionChanged.connect(self._rule_chosen)
        self.breaches = FinanceTable(presenter.breaches, stretch_column=2, stretch_minimum=120)
        rules.addWidget(self.rules, 3)
        rules.addWidget(self.breaches, 2)
        self.body.addLayout(rules, 1)
        self.editor.changed.connect(self._policy_changed)
        self._update_buttons()

    def write_controls(self) -> list[QWidget]:
        return [self.add_aliases]

    def _changed(self, *_args: object) -> None:
        self.presenter.last_month = self.month.currentData()
        self.presenter.months = self.span.value()
        self.load()

    def _policy_changed(self, *_args: object) -> None:
        self.dirty = True
        if self.isVisible():
            self.load()

    def fetch_task(self) -> Callable[[], HygieneLoad]:
        return self.presenter.fetch_task()  # the months as chosen now, copied

    def show_load(self, load: HygieneLoad) -> None:  # type: ignore[override]
        self.presenter.apply(load)
        self.note.setText(self.presenter.note)
        for table in (self.coverage, self.spellings, self.rules, self.breaches):
            table.refresh()
        if self.presenter.reports:
            self.rules.selectRow(0)
        self._update_buttons()

    def _rule_chosen(self, *_args: object) -> None:
        rows = self.rules.selected_rows()
        self.presenter.choose_rule(rows[0] if rows else -1)
        self.breaches.refresh()

    def _chosen_spelling(self):  # type: ignore[no-untyped-def]
        rows = self.spellings.selected_rows()
        return self.presenter.spelling_at(rows[0] if rows else -1)

    def _update_buttons(self, *_args: object) -> None:
        if self.add_aliases.property("lockedReadOnly"):
            return
        spelling = self._chosen_spelling()
        self.add_aliases.setEnabled(spelling is not None and spelling.known)

    def add_chosen_aliases(self) -> None:
        spelling = self._chosen_spelling()
        change = None if spelling is None else self.presenter.alias_change(spelling)
        if change is not None:
            self.editor.apply(change)
