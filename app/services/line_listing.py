"""Use case: the usage lines behind an Explore level, one by one — who, what, when, how much.

The lines of the level (any filters; a whole month of a million requests if asked) are
attributed and priced once, on a worker, into a private in-memory table. The window then pages
through that table: sorting by any column and filtering by text run in SQL there, so a screen
of rows costs a few hundred microseconds however many lines the level has. Costs are kept as
exact decimal text; two integers beside each one (whole dollars, then the fraction in 10⁻¹²
dollars) only order them. A line the price book cannot price has no cost ("unpriced").

A listing is shared by the window and the workers that read it: each holder :meth:`retains
<LineListing.retain>` it and releases it when done; the last release closes it — at once if no
reader is in it, else as soon as the reader leaves, so the window never waits for a sort.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import NamedTuple

from app.domain.attribution import Attribution
from app.domain.money import MONEY_CONTEXT, format_exact
from app.services.attributed_usage import attributed_aggregates
from app.services.explore import KEYED, TAG_DIMENSION, ExploreError, check_dimensions, raw_value
from app.services.priced_slices import attributor_in_state, price_book_in_state
from app.services.pricing import aggregate_cost
from app.services.reporting import check_period
from app.services.view_export import write_table
from app.workspace.db import Workspace
from app.workspace.sqlite_engine import DecimalSum


class ListingClosed(RuntimeError):
    """The listing was let go (its level left) before this read."""


@dataclass(frozen=True)
class LineRow:
    """One usage line as Explore lists it: who, what, when, how much."""

    team: str
    product: str
    environment: str
    model: str
    service_tier: str
    day: str
    api_key: str
    workspace: str
    user: str
    tags: str
    requests: int
    prompt_tokens: int
    output_tokens: int
    cost: Decimal | None
    """Exact; ``None`` when the price book cannot price the line."""


LINE_FIELDS = tuple(f.name for f in fields(LineRow))
TEXT_FIELDS = LINE_FIELDS[:10]
"""The columns a text filter looks in."""
_FRACTION_SCALE = 12
"""The second sort key of a cost: its fraction of a dollar in 10⁻¹² dollars."""
_INTEGER_FIELDS = ("requests", "prompt_tokens", "output_tokens")


class LinesSummary(NamedTuple):
    """What a view shows: how many lines, their exact total, how many of them are unpriced."""

    count: int
    total: Decimal
    unpriced: int


def _cost_keys(cost: Decimal) -> tuple[int, int]:
    """Whole dollars (rounded down) and the rest in 10⁻¹² dollars: exact order for any cost."""
    whole = cost.to_integral_value(rounding=ROUND_FLOOR, context=MONEY_CONTEXT)
    rest = MONEY_CONTEXT.subtract(cost, whole).scaleb(_FRACTION_SCALE, MONEY_CONTEXT)
    return int(whole), int(rest.to_integral_value(rounding=ROUND_FLOOR, context=MONEY_CONTEXT))


@dataclass(frozen=True)
class ListingView:
    """How the lines are looked at: the column ordered by, its direction, a text filter
    (case-insensitive, matched anywhere in the text columns)."""

    order: str = "cost"
    descending: bool = True
    search: str = ""

    def __post_init__(self) -> None:
        if self.order not in LINE_FIELDS:
            raise ExploreError(f"cannot order usage lines by {self.order!r}")


def stored_row(
    texts: Sequence[str],
    requests: int,
    prompt_tokens: int,
    output_tokens: int,
    cost: Decimal | None,
) -> tuple[object, ...]:
    """A line as the listing's table keeps it: the text columns (``TEXT_FIELDS``), the
    counts, the exact cost and its sort keys, and the text a filter searches."""
    keys: tuple[int | None, int | None] = (None, None) if cost is None else _cost_keys(cost)
    return (
        *texts,
        requests,
        prompt_tokens,
        output_tokens,
        None if cost is None else format_exact(cost),
        *keys,
        " ".join(texts).casefold(),
    )


def _rows(workspace: Workspace, period: str, path: Sequence[tuple[str, str]]) -> Iterator[tuple]:
    """The level's lines as table rows, priced and attributed."""
    tags_asked = [name for name, _ in path if TAG_DIMENSION.match(name)]
    named = ("team", "product", "environment", "api_key", "workspace", "user", "tags")

    def labels(attribution: Attribution, dims: Mapping[str, str]) -> tuple[str, ...]:
        return (
            attribution.team,
            attribution.product,
            attribution.environment,
            raw_value("api_key", dims),
            raw_value("workspace", dims),
            dims.get("user", ""),
            ", ".join(
                f"{k[4:]}={v}" for k, v in sorted(dims.items()) if k.startswith("tag.") and v
            ),
            *(dims.get(name, "") for name in tags_asked),
        )

    days = [value for name, value in path if name == "day"]
    scope = {"days": days[:1]} if days else {}
    with workspace.engine.connect() as conn:
        book = price_book_in_state(conn)
        for item in attributed_aggregates(conn, attributor_in_state(conn), period, scope, labels):
            found = dict(zip((*named, *tags_asked), item.labels, strict=True))
            agg = item.aggregate
            if any(
                (str(getattr(agg, d)) if d in KEYED else found.get(d, "")) != value
                for d, value in path
            ):
                continue
            yield stored_row(
                (
                    found["team"],
                    found["product"],
                    found["environment"],
                    agg.model,
                    agg.service_tier,
                    agg.day,
                    found["api_key"],
                    found["workspace"],
                    found["user"],
                    found["tags"],
                ),
                agg.requests,
                agg.input_tokens
                + agg.cache_write_5m_tokens
                + agg.cache_write_1h_tokens
                + agg.cache_read_tokens,
                agg.output_tokens,
                aggregate_cost(book, agg),
            )


class LineListing:
    """The lines of one level in a private in-memory table, safe to read from any thread.

    The row ids of the view last asked for are kept in its order: a page is then a lookup of
    a few hundred ids, however deep, instead of sorting every line again.
    """

    def __init__(self, rows: Iterator[tuple]) -> None:
        self._lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._holders = 1
        self._close_pending = False
        self._db: sqlite3.Connection | None = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.create_aggregate("dec_sum", 1, DecimalSum)
        columns = ", ".join(
            f"{name} INTEGER" if name in _INTEGER_FIELDS else name for name in LINE_FIELDS
        )
        self._db.execute(
            f"CREATE TABLE line ({columns}, cost_whole INTEGER, cost_rest INTEGER, haystack TEXT)"
        )
        marks = ", ".join("?" * (len(LINE_FIELDS) + 3))
        self._db.executemany(f"INSERT INTO line VALUES ({marks})", rows)
        self._db.commit()
        self._ordered: tuple[ListingView, list[int]] | None = None
        self._summaries: dict[str, LinesSummary] = {}

    # -- holding and letting go ---------------------------------------------------------------

    def retain(self) -> LineListing:
        """One more holder (a worker about to read it); returns the listing."""
        with self._count_lock:
            if self._db is None or self._holders <= 0:
                raise ListingClosed("the listing was closed")
            self._holders += 1
        return self

    def release(self) -> None:
        """A holder is done; the last one closes the listing, without waiting for a reader."""
        with self._count_lock:
            self._holders -= 1
            if self._holders > 0:
                return
            self._close_pending = True
        if self._lock.acquire(blocking=False):
            try:
                self._close()
            finally:
                self._lock.release()
        # else: the reader inside closes it on its way out (see _reading)

    close = release

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def closed(self) -> bool:
        return self._db is None

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._db is None:
                raise ListingClosed("the listing was closed")
            try:
                yield self._db
            finally:
                if self._close_pending and self._holders <= 0:
                    self._close()

    # -- reading ------------------------------------------------------------------------------

    @staticmethod
    def _where(view: ListingView) -> tuple[str, list[str]]:
        words = view.search.casefold().split()
        if not words:
            return "", []
        return " WHERE " + " AND ".join("instr(haystack, ?) > 0" for _ in words), words

    def summary(self, view: ListingView = ListingView()) -> LinesSummary:
        """How many lines the view shows, their exact total cost, how many are unpriced."""
        where, values = self._where(view)
        with self._reading() as db:
            if view.search not in self._summaries:
                count, total, unpriced = db.execute(
                    f"SELECT count(*), dec_sum(cost), count(*) - count(cost) FROM line{where}",
                    values,
                ).fetchone()
                self._summaries[view.search] = LinesSummary(count, Decimal(total or 0), unpriced)
            return self._summaries[view.search]

    def _ids(self, db: sqlite3.Connection, view: ListingView) -> list[int]:
        """The row ids of ``view`` in its order; text in any case together (``alice`` beside
        ``Alice``); ties keep the order the lines were read in (reversed when descending), so
        pages never overlap."""
        if self._ordered is None or self._ordered[0] != view:
            where, values = self._where(view)
            direction = "DESC" if view.descending else "ASC"
            if view.order == "cost":
                order = f"cost_whole {direction}, cost_rest {direction}"
            elif view.order in _INTEGER_FIELDS:
                order = f"{view.order} {direction}"
            else:
                order = f"{view.order} COLLATE NOCASE {direction}, {view.order} {direction}"
            found = db.execute(
                f"SELECT rowid FROM line{where} ORDER BY {order}, rowid {direction}", values
            )
            self._ordered = (view, [row[0] for row in found])
        return self._ordered[1]

    def page(self, offset: int, limit: int, view: ListingView = ListingView()) -> list[LineRow]:
        """``limit`` lines of the view from ``offset``, in its order."""
        with self._reading() as db:
            ids = self._ids(db, view)[offset : offset + limit]
            found: dict[int, tuple] = {}
            for start in range(0, len(ids), 10_000):  # under SQLite's limit of parameters
                chunk = ids[start : start + 10_000]
                marks = ", ".join("?" * len(chunk))
                for row in db.execute(
                    f"SELECT rowid, {', '.join(LINE_FIELDS)} FROM line WHERE rowid IN ({marks})",
                    chunk,
                ):
                    found[row[0]] = row[1:]
        return [
            LineRow(*found[i][:-1], None if found[i][-1] is None else Decimal(found[i][-1]))
            for i in ids
        ]

    def spans(self, spans: Sequence[tuple[int, int]], view: ListingView) -> Iterator[LineRow]:
        """The lines of ``view`` in the row spans ``(first, last)`` given, read a few
        thousand at a time (the lock is let go between reads)."""
        for first, last in sorted(spans):
            for offset in range(first, last + 1, 5_000):
                yield from self.page(offset, min(5_000, last + 1 - offset), view)


EXPORT_HEADER = [
    *LINE_FIELDS[:11],
    "input_tokens",
    "output_tokens",
    "cost_usd",
]


def write_lines(path: Path, heading: str, listing: LineListing, view: ListingView) -> Path:
    """The lines of ``view`` (all of them, in its order) as a CSV or Excel file; an unpriced
    line's cost is left blank. Read a few thousand lines at a time."""
    count = listing.summary(view).count
    rows = (
        [getattr(line, name) for name in LINE_FIELDS]
        for line in listing.spans([(0, count - 1)] if count else [], view)
    )
    return write_table(path, heading, EXPORT_HEADER, rows, amount_column=len(EXPORT_HEADER) - 1)


def line_listing(workspace: Workspace, period: str, path: Sequence[tuple[str, str]]) -> LineListing:
    """The usage lines of ``period`` under the filters of ``path``, ready to page through."""
    check_period(period)
    check_dimensions(d for d, _ in path)
    days = [value for name, value in path if name == "day"]
    if days and not days[0].startswith(period):
        raise ExploreError(f"the day {days[0]} is not in {period}")
    return LineListing(_rows(workspace, period, path))
