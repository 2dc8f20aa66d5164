"""The taxonomy editor's state (Qt-free): teams with their department, cost center, owner,
invoice code, overhead override, aliases and status; departments, products and environments;
and the changes the page prepares, each with its impact on the newest month."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.services.impact_preview import ImpactPreview, preview_change, preview_month
from app.services.policy_edits import EditRefused, PolicyChange, PolicyState, document_state
from app.services.taxonomy_changes import (
    add_named,
    add_team,
    archive_team,
    delete_named,
    delete_team,
    merge_teams,
    rename_named,
    restore_team,
    save_team,
    teams_with_history,
)
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import percent, rate_from_percent
from app.ui.presentation.table import Column, TableState

PrepareTask = Callable[[], tuple[PolicyChange, ImpactPreview]]
SECTIONS = ("departments", "products", "environments")


@dataclass(frozen=True)
class TaxonomyLoad:
    state: PolicyState
    history: set[str]
    period: str


@dataclass
class TeamForm:
    """The team being edited (``name`` empty and ``original`` empty: a new team)."""

    original: str = ""
    name: str = ""
    department: str = ""
    cost_center: str = ""
    owner: str = ""
    code: str = ""
    overhead: str = ""
    """Percent, as typed (``12.5``); empty: the global rate."""
    aliases: str = ""
    """Comma-separated."""
    archived: bool = False

    def fields(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "department": self.department.strip(),
            "cost_center": self.cost_center.strip(),
            "owner": self.owner.strip(),
            "code": self.code.strip(),
            "aliases": [a.strip() for a in self.aliases.split(",") if a.strip()],
        }
        found["overhead_rate"] = rate_from_percent(self.overhead)
        return found


class TaxonomyPresenter:
    """Teams and the named lists of the policy in force."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.table = TableState(
            [
                Column("Team"),
                Column("Department"),
                Column("Cost center"),
                Column("Overhead", True),
                Column("Status"),
            ],
            empty_text="No teams yet: Add a team",
        )
        self.state: PolicyState | None = None
        self.history: set[str] = set()
        self.period = ""
        self.teams: list[dict[str, Any]] = []
        self.lists: dict[str, list[str]] = {s: [] for s in SECTIONS}

    def fetch(self) -> TaxonomyLoad:
        return TaxonomyLoad(
            document_state(self.workspace),
            teams_with_history(self.workspace),
            preview_month(self.workspace),
        )

    def reload(self) -> None:
        self.apply(self.fetch())

    def apply(self, load: TaxonomyLoad) -> None:
        self.state, self.history, self.period = load.state, load.history, load.period
        mapping = load.state.mapping
        self.teams = list(mapping.get("teams", []))
        self.lists = {s: [str(e.get("name")) for e in mapping.get(s, [])] for s in SECTIONS}
        rows = []
        self.table.alerts = {}
        for index, team in enumerate(self.teams):
            name = str(team.get("name"))
            rate = team.get("overhead_rate")
            status = "archived" if team.get("archived") else "active"
            if name in self.history:
                status += " · invoiced"
            if team.get("archived"):
                self.table.alerts[index] = "warning"
            rows.append(
                [
                    name,
                    str(team.get("department", "")),
                    str(team.get("cost_center", "")),
                    "" if rate is None else percent(Decimal(str(rate)), 1),
                    status,
                ]
            )
        self.table.rows = rows

    def team_names(self, *, active_only: bool = False) -> list[str]:
        return [str(t.get("name")) for t in self.teams if not (active_only and t.get("archived"))]

    def form_at(self, row: int) -> TeamForm:
        if not 0 <= row < len(self.teams):
            return TeamForm()
        team = self.teams[row]
        rate = team.get("overhead_rate")
        return TeamForm(
            str(team.get("name")),
            str(team.get("name")),
            str(team.get("department", "")),
            str(team.get("cost_center", "")),
            str(team.get("owner", "")),
            str(team.get("code", "")),
            "" if rate is None else f"{(Decimal(str(rate)) * 100).normalize():f}",
            ", ".join(team.get("aliases", [])),
            bool(team.get("archived")),
        )

    def _task(self, make: Callable[[PolicyState], PolicyChange]) -> PrepareTask:
        workspace, period, loaded = self.workspace, self.period, self.state

        def prepare() -> tuple[PolicyChange, ImpactPreview]:
            # From the taxonomy shown: if it changed elsewhere since, the stack refuses.
            change = make(loaded if loaded is not None else document_state(workspace))
            return change, preview_change(workspace, change, period)

        return prepare

    def save_task(self, form: TeamForm) -> PrepareTask:
        fields = form.fields()
        if not form.original:
            name = form.name.strip()

            def add(state: PolicyState) -> PolicyChange:
                if not name:
                    raise EditRefused("Give the new team a name")
                return add_team(state, {"name": name, **fields})

            return self._task(add)
        return self._task(lambda s: save_team(s, form.original, form.name, fields))

    def merge_task(self, source: str, target: str) -> PrepareTask:
        history = set(self.history)
        return self._task(lambda s: merge_teams(s, source, target, history))

    def archive_task(self, name: str, archived: bool) -> PrepareTask:
        if archived:
            return self._task(lambda s: restore_team(s, name))
        return self._task(lambda s: archive_team(s, name))

    def delete_task(self, name: str) -> PrepareTask:
        history = set(self.history)
        return self._task(lambda s: delete_team(s, name, history))

    def add_named_task(self, section: str, name: str) -> PrepareTask:
        return self._task(lambda s: add_named(s, section, name, []))

    def rename_named_task(self, section: str, old: str, new: str) -> PrepareTask:
        return self._task(lambda s: rename_named(s, section, old, new))

    def delete_named_task(self, section: str, name: str) -> PrepareTask:
        return self._task(lambda s: delete_named(s, section, name))
