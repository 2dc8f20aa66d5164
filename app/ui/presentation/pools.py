"""The Pools and settings page's state (Qt-free): the pools in order, the pool form with its
live weight check, the settings in words, the provider's totals, and the changes the page
prepares with their impact on the newest month."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.domain.policy import POOL_METHODS, TRUE_UP_MODES, UNALLOCATED_MODES
from app.services.impact_preview import ImpactPreview, preview_change, preview_month
from app.services.policy_edits import PolicyChange, PolicyState, document_state, policy_state
from app.services.pool_changes import (
    change_settings,
    delete_pool,
    delete_provider_total,
    move_pool,
    save_pool,
    set_provider_total,
    weights_total,
)
from app.services.reporting import available_periods
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import money, percent, rate_from_percent
from app.ui.presentation.table import Column, TableState

PrepareTask = Callable[[], tuple[PolicyChange, ImpactPreview]]
METHOD_WORDS = {
    "proportional": "in proportion to each target's direct cost",
    "even": "in equal parts",
    "fixed": "by fixed percentages (adding up to 100 %)",
    "weighted": "in proportion to weights you give",
}
TRUE_UP_WORDS = {
    "none": "None: teams pay their usage as priced",
    "proportional": "Proportional: the provider's invoice difference shared by direct cost",
}
UNALLOCATED_WORDS = {
    "show": "Show it: not invoiced, listed apart",
    "spread": "Spread it over the teams in proportion to their cost",
}
assert set(METHOD_WORDS) == set(POOL_METHODS)
assert set(TRUE_UP_WORDS) == set(TRUE_UP_MODES) and set(UNALLOCATED_WORDS) == set(UNALLOCATED_MODES)


@dataclass(frozen=True)
class PoolsLoad:
    state: PolicyState
    document: PolicyState
    period: str
    periods: list[str] = field(default_factory=list)
    """Months with usage."""


@dataclass
class PoolForm:
    """The pool being edited; ``position`` ``None``: a new pool."""

    team: str = ""
    method: str = "proportional"
    targets: list[str] = field(default_factory=list)
    weights: dict[str, str] = field(default_factory=dict)
    position: int | None = None

    def pool(self) -> dict[str, Any]:
        found: dict[str, Any] = {"team": self.team, "method": self.method}
        if self.targets:
            found["targets"] = list(self.targets)
        if self.method in ("fixed", "weighted"):
            found["weights"] = {k: v.strip() for k, v in self.weights.items() if v.strip()}
        return found


def weight_check(form: PoolForm) -> tuple[str, bool]:
    """The live line under the weights: their total, and whether the pool can be saved."""
    if form.method not in ("fixed", "weighted"):
        return "", True
    total = weights_total({k: v for k, v in form.weights.items() if v.strip()})
    if total is None:
        return "A weight is not a number", False
    if form.method == "fixed":
        if total == 100:
            return "Total 100 % ✓", True
        return f"Total {total.normalize():f} % — fixed percentages must add up to 100 %", False
    return f"Total weight {total.normalize():f}", total > 0


class PoolsPresenter:
    """Pools, settings and provider totals of the policy in force."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.pools = TableState(
            [Column("#", True), Column("Pool"), Column("Method"), Column("Shared among")],
            empty_text="No pools: every team pays its own usage",
        )
        self.totals = TableState(
            [Column("Month"), Column("Provider total", True), Column("Invoice")],
            empty_text="No provider totals entered: the true-up has nothing to compare",
        )
        self.state: PolicyState | None = None
        self.document: PolicyState | None = None
        self.period = ""
        self.teams: list[str] = []
        self.pool_list: list[dict[str, Any]] = []
        self.settings: dict[str, Any] = {}
        self.periods: list[str] = []
        self.total_values: list[tuple[str, str, str]] = []
        """(month, total as stored, invoice number) — the form takes these, never the
        amounts as displayed (a locale's separators would change them)."""

    def fetch(self) -> PoolsLoad:
        periods = available_periods(self.workspace)
        return PoolsLoad(
            policy_state(self.workspace),
            document_state(self.workspace),
            preview_month(self.workspace),
            periods,
        )

    def reload(self) -> None:
        self.apply(self.fetch())

    def apply(self, load: PoolsLoad) -> None:
        self.state, self.document, self.period = load.state, load.document, load.period
        self.periods = load.periods
        self.total_values = [
            (str(i["period"]), str(i["total"]), str(i.get("invoice_number", "")))
            for i in load.document.mapping.get("provider_invoices", [])
        ]
        mapping = load.state.mapping
        self.teams = [str(t["name"]) for t in mapping.get("teams", []) if not t.get("archived")]
        self.pool_list = list(mapping.get("pools", []))
        self.settings = dict(mapping.get("settings", {}))
        self.pools.rows = [
            [
                str(index),
                str(pool.get("team")),
                str(pool.get("method", "proportional")),
                self._among(pool),
            ]
            for index, pool in enumerate(self.pool_list, start=1)
        ]
        self.totals.rows = [
            [
                str(i["period"]),
                money(Decimal(str(i["total"]))),
                str(i.get("invoice_number", "")),
            ]
            for i in load.document.mapping.get("provider_invoices", [])
        ]

    @staticmethod
    def _among(pool: dict[str, Any]) -> str:
        targets = pool.get("targets") or ["every team"]
        weights = pool.get("weights") or {}
        if weights:
            return ", ".join(f"{t} {weights.get(t, '0')}" for t in targets if t in weights) or (
                ", ".join(f"{t} {w}" for t, w in weights.items())
            )
        return ", ".join(targets)

    def form_at(self, row: int) -> PoolForm:
        if not 0 <= row < len(self.pool_list):
            return PoolForm(team=self.teams[0] if self.teams else "")
        pool = self.pool_list[row]
        return PoolForm(
            str(pool.get("team")),
            str(pool.get("method", "proportional")),
            list(pool.get("targets", [])),
            {k: str(v) for k, v in (pool.get("weights") or {}).items()},
            row + 1,
        )

    def settings_text(self, key: str) -> str:
        """A setting as the form shows it (rates as percentages)."""
        value = self.settings.get(key, "")
        if key in ("overhead_rate", "warn_threshold") and value != "":
            return f"{(Decimal(str(value)) * 100).normalize():f}"
        return str(value)

    def _policy(self) -> PolicyState:
        """The policy as the page shows it: a change made from it is refused if the policy
        changed elsewhere since."""
        return self.state if self.state is not None else policy_state(self.workspace)

    def _document(self) -> PolicyState:
        return self.document if self.document is not None else document_state(self.workspace)

    def _task(self, make: Callable[[], PolicyChange], period: str = "") -> PrepareTask:
        workspace, period = self.workspace, period or self.period

        def prepare() -> tuple[PolicyChange, ImpactPreview]:
            change = make()
            return change, preview_change(workspace, change, period)

        return prepare

    def save_pool_task(self, form: PoolForm) -> PrepareTask:
        pool, position, state = form.pool(), form.position, self._policy()
        return self._task(lambda: save_pool(state, position, pool))

    def delete_pool_task(self, position: int) -> PrepareTask:
        state = self._policy()
        return self._task(lambda: delete_pool(state, position))

    def move_pool_task(self, position: int, to: int) -> PrepareTask:
        state = self._policy()
        return self._task(lambda: move_pool(state, position, to))

    def settings_task(self, values: dict[str, str]) -> PrepareTask:
        """Save settings as typed (percentages for the two rates)."""
        typed = dict(values)
        for key in ("overhead_rate", "warn_threshold"):
            if key in typed:
                typed[key] = rate_from_percent(typed[key]) or "0"
        state = self._policy()
        return self._task(lambda: change_settings(state, typed))

    def total_task(self, period: str, total: str, number: str) -> PrepareTask:
        month, state = period.strip(), self._document()
        return self._task(
            lambda: set_provider_total(state, month, total, number),
            month if month in self.periods else "",
        )

    def delete_total_task(self, period: str) -> PrepareTask:
        state = self._document()
        return self._task(
            lambda: delete_provider_total(state, period),
            period if period in self.periods else "",
        )


def settings_summary(presenter: PoolsPresenter) -> str:
    rate = presenter.settings.get("overhead_rate", "0")
    return (
        f"Overhead {percent(Decimal(str(rate)), 1)} on every team's usage; true-up "
        f"{presenter.settings.get('true_up', 'none')}; unallocated cost "
        f"{presenter.settings.get('unallocated', 'show')}."
    )
