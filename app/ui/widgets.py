"""Small shared widgets: a finance table view, a KPI card, a section title."""

from __future__ import annotations

import heapq

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.presentation.table import TableState
from app.ui.table_model import StateTableModel

ROW_HEIGHT = 24
_CELL_PADDING = 18
"""Pixels around a cell's text (the item's margins and a little air)."""
_HEADER_PADDING = 22


class FinanceTable(QTableView):
    """A read-only table with fixed row heights and one stretching column (the first).

    The stretching column never shrinks below ``stretch_minimum`` pixels: in a narrow window
    the table scrolls sideways instead of cutting its most telling column to a few letters.
    """

    def __init__(
        self,
        state: TableState,
        parent: QWidget | None = None,
        stretch_column: int = 0,
        stretch_minimum: int = 0,
    ) -> None:
        super().__init__(parent)
        self.stretch_column = stretch_column
        self.stretch_minimum = stretch_minimum
        self.table_model = StateTableModel(state)
        self.setModel(self.table_model)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        self._fit_columns()

    def refresh(self) -> None:
        self.table_model.refresh()
        self._fit_columns()
        self._keep_stretch_minimum()

    def _fit_columns(self) -> None:
        """Each column as wide as its widest text, measured from the presenter's text.

        Qt's own "resize to contents" asks the model for every role of up to a thousand rows
        per column — tens of thousands of calls into Python on the UI thread for a table of
        300 teams. Here only the few longest texts of a column are measured.
        """
        state = self.table_model.state
        header = self.horizontalHeader()
        cell_metrics = QFontMetrics(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        total_metrics = QFontMetrics(bold)
        header_metrics = QFontMetrics(header.font())
        for column, spec in enumerate(state.columns):
            if column == self.stretch_column:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                continue
            longest = heapq.nlargest(8, (row[column] for row in state.rows), key=len)
            width = max(
                header_metrics.horizontalAdvance(spec.title) + _HEADER_PADDING,
                *(cell_metrics.horizontalAdvance(text) + _CELL_PADDING for text in longest),
                total_metrics.horizontalAdvance(state.total[column]) + _CELL_PADDING
                if state.total is not None
                else 0,
            )
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.selectionModel().selectedRows()})

    def copy_selection(self) -> str:
        """Copy the selected rows (with the header) as tab-separated text; returns it."""
        text = self.table_model.state.tsv(self.selected_rows())
        QGuiApplication.clipboard().setText(text)
        return text

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._keep_stretch_minimum()

    def paintEvent(self, event: QPaintEvent) -> None:
        """An empty table says why (its state's ``empty_text``) rather than showing nothing."""
        super().paintEvent(event)
        state = self.table_model.state
        if state.row_count() or not state.empty_text:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        area = self.viewport().rect().adjusted(12, 12, -12, -12)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawText(area, int(flags), state.empty_text)
        painter.end()

    def _keep_stretch_minimum(self) -> None:
        if not self.stretch_minimum:
            return
        header = self.horizontalHeader()
        column = self.stretch_column
        others = sum(header.sectionSize(i) for i in range(header.count()) if i != column)
        room = self.viewport().width() - others
        if room >= self.stretch_minimum:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, self.stretch_minimum)


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when it does not fit, the whole text in its tooltip
    (never cut off)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setMinimumWidth(40)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = QFontMetrics(self.font())
        shown = metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, max(self.width(), 40))
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")

    def minimumSizeHint(self) -> QSize:
        return QSize(40, super().minimumSizeHint().height())


class KpiCard(QFrame):
    """A labelled figure; red when it needs attention."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiCard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        self.label = ElidedLabel()
        self.label.setObjectName("kpiLabel")
        self.value = QLabel()
        self.value.setObjectName("kpiValue")
        layout.addWidget(self.label)
        layout.addWidget(self.value)

    def show_kpi(self, label: str, value: str, warning: bool, hint: str) -> None:
        self.label.setText(label)
        self.value.setText(value)
        self.value.setProperty("warning", warning)
        self.value.style().unpolish(self.value)
        self.value.style().polish(self.value)
        self.setToolTip(hint)


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label
