"""The budgets grid's state (Qt-free): teams × months of team budgets, cells as typed (checked
as amounts), what differs from the workspace, and the changes it prepares — typed, suggested
from a month plus a buffer, or read from a CSV file — each with its preview."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from app.domain.money import AmountError, parse_decimal
from app.domain.periods import shifted_month
from app.services.budget_changes import Cells, set_budgets, team_budgets
from app.services.budgets import read_budget_csv, suggested_budgets
from app.services.impact_preview import ImpactPreview, TeamImpact, preview_month
from app.services.policy_edits import PolicyChange, PolicyState, document_state
from app.services.pool_changes import change_settings
from app.services.reporting import available_periods
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import month_label, rate_from_percent, short_month

MONTHS_SHOWN = 12
MONTHS_BEFORE = 3
"""The grid shows the newest month with usage, three before it and eight after."""


@dataclass(frozen=True)
class GridLoad:
    state: PolicyState
    months: list[str]
    periods: list[str]
    """Months with usage (to suggest from)."""


def parse_cell(text: str) -> tuple[Decimal | None, str]:
    """A cell as typed → (amount or ``None`` for empty, problem)."""
    text = text.strip().replace("$", "").replace(",", "").strip()
    if not text:
        return None, ""
    try:
        amount = parse_decimal(text)
    except AmountError:
        return None, f"not an amount: {text!r}"
    if amount < 0:
        return None, "must not be negative"
    return amount, ""


def _cents(amount: Decimal | None) -> int:
    return 0 if amount is None else int((amount * 100).to_integral_value())


class BudgetGridPresenter:
    """Teams (rows) × months (columns) of team budgets."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.state: PolicyState | None = None
        self.teams: list[str] = []
        self.months: list[str] = []
        self.periods: list[str] = []
        self.saved: dict[tuple[str, str], Decimal] = {}

    def fetch(self) -> GridLoad:
        periods = available_periods(self.workspace)
        first = shifted_month(preview_month(self.workspace), -MONTHS_BEFORE)
        return GridLoad(
            document_state(self.workspace),
            [shifted_month(first, i) for i in range(MONTHS_SHOWN)],
            list(reversed(periods)),
        )

    def apply(self, load: GridLoad) -> None:
        self.state, self.months, self.periods = load.state, load.months, load.periods
        self.teams = [
            str(t["name"]) for t in load.state.mapping.get("teams", []) if not t.get("archived")
        ]
        self.saved = team_budgets(load.state)

    @property
    def go_live(self) -> str:
        """The go-live month of the policy ('' when every month is chargeback)."""
        settings = {} if self.state is None else self.state.mapping.get("settings", {})
        return str(settings.get("go_live") or "")

    @property
    def shadow_month(self) -> str | None:
        """The last shadow (showback) month with usage: what go-live budgets start from."""
        go_live = self.go_live
        return next((p for p in self.periods if go_live and p < go_live), None)

    @property
    def go_live_offer(self) -> str:
        """At go-live, the offer to set budgets from the shadow month ('' when none)."""
        shadow = self.shadow_month
        go_live = self.go_live
        # Offered while the go-live month is shown and has no budget yet (not forever after).
        if shadow is None or go_live not in self.months:
            return ""
        if any(month == go_live for _team, month in self.saved):
            return ""
        return (
            f"Chargeback starts in {month_label(self.go_live)}. Fill in suggests each team's "
            f"budget from {month_label(shadow)}, the last shadow month, plus the buffer, for "
            f"{month_label(self.go_live)} on (or the months chosen)."
        )

    def months_to_suggest(self, chosen: list[str]) -> list[str]:
        """The chosen months; none chosen: from go-live on when going live, else all shown."""
        if chosen:
            return chosen
        if self.go_live_offer:
            return [m for m in self.months if m >= self.go_live]
        return list(self.months)

    def month_titles(self) -> list[str]:
        return [short_month(m) for m in self.months]

    def cell_text(self, team: str, month: str) -> str:
        amount = self.saved.get((team, month))
        return "" if amount is None else f"{amount:f}"

    def changes(self, typed: dict[tuple[str, str], str]) -> tuple[Cells, list[str]]:
        """The cells that differ from the workspace, and every problem (team, month: why)."""
        cells: Cells = {}
        problems = []
        for (team, month), text in typed.items():
            amount, problem = parse_cell(text)
            if problem:
                problems.append(f"{team}, {month_label(month)}: {problem}")
            elif self.saved.get((team, month)) != amount:
                cells[(team, month)] = amount
        return cells, problems

    def save_task(
        self, cells: Cells, description: str
    ) -> Callable[[], tuple[PolicyChange, ImpactPreview]]:
        """The change and its preview: budgets change no invoice, so the preview lists each
        budget before and after (in the table's team column: ``Data · December 2026``)."""
        # From the budgets shown: if they changed elsewhere since, the edit stack refuses.
        loaded = self.state

        def prepare() -> tuple[PolicyChange, ImpactPreview]:
            state = loaded if loaded is not None else document_state(self.workspace)
            change = set_budgets(state, cells, description)
            saved = team_budgets(state)
            rows = tuple(
                TeamImpact(
                    f"{team} · {month_label(month)}",
                    _cents(saved.get((team, month))),
                    _cents(amount),
                )
                for (team, month), amount in sorted(cells.items(), key=lambda i: (i[0][1], i[0][0]))
            )
            first = min(m for _, m in cells)
            return change, ImpactPreview(first, description, rows, subject="budgets")

        return prepare

    def warn_percent(self) -> str:
        """The budget warning threshold as a percentage (``80``)."""
        if self.state is None:
            return ""
        rate = self.state.mapping.get("settings", {}).get("warn_threshold", "0.80")
        return f"{(Decimal(str(rate)) * 100).normalize():f}"

    def threshold_task(self, percent: str) -> Callable[[], tuple[PolicyChange, ImpactPreview]]:
        """Change the warning threshold (a team is flagged once its actual or forecast reaches
        that share of its budget)."""
        workspace, loaded = self.workspace, self.state
        rate = rate_from_percent(percent) or "0"

        def prepare() -> tuple[PolicyChange, ImpactPreview]:
            state = loaded if loaded is not None else document_state(workspace)
            change = change_settings(state, {"warn_threshold": rate})
            old = self.warn_percent() or "80"
            return change, ImpactPreview(
                "",
                f"Budget warning at {percent.strip()} % (was {old} %)",
                subject="budgets",
            )

        return prepare

    def suggest_task(
        self, basis: str, months: list[str], buffer_percent: str
    ) -> Callable[[], dict[tuple[str, str], Decimal]]:
        """Cells suggested from ``basis``'s invoices plus the buffer (filled in, not saved)."""
        workspace = self.workspace
        buffer, problem = parse_cell(buffer_percent)
        rate = (buffer or Decimal(0)) / 100

        def suggest() -> dict[tuple[str, str], Decimal]:
            if problem:
                raise ValueError(f"buffer: {problem}")
            return {
                (b.team, b.month): b.amount
                for b in suggested_budgets(workspace, basis, months, rate)
            }

        return suggest

    def csv_task(self, path: Path) -> Callable[[], dict[tuple[str, str], Decimal]]:
        """Team budgets read from a CSV file (filled in, not saved); refused with every
        problem."""
        workspace = self.workspace

        def read() -> dict[tuple[str, str], Decimal]:
            return {
                (b.team, b.month): b.amount
                for b in read_budget_csv(workspace, path)
                if not b.product
            }

        return read
