"""A read-only Qt table model over a :class:`TableState` (the presenter owns the data)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.ui import theme
from app.ui.presentation.table import TableState

Index = QModelIndex | QPersistentModelIndex

ALERT_COLOURS = {"over": QColor("#b03a2e"), "warning": QColor("#a86500")}


class StateTableModel(QAbstractTableModel):
    """Shows a table state; call :meth:`refresh` after the presenter changed it."""

    def __init__(self, state: TableState) -> None:
        super().__init__()
        self._state = state
        self.state = state
        self._total_background = theme.current().header
        self._bold = QFont()
        self._bold.setBold(True)
        self.draggable = False
        """Rows can be dragged (the view decides what a drop means); the total row cannot."""

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if not self.draggable:
            return flags
        if not index.isValid():
            return flags | Qt.ItemFlag.ItemIsDropEnabled
        if self._state.is_total(index.row()):
            return flags
        return flags | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._state.row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._state.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._state.cell(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            # The whole text, for a cell too narrow to show it (it is elided, never cut).
            return self._state.cell(row, column) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight
                if self._state.columns[column].numeric
                else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self._state.alert(row):
            return QBrush(ALERT_COLOURS.get(self._state.alert(row) or "", QColor("black")))
        if role == Qt.ItemDataRole.FontRole and self._state.is_total(row):
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and self._state.is_total(row):
            return QBrush(QColor(self._total_background))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._state.columns[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = self._state.columns[section].numeric
            return int(
                (Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft)
                | Qt.AlignmentFlag.AlignVCenter
            )
        return None
