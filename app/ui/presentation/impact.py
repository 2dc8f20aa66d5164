"""How an impact preview reads: each team's month now and after the change, and the share of
usage cost that reaches a team (Qt-free)."""

from __future__ import annotations

from app.domain.policy import UNALLOCATED
from app.services.impact_preview import ImpactPreview, TeamImpact
from app.ui.presentation.formatting import money_from_cents as _cents
from app.ui.presentation.formatting import month_label, percent
from app.ui.presentation.table import Column, TableState


def _signed(value: int) -> str:
    if value == 0:
        return "—"
    return ("+" if value > 0 else "−") + _cents(abs(value))


def _row(name: str, team: TeamImpact) -> list[str]:
    return [
        name,
        _cents(team.before_cents),
        _cents(team.after_cents),
        _signed(team.change_cents),
    ]


class ImpactPresenter:
    """What the preview panel shows for one :class:`ImpactPreview` (or nothing)."""

    def __init__(self) -> None:
        self.table = TableState(
            [Column("Team"), Column("Now", True), Column("After", True), Column("Change", True)],
            empty_text="No invoice of this month changes",
        )
        self.title = ""
        self.summary = ""
        self.problems: list[str] = []
        """Why the change cannot be made."""
        self.notes: list[str] = []
        """What else it replaces (budgets, prices…)."""
        self.can_apply = False

    def show(self, preview: ImpactPreview | None) -> None:
        self.table.rows, self.table.total, self.table.alerts = [], None, {}
        self.problems, self.notes = [], []
        if preview is None:
            self.title = self.summary = ""
            self.can_apply = False
            return
        month = month_label(preview.period) if preview.period else "the month"
        self.title = f"{preview.description} — effect on {month}"
        self.table.columns[0] = Column("Budget" if preview.subject == "budgets" else "Team")
        if preview.problems:
            self.summary = "This change cannot be made:"
            self.problems = list(preview.problems)
            self.can_apply = False
            return
        self.can_apply = True
        self.notes = list(preview.notes)
        if preview.closed:
            self.summary = (
                f"{month} is closed: its invoices stay as billed. The change applies to the "
                f"open months."
            )
            return
        if preview.subject == "budgets":
            self.title = preview.description
            if not preview.teams:
                self.summary = (
                    "No budget or invoice changes; the Budgets page flags teams from the new share."
                )
                return
            self.table.rows = [_row(t.team, t) for t in preview.teams]
            before = sum(t.before_cents for t in preview.teams)
            after = sum(t.after_cents for t in preview.teams)
            self.table.total = ["Total", _cents(before), _cents(after), _signed(after - before)]
            self.summary = (
                f"{len(preview.teams)} budget(s) change. Budgets change no invoice; the Budgets "
                f"page compares them with the actuals."
            )
            return
        invoiced = [t for t in preview.teams if t.team != UNALLOCATED]
        unallocated = [t for t in preview.teams if t.team == UNALLOCATED]
        self.table.rows = [_row(t.team, t) for t in invoiced] + [
            _row(f"{UNALLOCATED} (not invoiced)", t) for t in unallocated
        ]
        before = sum(t.before_cents for t in invoiced)
        after = sum(t.after_cents for t in invoiced)
        self.table.total = [
            "Total invoiced",
            _cents(before),
            _cents(after),
            _signed(after - before),
        ]
        changed = [t for t in invoiced if t.change_cents]
        share = (
            f"Usage cost reaching a team: {percent(preview.allocated_before, 1)} → "
            f"{percent(preview.allocated_after, 1)}."
        )
        if not changed and not any(t.change_cents for t in unallocated):
            self.summary = (
                f"No invoice of {month} changes; usage cost reaching a team stays "
                f"{percent(preview.allocated_after, 1)}."
            )
            return
        self.summary = (
            f"{len(changed)} of {len(invoiced)} invoices change; invoiced in all "
            f"{_cents(before)} → {_cents(after)}. {share}"
        )
