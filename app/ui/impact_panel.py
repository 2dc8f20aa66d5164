"""The impact preview of a policy change: each team's month now and after, with Apply and
Discard. The panel only shows what :class:`ImpactPresenter` prepared."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.impact_preview import ImpactPreview
from app.ui.presentation.impact import ImpactPresenter
from app.ui.widgets import FinanceTable


class ImpactPanel(QFrame):
    """Hidden until a preview is shown; Apply or Discard hides it again."""

    apply_requested = Signal()
    discarded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiCard")
        self.presenter = ImpactPresenter()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setMaximumHeight(110)
        self.table = FinanceTable(self.presenter.table, stretch_column=0, stretch_minimum=160)
        self.table.setMinimumHeight(120)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.discard_button = QPushButton("Discard")
        self.discard_button.clicked.connect(self.discard)
        self.apply_button = QPushButton("Apply the change")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply_requested)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.apply_button)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.hide()

    def show_preview(self, preview: ImpactPreview | None) -> None:
        """Show ``preview``, or hide with ``None``."""
        presenter = self.presenter
        presenter.show(preview)
        if preview is None:
            self.hide()
            return
        self.title.setText(presenter.title)
        self.summary.setText(presenter.summary)
        self.problems.clear()
        self.problems.addItems(presenter.problems + presenter.notes)
        self.problems.setVisible(bool(presenter.problems or presenter.notes))
        self.table.setVisible(bool(presenter.table.rows))
        self.table.refresh()
        self.apply_button.setEnabled(presenter.can_apply)
        self.show()

    def set_busy(self, busy: bool) -> None:
        self.apply_button.setEnabled(self.presenter.can_apply and not busy)

    def discard(self) -> None:
        self.show_preview(None)
        self.discarded.emit()
