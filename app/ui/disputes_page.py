"""The Disputes page: every contested line with its status, filterable by status, team and
month; the chosen dispute in full below; Record, Accept and Reject open their dialogs. Read
and saved on workers."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QWidget,
)

from app.ui.dispute_dialogs import AcceptDisputeDialog, RecordDisputeDialog, RejectDisputeDialog
from app.ui.loaded_page import LoadedPage
from app.ui.presentation.disputes import (
    ALL_MONTHS,
    ALL_STATUSES,
    STATUS_WORDS,
    DisputesLoad,
    DisputesPresenter,
)
from app.ui.widgets import FinanceTable


class DisputesPage(LoadedPage):
    """A thin view over :class:`DisputesPresenter`."""

    workspace_changed = Signal()
    """A dispute was recorded or decided (drafts of open months may have changed)."""

    def __init__(self, presenter: DisputesPresenter, parent: QWidget | None = None) -> None:
        super().__init__("Disputes", parent)
        self.presenter = presenter
        layout, header = self.body, self.header
        self.status_filter = QComboBox()
        self.status_filter.addItems([ALL_STATUSES, *STATUS_WORDS.values()])
        self.team_filter = QComboBox()
        self.month_filter = QComboBox()
        for combo in (self.status_filter, self.team_filter, self.month_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._filter)
            header.addWidget(combo)
        self.note = QLabel()
        self.note.setObjectName("pageNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        actions = QHBoxLayout()
        self.record_button = QPushButton("Record dispute…")
        self.record_button.clicked.connect(self.record)
        self.accept_button = QPushButton("Accept…")
        self.accept_button.clicked.connect(self.accept_chosen)
        self.reject_button = QPushButton("Reject…")
        self.reject_button.clicked.connect(self.reject_chosen)
        self.said = QLabel()
        self.said.setObjectName("pageNote")
        actions.addWidget(self.record_button)
        actions.addWidget(self.accept_button)
        actions.addWidget(self.reject_button)
        actions.addWidget(self.said, 1)
        layout.addLayout(actions)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = FinanceTable(presenter.table, stretch_column=4, stretch_minimum=120)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        split.addWidget(self.table)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Choose a dispute to read it in full.")
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([500, 140])
        layout.addWidget(split, 1)
        self._update_buttons()

    def write_controls(self) -> list[QWidget]:
        """The controls that change the workspace (greyed for a read-only workspace)."""
        return [self.record_button, self.accept_button, self.reject_button]

    def fetch(self) -> DisputesLoad:
        return self.presenter.fetch()

    def show_load(self, load: DisputesLoad) -> None:  # type: ignore[override]
        self.presenter.apply(load)
        self._refill(self.team_filter, [(t, t) for t in self.presenter.team_choices()])
        self._refill(self.month_filter, self.presenter.month_choices())
        self._filter()

    @staticmethod
    def _refill(combo: QComboBox, choices: list[tuple[str, str]]) -> None:
        kept = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for label, value in choices:
            combo.addItem(label, value)
        index = combo.findData(kept)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _filter(self, *_args: object) -> None:
        self.presenter.set_filter(
            self.status_filter.currentText(),
            self.team_filter.currentData() or self.team_filter.currentText(),
            self.month_filter.currentData() or ALL_MONTHS,
        )
        self.note.setText(self.presenter.note)
        self.table.refresh()
        self.detail.clear()
        if self.presenter.shown:
            self.table.selectRow(0)  # the newest, read in full below
        self._update_buttons()

    def _chosen(self, *_args: object) -> None:
        row = self._row()
        self.detail.setPlainText("\n".join(self.presenter.details_of(row)))
        self._update_buttons()

    def _row(self) -> int:
        rows = self.table.selected_rows()
        return rows[0] if rows else -1

    def _update_buttons(self) -> None:
        chosen = self.presenter.dispute_at(self._row())
        decidable = chosen is not None and chosen.status == "open"
        tip = "" if decidable else "Choose an open dispute"
        for button in (self.accept_button, self.reject_button):
            if not button.property("lockedReadOnly"):
                button.setEnabled(decidable)
                button.setToolTip(tip)
        if not self.record_button.property("lockedReadOnly"):
            can_record = bool(self.presenter.record_months())
            self.record_button.setEnabled(can_record)
            self.record_button.setToolTip(
                "" if can_record else "Close a month first: disputes contest closed documents"
            )

    def record(self) -> None:
        self._run(RecordDisputeDialog(self.presenter, self))

    def accept_chosen(self) -> None:
        chosen = self.presenter.dispute_at(self._row())
        if chosen is not None:
            self._run(AcceptDisputeDialog(self.presenter, chosen, self))

    def reject_chosen(self) -> None:
        chosen = self.presenter.dispute_at(self._row())
        if chosen is not None:
            self._run(RejectDisputeDialog(self.presenter, chosen, self))

    def _run(self, dialog: QDialog) -> None:
        self.dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.said.setText(getattr(dialog, "message", ""))
            self.workspace_changed.emit()
            self.load()
