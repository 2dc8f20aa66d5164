"""Explore (drill-down) state, Qt-free: the month's usage grouped by one dimension under the
filters chosen so far — Team → Product → Model → Day by default, any of the dimensions by the
group-by chooser. Each level is a place the navigator can go back to.

The month's priced, attributed usage (the facts the invoices are summed from, computed once
per workspace state) is read on a worker; grouping it is a sum over those facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.money import MONEY_CONTEXT, format_money_display
from app.domain.unit_economics import UsageFact
from app.services.insights import usage_facts
from app.services.invoices import load_policy
from app.services.workspaces import Workspace
from app.ui.presentation.dashboard import OTHER_COLOUR, TEAM_COLOURS, team_palette
from app.ui.presentation.monthly import MonthlyPresenter
from app.ui.presentation.table import Column, TableState

DIMENSIONS: dict[str, str] = {
    "team": "Team",
    "product": "Product",
    "environment": "Environment",
    "model": "Model",
    "service_tier": "Tier",
    "day": "Day",
}
DRILL = ("team", "product", "model", "day")
"""The default path down: each level groups by the next dimension not yet filtered."""
CHART_GROUPS = 15


@dataclass(frozen=True)
class Group:
    """One group of the current level."""

    value: str
    cost: Decimal
    requests: int
    prompt_tokens: int
    output_tokens: int


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
        self.facts: list[UsageFact] = []
        self.path: list[tuple[str, str]] = []
        self.group_by = "team"
        self.groups: list[Group] = []
        self.colours: dict[str, str] = {}
        """Each team's colour (as on the dashboard)."""
        self.table = TableState(
            [
                Column("Team"),
                Column("Cost", True),
                Column("Share", True),
                Column("Requests", True),
                Column("Input tokens", True),
                Column("Output tokens", True),
            ],
            empty_text="No usage here",
        )

    def _fetch(self, period: str) -> tuple[list[UsageFact], list[str]]:
        teams = [team.name for team in load_policy(self.workspace).teams]
        return usage_facts(self.workspace, period)[0], teams

    def _apply(self, data: tuple[list[UsageFact], list[str]] | None) -> None:
        self.facts, teams = data if data is not None else ([], [])
        self.colours = team_palette(teams)
        self.regroup()

    # -- the level ---------------------------------------------------------------------------

    def regroup(self) -> None:
        """Group the facts under the path by the chosen dimension, largest cost first."""
        sums: dict[str, list[object]] = {}
        for fact in self.facts:
            if any(getattr(fact, dimension) != value for dimension, value in self.path):
                continue
            key = getattr(fact, self.group_by)
            row = sums.setdefault(key, [Decimal(0), 0, 0, 0])
            row[0] = MONEY_CONTEXT.add(row[0], fact.cost)  # type: ignore[arg-type]
            row[1] += fact.requests  # type: ignore[operator]
            row[2] += fact.input_tokens + fact.cache_write_tokens + fact.cache_read_tokens  # type: ignore[operator]
            row[3] += fact.output_tokens  # type: ignore[operator]
        groups = [Group(value, *row) for value, row in sums.items()]  # type: ignore[arg-type]
        order = (lambda g: (g.value,)) if self.group_by == "day" else (lambda g: (-g.cost, g.value))
        self.groups = sorted(groups, key=order)  # type: ignore[arg-type]
        total = sum((g.cost for g in self.groups), Decimal(0))
        self.table.columns[0] = Column(DIMENSIONS[self.group_by])
        self.table.rows = [
            [
                g.value or "(none)",
                format_money_display(g.cost),
                "—" if not total else f"{g.cost / total * 100:.1f}%",
                f"{g.requests:,}" if g.requests else "—",
                f"{g.prompt_tokens:,}",
                f"{g.output_tokens:,}",
            ]
            for g in self.groups
        ]
        self.table.total = (
            [
                "Total",
                format_money_display(total),
                "100.0%" if total else "",
                f"{sum(g.requests for g in self.groups):,}",
                f"{sum(g.prompt_tokens for g in self.groups):,}",
                f"{sum(g.output_tokens for g in self.groups):,}",
            ]
            if self.groups
            else None
        )

    def colour(self, group: Group) -> str:
        """A team's own colour; any other dimension in one colour."""
        if self.group_by == "team":
            return self.colours.get(group.value, OTHER_COLOUR)
        return TEAM_COLOURS[0]

    def chart_groups(self) -> list[Group]:
        """The groups drawn: days in order; otherwise the largest."""
        return self.groups if self.group_by == "day" else self.groups[:CHART_GROUPS]

    def can_drill(self) -> bool:
        """A day is the deepest level here (the usage lines behind it come next)."""
        return self.group_by != "day"

    def drill(self, index: int) -> bool:
        """Go one level down into group ``index``: filter on it, group by the next dimension."""
        if not 0 <= index < len(self.groups) or self.group_by == "day":
            return False
        self.path.append((self.group_by, self.groups[index].value))
        self.group_by = _next_dimension(self.path, "day")
        self.regroup()
        return True

    def set_group_by(self, dimension: str) -> None:
        if dimension in DIMENSIONS and dimension != self.group_by:
            self.group_by = dimension
            self.regroup()

    def crumbs(self) -> list[str]:
        """The breadcrumb: the whole month, then each filter chosen."""
        return ["Whole month"] + [
            f"{DIMENSIONS[dimension]}: {value or '(none)'}" for dimension, value in self.path
        ]

    def back_to(self, depth: int) -> None:
        """Keep the first ``depth`` filters (0: the whole month); group by what was next."""
        if 0 <= depth < len(self.path):
            self.group_by = self.path[depth][0]
            self.path = self.path[:depth]
            self.regroup()

    # -- places for the navigator -------------------------------------------------------------

    def place_detail(self) -> tuple[str, ...]:
        """The current level as text the navigator keeps (``team=Data``, ``by=product``)."""
        return (*(f"{d}={v}" for d, v in self.path), f"by={self.group_by}")

    def go_to(self, detail: tuple[str, ...]) -> None:
        path, group_by = [], "team"
        for part in detail:
            name, _, value = part.partition("=")
            if name == "by" and value in DIMENSIONS:
                group_by = value
            elif name in DIMENSIONS:
                path.append((name, value))
        self.path, self.group_by = path, group_by
        self.regroup()
