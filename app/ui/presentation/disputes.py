"""The Disputes page's state (Qt-free): every dispute in words, filtered by status, team and
month; the chosen one in full; and what the record, accept and reject dialogs offer and do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from app.services.disputes import (
    ContestableLine,
    Dispute,
    accept_dispute,
    contestable_lines,
    list_disputes,
    move_targets,
    record_dispute,
    reject_dispute,
)
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import count, money, month_label, short_month
from app.ui.presentation.table import Column, TableState

ALL_STATUSES, ALL_TEAMS, ALL_MONTHS = "Every status", "Every team", "Every month"
STATUS_WORDS = {"open": "Open", "accepted": "Accepted", "rejected": "Rejected"}


@dataclass(frozen=True)
class DisputesLoad:
    """One read for the page: the disputes, the lines that can be contested, the teams an
    amount can move to."""

    disputes: list[Dispute]
    lines: list[ContestableLine]
    targets: list[str]


@dataclass
class DisputeFilter:
    status: str = ALL_STATUSES
    team: str = ALL_TEAMS
    month: str = ALL_MONTHS


def _amount(text: str | None) -> str:
    return "" if text is None else money(Decimal(text))


def where_it_lands(dispute: Dispute) -> str:
    """Where an accepted dispute's amount moves, in words."""
    if dispute.status != "accepted":
        return ""
    if dispute.lands_in is None:
        return "none (showback)"
    if dispute.billed_in is not None:
        return f"billed in {month_label(dispute.billed_in)}"
    return f"{month_label(dispute.lands_in)} draft"


class DisputesPresenter:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.table = TableState(
            [
                Column("Dispute"),
                Column("Status"),
                Column("Month"),
                Column("Team"),
                Column("Line"),
                Column("Contested", True),
                Column("Accepted", True),
                Column("Moved to"),
                Column("Adjustment"),
            ],
            empty_text="No disputes: record one when a team lead contests a line of a closed "
            "statement or invoice",
        )
        self.load = DisputesLoad([], [], [])
        self.filter = DisputeFilter()
        self.shown: list[Dispute] = []
        self.note = ""

    def fetch(self) -> DisputesLoad:
        return DisputesLoad(
            list_disputes(self.workspace),
            contestable_lines(self.workspace),
            move_targets(self.workspace),
        )

    def apply(self, load: DisputesLoad) -> None:
        self.load = load
        self._show()

    # Filters -----------------------------------------------------------------------------

    def team_choices(self) -> list[str]:
        teams = sorted({d.team for d in self.load.disputes}, key=str.casefold)
        return [ALL_TEAMS, *teams]

    def month_choices(self) -> list[tuple[str, str]]:
        """(label, value) pairs, newest first."""
        months = sorted({d.period for d in self.load.disputes}, reverse=True)
        return [(ALL_MONTHS, ALL_MONTHS), *((month_label(m), m) for m in months)]

    def set_filter(self, status: str, team: str, month: str) -> None:
        self.filter = DisputeFilter(status, team, month)
        self._show()

    def _matches(self, dispute: Dispute) -> bool:
        f = self.filter
        return (
            (f.status == ALL_STATUSES or STATUS_WORDS[dispute.status] == f.status)
            and (f.team == ALL_TEAMS or dispute.team == f.team)
            and (f.month == ALL_MONTHS or dispute.period == f.month)
        )

    def _show(self) -> None:
        self.shown = [d for d in reversed(self.load.disputes) if self._matches(d)]
        self.table.rows = [
            [
                d.code,
                STATUS_WORDS[d.status],
                short_month(d.period),
                d.team,
                d.line_label,
                _amount(d.amount),
                _amount(d.accepted_amount),
                d.move_to or "",
                where_it_lands(d),
            ]
            for d in self.shown
        ]
        self.table.alerts = {i: "warning" for i, d in enumerate(self.shown) if d.status == "open"}
        pending = [d for d in self.load.disputes if d.status == "open"]
        at_stake = sum((Decimal(d.amount) for d in pending), Decimal(0))
        if not self.load.disputes:
            self.note = (
                "A team lead who contests a charge: record the line and the amount, then accept "
                "or reject it. An accepted dispute moves its amount on the team's next open "
                "month; closed documents never change."
            )
        else:
            self.note = (
                f"{count(len(pending))} open, {money(at_stake)} contested · "
                f"{count(len(self.shown))} of {count(len(self.load.disputes))} shown. An "
                f"accepted dispute moves its amount on the team's next open month; closed "
                f"documents never change."
            )

    def dispute_at(self, row: int) -> Dispute | None:
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def details_of(self, row: int) -> list[str]:
        d = self.dispute_at(row)
        if d is None:
            return []
        lines = [
            f"{d.code} · {STATUS_WORDS[d.status]} · {d.team} · {d.document_number}",
            f"Line: {d.line_label} ({money(Decimal(d.line_amount))} on the "
            f"{month_label(d.period)} document); contested: {money(Decimal(d.amount))}",
            f"Raised by {d.raised_by}: {d.reason}",
            f"Recorded {d.recorded_at[:16].replace('T', ' ')} UTC by {d.recorded_by}",
        ]
        if d.status != "open":
            decided = f"{STATUS_WORDS[d.status]} {(d.decided_at or '')[:16].replace('T', ' ')} "
            lines.append(
                f"{decided}UTC by {d.decided_by}"
                + (f": {d.decision_reason}" if d.decision_reason else "")
            )
        if d.status == "accepted":
            lines.append(
                f"{money(Decimal(d.accepted_amount or '0'))} moves from {d.team} to {d.move_to}: "
                f"{where_it_lands(d)}"
            )
        return lines

    # Dialogs -----------------------------------------------------------------------------

    def record_months(self) -> list[tuple[str, str]]:
        """(label, month) of the closed months, newest first."""
        months = sorted({line.period for line in self.load.lines}, reverse=True)
        return [(month_label(m), m) for m in months]

    def record_teams(self, month: str) -> list[str]:
        teams = {line.team for line in self.load.lines if line.period == month}
        return sorted(teams, key=str.casefold)

    def record_lines(self, month: str, team: str) -> list[ContestableLine]:
        return [line for line in self.load.lines if (line.period, line.team) == (month, team)]

    def targets_for(self, dispute: Dispute) -> list[str]:
        return [t for t in self.load.targets if t != dispute.team]

    def record_task(
        self, month: str, team: str, line: str, amount: str, raised_by: str, reason: str
    ) -> Callable[[], str]:
        workspace = self.workspace

        def run() -> str:
            d = record_dispute(workspace, month, team, line, amount, raised_by, reason)
            amount_text = money(Decimal(d.amount))
            return f"{d.code} recorded: {d.team} contests {amount_text} of {d.line_label}"

        return run

    def accept_task(
        self, dispute: Dispute, move_to: str, amount: str, reason: str
    ) -> Callable[[], str]:
        workspace = self.workspace

        def run() -> str:
            d = accept_dispute(workspace, dispute.code, move_to, reason, amount)
            if d.lands_in is None:
                return f"{d.code} accepted: a showback statement charged nothing, no money moves"
            return (
                f"{d.code} accepted: {money(Decimal(d.accepted_amount or '0'))} moves from "
                f"{d.team} to {d.move_to} in {month_label(d.lands_in)}"
            )

        return run

    def reject_task(self, dispute: Dispute, reason: str) -> Callable[[], str]:
        workspace = self.workspace

        def run() -> str:
            return f"{reject_dispute(workspace, dispute.code, reason).code} rejected"

        return run
