"""The usage lines on screen, a page at a time (Qt-free): the columns, the pages already read,
the order and filter asked for, and the work that reads more — which the view runs on a worker.

Cells of a page not read yet are ``None``; the view shows a placeholder and asks for the page.
A change of order or filter starts a new *generation*: pages read for an older one are dropped.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from app.services.line_listing import LineListing, LineRow, ListingView
from app.ui.presentation.formatting import count, count_or_dash, day_label, money
from app.ui.presentation.table import Column

PAGE_ROWS = 200
_GENERATIONS = itertools.count(1)
"""Every view shown gets its own number, across levels: a late page never lands in another."""


@dataclass(frozen=True)
class LineColumn:
    """A column of the lines table: its heading, the field it shows (and sorts by)."""

    column: Column
    field: str


LINE_COLUMNS = [
    LineColumn(Column("Team"), "team"),
    LineColumn(Column("Product"), "product"),
    LineColumn(Column("Model"), "model"),
    LineColumn(Column("Tier"), "service_tier"),
    LineColumn(Column("Day"), "day"),
    LineColumn(Column("Cost", True), "cost"),
    LineColumn(Column("Requests", True), "requests"),
    LineColumn(Column("Input tokens", True), "prompt_tokens"),
    LineColumn(Column("Output tokens", True), "output_tokens"),
    LineColumn(Column("API key"), "api_key"),
    LineColumn(Column("User"), "user"),
    LineColumn(Column("Tags"), "tags"),
]


def line_cells(line: LineRow) -> list[str]:
    """One line as the table shows it (money and counts formatted, blanks as a dash)."""
    cells = []
    for spec in LINE_COLUMNS:
        value = getattr(line, spec.field)
        if spec.field == "cost":
            cells.append(money(value))
        elif spec.field == "requests":
            cells.append(count_or_dash(value))
        elif spec.field == "day":
            cells.append(day_label(value))
        elif isinstance(value, int):
            cells.append(count(value))
        else:
            cells.append(value or "—")
    return cells


@dataclass(frozen=True)
class LinesRead:
    """What a worker read for a view of a listing: how many lines, their total, the first
    page."""

    listing: LineListing
    view: ListingView
    count: int
    total: Decimal
    first: list[list[str]]


def read_view(listing: LineListing, view: ListingView) -> LinesRead:
    """Count, total and first page of ``view`` (reads the listing: for a worker)."""
    count, total = listing.summary(view)
    first = [line_cells(line) for line in listing.page(0, PAGE_ROWS, view)]
    return LinesRead(listing, view, count, total, first)


class LinePages:
    """The lines of one level as the table shows them."""

    def __init__(self, read: LinesRead) -> None:
        self.listing = read.listing
        self._take(read)

    def _take(self, read: LinesRead) -> None:
        self.generation = next(_GENERATIONS)
        self.view = read.view
        self.count = read.count
        self.total = read.total
        self.pages: dict[int, list[list[str]]] = {0: read.first}

    @property
    def columns(self) -> list[Column]:
        return [spec.column for spec in LINE_COLUMNS]

    def cell(self, row: int, column: int) -> str | None:
        """The text at ``row``, ``column``; ``None`` while its page is not read."""
        page = self.pages.get(row // PAGE_ROWS)
        if page is None or row % PAGE_ROWS >= len(page):
            return None
        return page[row % PAGE_ROWS][column]

    @staticmethod
    def page_of(row: int) -> int:
        return row // PAGE_ROWS

    def page_reader(self, page: int) -> Callable[[], list[list[str]]]:
        """Reading page ``page`` of the current view (for a worker)."""
        listing, view = self.listing, self.view
        return lambda: [
            line_cells(line) for line in listing.page(page * PAGE_ROWS, PAGE_ROWS, view)
        ]

    def take_page(self, generation: int, page: int, cells: list[list[str]]) -> bool:
        """Keep a page read for ``generation``; ``False`` when it is for an older view."""
        if generation != self.generation:
            return False
        self.pages[page] = cells
        return True

    def view_reader(self, view: ListingView) -> Callable[[], LinesRead]:
        """Reading another order or filter (for a worker); then :meth:`show_view`."""
        listing = self.listing
        return lambda: read_view(listing, view)

    def ordered_by(self, column: int, descending: bool) -> ListingView:
        return replace(self.view, order=LINE_COLUMNS[column].field, descending=descending)

    def filtered_by(self, text: str) -> ListingView:
        return replace(self.view, search=text.strip())

    def show_view(self, read: LinesRead) -> None:
        """Take a view read on a worker: the pages read before are dropped."""
        self._take(read)

    def sort_column(self) -> int:
        return next(i for i, spec in enumerate(LINE_COLUMNS) if spec.field == self.view.order)

    def summary(self) -> str:
        """'1,234 lines · $5,678.90', with the filter when there is one."""
        noun = "line" if self.count == 1 else "lines"
        text = f"{count(self.count)} {noun} · {money(self.total)}"
        if self.view.search:
            text += f" matching “{self.view.search}”"
        return text

    def rows_reader(self, rows: Sequence[int]) -> Callable[[], str]:
        """The lines at ``rows`` (any, read or not) as tab-separated text with the header,
        for the clipboard (for a worker)."""
        listing, view = self.listing, self.view
        wanted = sorted(set(rows))
        header = "\t".join(spec.column.title for spec in LINE_COLUMNS)

        def read() -> str:
            if not wanted:
                return header + "\n"
            first = wanted[0]
            lines = listing.page(first, wanted[-1] - first + 1, view)
            chosen = (lines[row - first] for row in wanted if row - first < len(lines))
            return "\n".join([header, *("\t".join(line_cells(line)) for line in chosen)]) + "\n"

        return read
