"""Use case: the usage lines behind an Explore level, one by one — who, what, when, how much.

The lines of the level (any filters; a whole month of a million requests if asked) are
attributed and priced once, on a worker, into a private in-memory table. The window then pages
through that table: sorting by any column and filtering by text run in SQL there, so a screen
of rows costs a few hundred microseconds however many lines the level has. Costs are kept as
exact decimal text; a scaled integer beside each one only orders them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

from app.domain.attribution import Attribution
from app.services.attributed_usage import attributed_aggregates
from app.services.explore import KEYED, TAG_DIMENSION, ExploreError, check_dimensions, raw_value
from app.services.priced_slices import attributor_in_state, price_book_in_state
from app.services.pricing import aggregate_cost
from app.services.reporting import check_period
from app.services.view_export import write_table
from app.workspace.db import Workspace
from app.workspace.sqlite_engine import DecimalSum


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
    cost: Decimal


LINE_FIELDS = tuple(f.name for f in fields(LineRow))
TEXT_FIELDS = LINE_FIELDS[:10]
"""The columns a text filter looks in."""
_COST_SCALE = 10
"""The sort key of a cost is its value in 10⁻¹⁰ dollars, rounded down (order only)."""


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


def _rows(workspace: Workspace, period: str, path: Sequence[tuple[str, str]]) -> Iterator[tuple]:
    """The level's lines as table rows, priced and attributed (unpriced lines cost 0)."""
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
            cost = aggregate_cost(book, agg) or Decimal(0)
            text_values = (
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
            )
            yield (
                *text_values,
                agg.requests,
                agg.input_tokens
                + agg.cache_write_5m_tokens
                + agg.cache_write_1h_tokens
                + agg.cache_read_tokens,
                agg.output_tokens,
                str(cost),
                int(cost.scaleb(_COST_SCALE).to_integral_value(ROUND_FLOOR)),
                " ".join(text_values).casefold(),
            )


class LineListing:
    """The lines of one level in a private in-memory table, safe to read from any thread.

    The row ids of the view last asked for are kept in its order: a page is then a lookup of
    a few hundred ids, however deep, instead of sorting every line again.
    """

    def __init__(self, rows: Iterator[tuple]) -> None:
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.create_aggregate("dec_sum", 1, DecimalSum)
        columns = ", ".join(
            f"{name} INTEGER" if name in ("requests", "prompt_tokens", "output_tokens") else name
            for name in LINE_FIELDS
        )
        self._db.execute(f"CREATE TABLE line ({columns}, cost_key INTEGER, haystack TEXT)")
        marks = ", ".join("?" * (len(LINE_FIELDS) + 2))
        self._db.executemany(f"INSERT INTO line VALUES ({marks})", rows)
        self._db.commit()
        self._ordered: tuple[ListingView, list[int]] | None = None
        self._summaries: dict[str, tuple[int, Decimal]] = {}

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    @staticmethod
    def _where(view: ListingView) -> tuple[str, list[str]]:
        words = view.search.casefold().split()
        if not words:
            return "", []
        return " WHERE " + " AND ".join("instr(haystack, ?) > 0" for _ in words), words

    def summary(self, view: ListingView = ListingView()) -> tuple[int, Decimal]:
        """How many lines the view shows, and their exact total cost."""
        where, values = self._where(view)
        with self._lock:
            if self._db is None:
                return 0, Decimal(0)
            if view.search not in self._summaries:
                count, total = self._db.execute(
                    f"SELECT count(*), dec_sum(cost) FROM line{where}", values
                ).fetchone()
                self._summaries[view.search] = (count, Decimal(total or 0))
        return self._summaries[view.search]

    def _ids(self, db: sqlite3.Connection, view: ListingView) -> list[int]:
        """The row ids of ``view`` in its order (under the lock); ties keep the order the lines
        were read in (reversed when descending), so pages never overlap."""
        if self._ordered is None or self._ordered[0] != view:
            where, values = self._where(view)
            column = "cost_key" if view.order == "cost" else view.order
            direction = "DESC" if view.descending else "ASC"
            found = db.execute(
                f"SELECT rowid FROM line{where} ORDER BY {column} {direction}, rowid {direction}",
                values,
            )
            self._ordered = (view, [row[0] for row in found])
        return self._ordered[1]

    def page(self, offset: int, limit: int, view: ListingView = ListingView()) -> list[LineRow]:
        """``limit`` lines of the view from ``offset``, in its order."""
        with self._lock:
            if self._db is None:
                return []
            ids = self._ids(self._db, view)[offset : offset + limit]
            found: dict[int, tuple] = {}
            for start in range(0, len(ids), 10_000):  # under SQLite's limit of parameters
                chunk = ids[start : start + 10_000]
                marks = ", ".join("?" * len(chunk))
                for row in self._db.execute(
                    f"SELECT rowid, {', '.join(LINE_FIELDS)} FROM line WHERE rowid IN ({marks})",
                    chunk,
                ):
                    found[row[0]] = row[1:]
        return [LineRow(*found[i][:-1], Decimal(found[i][-1])) for i in ids]


EXPORT_HEADER = [
    *LINE_FIELDS[:11],
    "input_tokens",
    "output_tokens",
    "cost_usd",
]


def write_lines(path: Path, heading: str, listing: LineListing, view: ListingView) -> Path:
    """The lines of ``view`` (all of them, in its order) as a CSV or Excel file."""
    count, _total = listing.summary(view)
    rows = ([getattr(r, name) for name in LINE_FIELDS] for r in listing.page(0, count, view))
    return write_table(path, heading, EXPORT_HEADER, rows)


def line_listing(workspace: Workspace, period: str, path: Sequence[tuple[str, str]]) -> LineListing:
    """The usage lines of ``period`` under the filters of ``path``, ready to page through."""
    check_period(period)
    check_dimensions(d for d, _ in path)
    days = [value for name, value in path if name == "day"]
    if days and not days[0].startswith(period):
        raise ExploreError(f"the day {days[0]} is not in {period}")
    return LineListing(_rows(workspace, period, path))
