"""The usage lines on screen, a page at a time (Qt-free): the columns, the pages already read,
the order and filter shown and the one asked for, and the work that reads more — which the
view runs on a worker.

Cells of a page not read yet are ``None``; the view shows a placeholder and asks for the page.
Every view shown has its own *generation*: a page read for another one is dropped. Each piece
of work holds the listing while it reads (see :meth:`LineListing.retain`), so leaving the level
never waits for it, and it never reads a listing let go.
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
COPY_LIMIT = 50_000
"""Lines Ctrl+C copies at most (the view exports any number)."""
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
    LineColumn(Column("Environment"), "environment"),
    LineColumn(Column("Model"), "model"),
    LineColumn(Column("Tier"), "service_tier"),
    LineColumn(Column("Day"), "day"),
    LineColumn(Column("Cost", True), "cost"),
    LineColumn(Column("Requests", True), "requests"),
    LineColumn(Column("Input tokens", True), "prompt_tokens"),
    LineColumn(Column("Output tokens", True), "output_tokens"),
    LineColumn(Column("API key"), "api_key"),
    LineColumn(Column("Workspace"), "workspace"),
    LineColumn(Column("User"), "user"),
    LineColumn(Column("Tags"), "tags"),
]
UNPRICED = "unpriced"


def line_cells(line: LineRow) -> list[str]:
    """One line as the table shows it (money and counts formatted, blanks as a dash)."""
    cells = []
    for spec in LINE_COLUMNS:
        value = getattr(line, spec.field)
        if spec.field == "cost":
            cells.append(UNPRICED if value is None else money(value))
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
    """What a worker read for a view of a listing: how many lines, their total, how many are
    unpriced, the first page."""

    listing: LineListing
    view: ListingView
    count: int
    total: Decimal
    unpriced: int
    first: list[list[str]]


def read_view(listing: LineListing, view: ListingView) -> LinesRead:
    """Count, total and first page of ``view`` (reads the listing: for a worker)."""
    found = listing.summary(view)
    first = [line_cells(line) for line in listing.page(0, PAGE_ROWS, view)]
    return LinesRead(listing, view, found.count, found.total, found.unpriced, first)


def _holding(listing: LineListing, read: Callable[[], object]) -> Callable[[], object]:
    """``read`` holding ``listing`` from now (the UI thread) until it is done (the worker)."""
    listing.retain()

    def run() -> object:
        try:
            return read()
        finally:
            listing.release()

    return run


class LinePages:
    """The lines of one level as the table shows them."""

    def __init__(self, read: LinesRead) -> None:
        self.listing = read.listing
        self._take(read)
        self.wanted = read.view
        """The view last asked for (shown once read): a sort and a filter asked for one after
        the other both count."""

    def _take(self, read: LinesRead) -> None:
        self.generation = next(_GENERATIONS)
        self.view = read.view
        self.count = read.count
        self.total = read.total
        self.unpriced = read.unpriced
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

    def page_reader(self, page: int) -> Callable[[], object]:
        """Reading page ``page`` of the view shown (for a worker; holds the listing)."""
        listing, view = self.listing, self.view
        return _holding(
            listing,
            lambda: [line_cells(line) for line in listing.page(page * PAGE_ROWS, PAGE_ROWS, view)],
        )

    def take_page(self, generation: int, page: int, cells: list[list[str]]) -> bool:
        """Keep a page read for ``generation``; ``False`` when it is for another view."""
        if generation != self.generation:
            return False
        self.pages[page] = cells
        return True

    def view_reader(self, view: ListingView) -> Callable[[], object]:
        """Reading another order or filter (for a worker; holds the listing); then
        :meth:`show_view`."""
        self.wanted = view
        listing = self.listing
        return _holding(listing, lambda: read_view(listing, view))

    def ordered_by(self, column: int, descending: bool) -> ListingView:
        """The view asked for last, ordered by ``column``."""
        return replace(self.wanted, order=LINE_COLUMNS[column].field, descending=descending)

    def filtered_by(self, text: str) -> ListingView:
        """The view asked for last, filtered by ``text``."""
        return replace(self.wanted, search=text.strip())

    def show_view(self, read: LinesRead) -> bool:
        """Take a view read on a worker (the pages read before are dropped); ``False`` when it
        was read from another listing (another level's) and is not taken."""
        if read.listing is not self.listing:
            return False
        self._take(read)
        return True

    def sort_column(self) -> int:
        return next(i for i, spec in enumerate(LINE_COLUMNS) if spec.field == self.view.order)

    def summary(self) -> str:
        """'1,234 lines · $5,678.90', with the unpriced lines and the filter when any."""
        noun = "line" if self.count == 1 else "lines"
        text = f"{count(self.count)} {noun} · {money(self.total)}"
        if self.unpriced:
            text += f" ({count(self.unpriced)} unpriced)"
        if self.view.search:
            text += f" matching “{self.view.search}”"
        return text

    def rows_reader(self, spans: Sequence[tuple[int, int]]) -> Callable[[], object]:
        """The lines in the row spans ``(first, last)`` selected, read or not, as
        tab-separated text with the header, for the clipboard (for a worker; holds the
        listing). At most :data:`COPY_LIMIT` lines."""
        listing, view = self.listing, self.view
        header = "\t".join(spec.column.title for spec in LINE_COLUMNS)
        kept: list[tuple[int, int]] = []
        room = COPY_LIMIT
        for first, last in sorted(spans):
            if room <= 0:
                break
            last = min(last, first + room - 1)
            kept.append((first, last))
            room -= last - first + 1

        def read() -> str:
            lines = ("\t".join(line_cells(line)) for line in listing.spans(kept, view))
            return "\n".join([header, *lines]) + "\n"

        return _holding(listing, read)
