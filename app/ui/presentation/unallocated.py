"""The Unallocated queue page's state: the month's unmapped raw values, biggest first, the
share of usage cost that reaches a team, and the teams a value can be mapped to (Qt-free)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.services.impact_preview import ImpactPreview, preview_change
from app.services.mapping_changes import map_to_team
from app.services.policy_edits import PolicyChange, PolicyState, policy_state
from app.services.unallocated import UnallocatedQueue, UnmappedValue, unallocated_queue
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import count, money, month_label, percent
from app.ui.presentation.monthly import MonthlyPresenter
from app.ui.presentation.table import Column, TableState


@dataclass(frozen=True)
class QueueLoad:
    queue: UnallocatedQueue
    teams: list[str]
    state: PolicyState | None = None


class UnallocatedPresenter(MonthlyPresenter):
    """One row per unmapped value; mapping one prepares a change and its preview."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.table = TableState(
            [
                Column("Found in"),
                Column("Value"),
                Column("Lines", True),
                Column("Cost", True),
                Column("Share", True),
            ],
            empty_text="Every line of this month reaches a team",
        )
        self.values: list[UnmappedValue] = []
        self.teams: list[str] = []
        self.state: PolicyState | None = None
        self.summary = ""

    def _fetch(self, period: str) -> QueueLoad:
        state = policy_state(self.workspace)
        teams = [str(t.get("name")) for t in state.mapping.get("teams", [])]
        return QueueLoad(unallocated_queue(self.workspace, period), teams, state)

    def _apply(self, load: QueueLoad | None) -> None:
        self.table.rows, self.table.total = [], None
        if load is None:
            self.values, self.teams = [], []
            self.summary = "No usage imported yet."
            return
        queue = load.queue
        self.values, self.teams, self.state = list(queue.values), load.teams, load.state
        for value in self.values:
            share = value.cost / queue.unallocated_cost if queue.unallocated_cost else None
            self.table.rows.append(
                [
                    value.dimension,
                    value.value,
                    count(value.lines),
                    money(value.cost),
                    "" if share is None else percent(share, 1),
                ]
            )
        if self.values:
            self.table.total = [
                "Unallocated",
                f"{count(len(self.values))} value{'' if len(self.values) == 1 else 's'}",
                count(sum(v.lines for v in self.values)),
                money(queue.unallocated_cost),
                percent(1, 1),
            ]
        month = month_label(queue.period)
        self.summary = (
            f"{percent(queue.allocated_share, 1)} of {month}'s usage cost "
            f"({money(queue.total_cost)}) reaches a team; {money(queue.unallocated_cost)} "
            f"is unallocated. Choose a value and a team: the value becomes a rule."
            if self.values
            else f"All of {month}'s usage cost ({money(queue.total_cost)}) reaches a team."
        )

    def first_mappable(self) -> int:
        """The biggest value a rule can catch (-1 if none): chosen when the page opens."""
        return next((i for i in range(len(self.values)) if self.can_map(i)), -1)

    def can_map(self, row: int) -> bool:
        return 0 <= row < len(self.values) and bool(self.values[row].conditions)

    def preview_task(self, row: int, team: str) -> Callable[[], tuple[PolicyChange, ImpactPreview]]:
        """The change that maps row ``row`` to ``team`` and its preview, for a worker."""
        workspace, value, period = self.workspace, self.values[row], self.period
        loaded = self.state
        assert period is not None

        def prepare() -> tuple[PolicyChange, ImpactPreview]:
            # From the policy the queue was read under: if it changed since, the stack refuses.
            state = loaded if loaded is not None else policy_state(workspace)
            change = map_to_team(state, value, team)
            return change, preview_change(workspace, change, period)

        return prepare
