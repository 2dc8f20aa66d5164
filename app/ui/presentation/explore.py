"""Explore (drill-down) state, Qt-free: the month's usage grouped by one dimension under the
filters chosen so far — Team → Product → Model → Day by default, any dimension by the group-by
chooser (team, product, environment, model, tier, speed, API key, workspace, user, a tag, day).
Each level is a place the navigator can go back to, and is read on a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from app.services.explore import Group, explore_level, tag_dimensions, write_level
from app.services.invoices import load_policy
from app.services.line_listing import ListingView, line_listing, write_lines
from app.services.workspaces import Workspace
from app.ui.presentation.dashboard import OTHER_COLOUR, TEAM_COLOURS, team_palette
from app.ui.presentation.formatting import count, count_or_dash, day_label, money, percent
from app.ui.presentation.line_pages import LinePages, LinesRead, read_view
from app.ui.presentation.monthly import MonthLoad, MonthlyPresenter
from app.ui.presentation.table import Column, TableState

DIMENSIONS: dict[str, str] = {
    "team": "Team",
    "product": "Product",
    "environment": "Environment",
    "model": "Model",
    "service_tier": "Tier",
    "speed": "Speed",
    "api_key": "API key",
    "workspace": "Workspace",
    "user": "User",
    "day": "Day",
}
"""The dimensions of the chooser; ``tag.<name>`` works too (see :func:`dimension_label`)."""


LINES = "lines"
"""The level of single usage lines: below a day, or for any level from the chooser."""


def dimension_label(name: str) -> str:
    if name == LINES:
        return "Usage lines"
    return DIMENSIONS.get(name) or (f"Tag {name[4:]}" if name.startswith("tag.") else name)


DRILL = ("team", "product", "model", "day")
"""The default path down: each level groups by the next dimension not yet filtered."""
CHART_GROUPS = 15
GROUP_COLUMNS = [
    Column("Team"),
    Column("Cost", True),
    Column("Share", True),
    Column("Requests", True),
    Column("Input tokens", True),
    Column("Output tokens", True),
]


def _next_dimension(path: list[tuple[str, str]], current: str) -> str:
    used = {dimension for dimension, _ in path}
    for dimension in DRILL:
        if dimension not in used:
            return dimension
    return current


class ExplorePresenter(MonthlyPresenter):
    """The current level: filters (``path``), the dimension grouped by, and its groups."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.path: list[tuple[str, str]] = []
        self.group_by = "team"
        self.groups: list[Group] = []
        self.line_pages: LinePages | None = None
        """The usage lines, when the level is :data:`LINES` (paged)."""
        self.tags: list[str] = []
        """``tag.<name>`` for each tag the usage carries: more choices for the group-by."""
        self.colours: dict[str, str] = {}
        """Each team's colour (as on the dashboard)."""
        self.table = TableState(list(GROUP_COLUMNS), empty_text="No usage here")

    def _fetch(self, period: str) -> tuple[list[Group] | LinesRead, list[str], list[str]]:
        teams = [team.name for team in load_policy(self.workspace).teams]
        tags = tag_dimensions(self.workspace)
        if self.group_by == LINES:
            listing = line_listing(self.workspace, period, list(self.path))
            return read_view(listing, ListingView()), teams, tags
        return explore_level(self.workspace, period, list(self.path), self.group_by), teams, tags

    def _apply(self, data: tuple[list[Group] | LinesRead, list[str], list[str]] | None) -> None:
        found, teams, self.tags = data if data is not None else ([], [], [])
        self.colours = team_palette(teams)
        self.dispose()
        self.groups = []
        if isinstance(found, LinesRead):
            self.line_pages = LinePages(found)
            self.table.rows, self.table.total = [], None
            return
        self.groups = found
        self.regroup()

    def discard(self, load: MonthLoad) -> None:
        if load.data is not None and isinstance(load.data[0], LinesRead):
            load.data[0].listing.release()

    def dispose(self) -> None:
        """Let go of the usage lines shown (a level left, the workspace closed); a worker
        still reading them keeps them until it is done."""
        if self.line_pages is not None:
            self.line_pages.listing.release()
            self.line_pages = None

    # -- the level ---------------------------------------------------------------------------

    def regroup(self) -> None:
        """The table of the groups read for the current level."""
        total = sum((g.cost for g in self.groups), Decimal(0))
        self.table.columns[:] = GROUP_COLUMNS
        self.table.columns[0] = Column(dimension_label(self.group_by))
        self.table.rows = [
            [
                self.group_label(g),
                money(g.cost),
                "—" if not total else percent(g.cost / total, 1),
                count_or_dash(g.requests),
                count(g.prompt_tokens),
                count(g.output_tokens),
            ]
            for g in self.groups
        ]
        self.table.total = (
            [
                "Total",
                money(total),
                percent(1, 1) if total else "",
                count(sum(g.requests for g in self.groups)),
                count(sum(g.prompt_tokens for g in self.groups)),
                count(sum(g.output_tokens for g in self.groups)),
            ]
            if self.groups
            else None
        )

    def group_label(self, group: Group) -> str:
        """A group as shown: a day in the user's date format, a blank value as "(none)"."""
        if self.group_by == "day" and group.value:
            return day_label(group.value)
        return group.value or "(none)"

    def colour(self, group: Group) -> str:
        """A team's own colour; any other dimension in one colour."""
        if self.group_by == "team":
            return self.colours.get(group.value, OTHER_COLOUR)
        return TEAM_COLOURS[0]

    def chart_groups(self) -> list[Group]:
        """The groups drawn: days in order; otherwise the largest."""
        return self.groups if self.group_by == "day" else self.groups[:CHART_GROUPS]

    def can_drill(self) -> bool:
        """Down to the usage lines, the deepest level."""
        return self.group_by != LINES

    def drill(self, index: int) -> bool:
        """Choose the level one down into group ``index`` (filter on it, group by the next
        dimension); the page then reads it."""
        if not 0 <= index < len(self.groups) or self.group_by == LINES:
            return False
        self.path.append((self.group_by, self.groups[index].value))
        if self.group_by == "day":
            self.group_by = LINES  # a day: the usage lines behind it
        else:
            self.group_by = _next_dimension(self.path, "day")
        return True

    def choices(self) -> list[tuple[str, str]]:
        """The group-by chooser: (dimension, label) — the fixed ones, each tag, the lines."""
        names = [*DIMENSIONS, *self.tags]
        if self.group_by not in names and self.group_by != LINES:
            names.append(self.group_by)  # a tag named by a path the navigator kept
        return [(name, dimension_label(name)) for name in (*names, LINES)]

    def set_group_by(self, dimension: str) -> bool:
        if dimension == self.group_by:
            return False
        self.group_by = dimension
        return True

    def crumbs(self) -> list[str]:
        """The breadcrumb: the whole month, then each filter chosen."""
        return ["Whole month"] + [
            f"{dimension_label(dimension)}: "
            + (day_label(value) if dimension == "day" and value else value or "(none)")
            for dimension, value in self.path
        ]

    def back_to(self, depth: int) -> bool:
        """Keep the first ``depth`` filters (0: the whole month); group by what was next."""
        if not 0 <= depth < len(self.path):
            return False
        self.group_by = self.path[depth][0]
        self.path = self.path[:depth]
        return True

    def export_task(self, path: Path) -> Callable[[], Path]:
        """Writing the level shown (exact amounts) to ``path``, for a worker thread."""
        heading = f"{self.period} · " + " › ".join(self.crumbs())
        if self.line_pages is not None and self.line_pages.view.search:
            heading += f" · lines matching “{self.line_pages.view.search}”"
        pages, groups, dimension = self.line_pages, list(self.groups), self.group_by
        listing = pages.listing.retain() if pages is not None else None

        def write() -> Path:
            if pages is None or listing is None:
                return write_level(path, heading, dimension, groups)
            try:
                return write_lines(path, heading, listing, pages.view)
            finally:
                listing.release()

        return write

    # -- places for the navigator -------------------------------------------------------------

    def place_detail(self) -> tuple[str, ...]:
        """The current level as text the navigator keeps (``team=Data``, ``by=product``)."""
        return (*(f"{d}={v}" for d, v in self.path), f"by={self.group_by}")

    def go_to(self, detail: tuple[str, ...]) -> None:
        """Choose the level ``detail`` names; the page then reads it."""
        path, group_by = [], "team"
        for part in detail:
            name, _, value = part.partition("=")
            if name == "by":
                group_by = value
            else:
                path.append((name, value))
        self.path, self.group_by = path, group_by
