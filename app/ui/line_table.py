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
    QItemSelectionModel,
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

from app.services.line_listing import ListingClosed, ListingView
from app.ui.presentation.line_pages import LINE_COLUMNS, PAGE_ROWS, LinePages
from app.ui.widgets import ROW_HEIGHT

Index = QModelIndex | QPersistentModelIndex
PLACEHOLDER = "…"


class _Courier(QObject):
    """Carries what a worker read back to the UI thread (it lives there)."""

    page_read = Signal(int, int, object)
    view_read = Signal(int, object)
    text_read = Signal(str)
    failed = Signal(str)


class _Job(QRunnable):
    """``read()`` on a pool thread; its result goes to ``deliver``, an error to ``failed``."""

    def __init__(
        self, read: Callable[[], object], deliver: Callable[[object], None], failed: Signal
    ) -> None:
        super().__init__()
        self.read, self.deliver, self.failed = read, deliver, failed

    def run(self) -> None:
        try:
            result = self.read()
        except ListingClosed:
            return  # the level was left: nobody waits for this any more
        except Exception as exc:  # a worker's error reaches the window, in words
            self.failed.emit(str(exc) or type(exc).__name__)
            return
        self.deliver(result)


class LineTableModel(QAbstractTableModel):
    """The lines of :class:`LinePages`; asks for each missing page once."""

    viewed = Signal()
    """Another order or filter is on screen (its count and total with it)."""
    copied = Signal(str)
    """The selected lines went to the clipboard (the text)."""
    failed = Signal(str)
    """Reading lines failed (why, in words)."""

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
        self._courier.failed.connect(self.failed)

    def show_pages(self, pages: LinePages | None) -> None:
        self.beginResetModel()
        self.pages = pages
        self._asked.clear()
        self._view_asked += 1  # an order or filter asked for another level is not shown here
        self.endResetModel()

    def _start(
        self, make_read: Callable[[], Callable[[], object]], deliver: Callable[[object], None]
    ) -> bool:
        """Run the read ``make_read`` gives (it takes hold of the listing) on the pool."""
        try:
            read = make_read()
        except ListingClosed:
            return False
        self.pool.start(_Job(read, deliver, self._courier.failed))
        return True

    # -- reading -----------------------------------------------------------------------------

    def _ask_page(self, page: int) -> None:
        pages = self.pages
        if pages is None or (pages.generation, page) in self._asked:
            return
        generation, courier = pages.generation, self._courier
        if self._start(
            lambda: pages.page_reader(page),
            lambda cells: courier.page_read.emit(generation, page, cells),
        ):
            self._asked.add((generation, page))

    def _page_read(self, generation: int, page: int, cells: object) -> None:
        pages = self.pages
        if pages is None or not pages.take_page(generation, page, cells):  # type: ignore[arg-type]
            return
        top = min(page * PAGE_ROWS, max(pages.count - 1, 0))
        bottom = min((page + 1) * PAGE_ROWS, pages.count) - 1
        if bottom >= top:
            self.dataChanged.emit(self.index(top, 0), self.index(bottom, self.columnCount() - 1))

    def ask_view(self, view: ListingView) -> None:
        """Read another order or filter on a worker; it replaces the lines when in."""
        pages = self.pages
        if pages is None:
            return
        self._view_asked += 1
        asked, courier = self._view_asked, self._courier
        self._start(
            lambda: pages.view_reader(view), lambda read: courier.view_read.emit(asked, read)
        )

    def _view_read(self, asked: int, read: object) -> None:
        if asked != self._view_asked or self.pages is None:
            return  # a later order or filter, or another level, was asked for since
        self.beginResetModel()
        taken = self.pages.show_view(read)  # type: ignore[arg-type]
        self._asked.clear()
        self.endResetModel()
        if taken:
            self.viewed.emit()

    def copy_spans(self, spans: list[tuple[int, int]]) -> None:
        """Copy the lines of the row spans ``(first, last)`` (read on a worker)."""
        pages, courier = self.pages, self._courier
        if pages is not None:
            self._start(lambda: pages.rows_reader(spans), courier.text_read.emit)

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
        if view != self.pages.wanted:
            self.ask_view(view)


class LineTable(QTableView):
    """The lines, read-only: fixed row height, sortable headings, Ctrl+C copies."""

    WIDTHS = (110, 100, 100, 150, 80, 90, 90, 75, 100, 100, 140, 120, 160, 260)

    def __init__(self, parent: QWidget | None = None, model: LineTableModel | None = None) -> None:
        super().__init__(parent)
        self.line_model = model or LineTableModel(self)
        self.setModel(self.line_model)
        # Painting a heading asks the selection whether its whole column is selected — a walk
        # over every line, through Python, for each heading and its neighbours: seconds once a
        # month of lines is selected (Ctrl+A). Headings highlight nothing here, so they get a
        # selection of their own that stays empty.
        self._heading_selection = QItemSelectionModel(self.line_model, self)
        self.horizontalHeader().setSelectionModel(self._heading_selection)
        self.verticalHeader().setSelectionModel(self._heading_selection)
        self.line_model.viewed.connect(self._show_sort_indicator)
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
        self._show_sort_indicator()

    def _show_sort_indicator(self) -> None:
        """The heading's arrow follows the order shown (it asks for nothing)."""
        pages = self.line_model.pages
        if pages is None:
            return
        header = self.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(
            pages.sort_column(),
            Qt.SortOrder.DescendingOrder if pages.view.descending else Qt.SortOrder.AscendingOrder,
        )
        header.blockSignals(False)

    def selected_spans(self) -> list[tuple[int, int]]:
        """The selected rows as spans ``(first, last)`` — a few, however many rows (Ctrl+A on
        a month of lines is one span)."""
        return sorted({(r.top(), r.bottom()) for r in self.selectionModel().selection()})

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.line_model.copy_spans(self.selected_spans())
            event.accept()
            return
        super().keyPressEvent(event)
