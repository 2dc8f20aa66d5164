"""The usage-lines table of Explore: a paged model over the level's lines, and its view.

Only the pages on screen are read, each on a worker thread (one at a time, in the order asked);
a page not read yet shows a placeholder for the moment it takes. Clicking a heading sorts in
SQL, on a worker; so does the text filter. Rows have a fixed height, so scrolling a month of
lines never measures them. Ctrl+C copies the selected lines (read on a worker) as TSV.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.services.line_listing import ListingView
from app.ui.presentation.line_pages import LINE_COLUMNS, PAGE_ROWS, LinePages
from app.ui.widgets import ROW_HEIGHT

Index = QModelIndex | QPersistentModelIndex
PLACEHOLDER = "…"


class _Courier(QObject):
    """Carries what a worker read back to the UI thread (it lives there)."""

    page_read = Signal(int, int, object)
    view_read = Signal(int, object)
    text_read = Signal(str)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self.work = work

    def run(self) -> None:
        self.work()


class LineTableModel(QAbstractTableModel):
    """The lines of :class:`LinePages`; asks for each missing page once."""

    viewed = Signal()
    """Another order or filter is on screen (its count and total with it)."""
    copied = Signal(str)
    """The selected lines went to the clipboard (the text)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pages: LinePages | None = None
        self._asked: set[tuple[int, int]] = set()
        self._view_asked = 0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._courier = _Courier(self)
        self._courier.page_read.connect(self._page_read)
        self._courier.view_read.connect(self._view_read)
        self._courier.text_read.connect(self._text_read)

    def show_pages(self, pages: LinePages | None) -> None:
        self.beginResetModel()
        self.pages = pages
        self._asked.clear()
        self.endResetModel()

    # -- reading -----------------------------------------------------------------------------

    def _ask_page(self, page: int) -> None:
        pages = self.pages
        if pages is None or (pages.generation, page) in self._asked:
            return
        self._asked.add((pages.generation, page))
        read, generation, courier = pages.page_reader(page), pages.generation, self._courier
        self.pool.start(_Job(lambda: courier.page_read.emit(generation, page, read())))

    def _page_read(self, generation: int, page: int, cells: object) -> None:
        pages = self.pages
        if pages is None or not pages.take_page(generation, page, cells):  # type: ignore[arg-type]
            return
        top = min(page * PAGE_ROWS, max(pages.count - 1, 0))
        bottom = min((page + 1) * PAGE_ROWS, pages.count) - 1
        self.dataChanged.emit(self.index(top, 0), self.index(bottom, self.columnCount() - 1))

    def ask_view(self, view: ListingView) -> None:
        """Read another order or filter on a worker; it replaces the lines when in."""
        pages = self.pages
        if pages is None:
            return
        self._view_asked += 1
        asked, read, courier = self._view_asked, pages.view_reader(view), self._courier
        self.pool.start(_Job(lambda: courier.view_read.emit(asked, read())))

    def _view_read(self, asked: int, read: object) -> None:
        if asked != self._view_asked or self.pages is None:
            return  # a later order or filter was asked for since
        self.beginResetModel()
        self.pages.show_view(read)  # type: ignore[arg-type]
        self._asked.clear()
        self.endResetModel()
        self.viewed.emit()

    def copy_rows(self, rows: list[int]) -> None:
        if self.pages is None:
            return
        read, courier = self.pages.rows_reader(rows), self._courier
        self.pool.start(_Job(lambda: courier.text_read.emit(read())))

    def _text_read(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(text)

    def wait(self, milliseconds: int = 30_000) -> bool:
        return self.pool.waitForDone(milliseconds)

    # -- the model ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.pages is None else self.pages.count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LINE_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self.pages is None:
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self.pages.cell(row, column)
            if text is None:
                self._ask_page(self.pages.page_of(row))
                return PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole else None
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = LINE_COLUMNS[column].column.numeric
            horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return LINE_COLUMNS[section].column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = LINE_COLUMNS[section].column.numeric
            horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.pages is None or not 0 <= column < len(LINE_COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        view = self.pages.ordered_by(column, descending)
        if view != self.pages.view:
            self.ask_view(view)


class LineTable(QTableView):
    """The lines, read-only: fixed row height, sortable headings, Ctrl+C copies."""

    WIDTHS = (110, 100, 150, 80, 90, 90, 75, 100, 100, 140, 160, 260)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_model = LineTableModel(self)
        self.setModel(self.line_model)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.setSortingEnabled(True)
        header.setSortIndicatorShown(True)
        for column, width in enumerate(self.WIDTHS):
            # Never narrower than the heading with its sort arrow: headings are not cut.
            self.setColumnWidth(column, max(width, header.sectionSizeFromContents(column).width()))

    def show_pages(self, pages: LinePages | None) -> None:
        self.line_model.show_pages(pages)
        if pages is not None:
            header = self.horizontalHeader()
            header.blockSignals(True)  # the indicator follows the view; it asks for nothing
            header.setSortIndicator(
                pages.sort_column(),
                Qt.SortOrder.DescendingOrder
                if pages.view.descending
                else Qt.SortOrder.AscendingOrder,
            )
            header.blockSignals(False)

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.selectionModel().selectedRows()})

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.line_model.copy_rows(self.selected_rows())
            event.accept()
            return
        super().keyPressEvent(event)
