"""Disputes (issue 15): a team lead contests a line of a closed statement or invoice; an
accepted dispute moves its amount, once, on the team's next open month.

The move is an adjustment line pair in whole cents: the disputing team is credited the
accepted amount, and the team the controller named (or Unallocated) is charged it. Both lines
are added after allocation, so they carry no overhead and weigh in no pool: the month's total
is unchanged, and every closed document stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from fractions import Fraction

from app.domain.allocation import ADJUSTMENT, InvoiceLine, PeriodAllocation, TeamInvoice
from app.domain.periods import next_open_period
from app.domain.policy import UNALLOCATED, Policy

OPEN, ACCEPTED, REJECTED = "open", "accepted", "rejected"
STATUSES = (OPEN, ACCEPTED, REJECTED)


def dispute_code(number: int) -> str:
    """How a dispute is named on documents and in messages: ``D-12``."""
    return f"D-{number}"


_NUMBER = re.compile(r"^[0-9]{1,9}$")


def dispute_number(code: str) -> int | None:
    """The number of ``D-12`` (or ``12``); ``None`` when it names no dispute (ASCII digits
    only: ``²`` and ``١٢`` are not numbers here)."""
    text = code.strip().upper().removeprefix("D-")
    return int(text) if _NUMBER.match(text) and int(text) > 0 else None


def is_showback_document(number: str) -> bool:
    """A showback statement (``SB-…``) charged nothing: disputing it moves no money."""
    return number.startswith("SB-")


def adjustment_month(
    disputed_period: str,
    closed: Collection[str],
    is_chargeback: Callable[[str], bool] = lambda _month: True,
) -> str:
    """Where an accepted dispute's adjustment is billed: the first open month after the
    disputed one (as late usage is, CHARGEBACK_MATH.md §7) that charges — a showback month
    charges nothing, so a move waits for the first chargeback month after it."""
    candidate = next_open_period(disputed_period, closed)
    for _ in range(1200):  # go-live is a month of this century
        if is_chargeback(candidate):
            break
        candidate = next_open_period(candidate, closed)
    return candidate


@dataclass(frozen=True)
class DisputeMove:
    """An accepted dispute's amount, in cents, from ``team`` to ``move_to``."""

    code: str
    period: str
    document_number: str
    line_label: str
    team: str
    move_to: str
    cents: int
    reason: str


def _lines(move: DisputeMove) -> list[tuple[str, InvoiceLine]]:
    label = f"Dispute {move.code} accepted: {move.line_label} ({move.document_number})"
    trail = (f"contested: {move.reason}", f"moved to {move.move_to}")
    lines = [
        (
            move.team,
            InvoiceLine(
                ADJUSTMENT, label, Fraction(-move.cents, 100), -move.cents, trail, None, move.code
            ),
        )
    ]
    if move.move_to != UNALLOCATED:
        lines.append(
            (
                move.move_to,
                InvoiceLine(
                    ADJUSTMENT,
                    f"Dispute {move.code} accepted: from {move.team} ({move.document_number})",
                    Fraction(move.cents, 100),
                    move.cents,
                    (f"contested by {move.team}: {move.reason}",),
                    None,
                    move.code,
                ),
            )
        )
    return lines


def _chargeable(name: str, policy: Policy) -> str | None:
    """The team ``name`` is now (its name or one of its aliases, any case), if it still gets
    invoices: not a shared pool, not archived."""
    wanted = name.casefold()
    invoiced = set(policy.invoiced_teams())
    for team in policy.teams:
        if wanted == team.name.casefold() or wanted in {a.casefold() for a in team.aliases}:
            return team.name if team.name in invoiced else None
    return None


def _as_now(move: DisputeMove, policy: Policy, warnings: list[str]) -> DisputeMove:
    """``move`` between the teams as the policy names them now; a side that no longer gets
    invoices (renamed away, archived, made a pool) is Unallocated, with a warning."""
    sides = []
    for name in (move.team, move.move_to):
        if name == UNALLOCATED:
            sides.append(name)
            continue
        found = _chargeable(name, policy)
        if found is None:
            warnings.append(
                f"dispute {move.code}: {name} no longer gets invoices; its side of the move is "
                f"Unallocated"
            )
        sides.append(found or UNALLOCATED)
    return replace(move, team=sides[0], move_to=sides[1])


def with_dispute_moves(
    allocation: PeriodAllocation, policy: Policy, moves: Iterable[DisputeMove]
) -> PeriodAllocation:
    """``allocation`` with each move's adjustment lines on the teams' invoices (a team without
    one gets one), and what moves to or from Unallocated added to it."""
    warnings = list(allocation.warnings)
    moves = [
        _as_now(m, policy, warnings)
        for m in sorted(moves, key=lambda m: dispute_number(m.code) or 0)
    ]
    if not moves:
        return allocation
    added: dict[str, list[InvoiceLine]] = {}
    to_unallocated = 0
    for move in moves:
        if move.team == move.move_to:
            continue  # both sides Unallocated: nothing moves
        for team, line in _lines(move):
            if team != UNALLOCATED:
                added.setdefault(team, []).append(line)
        if move.move_to == UNALLOCATED:
            to_unallocated += move.cents
        if move.team == UNALLOCATED:
            to_unallocated -= move.cents
    invoices = [
        replace(invoice, lines=invoice.lines + tuple(added.pop(invoice.team, ())))
        for invoice in allocation.invoices
    ]
    order = {team.name: index for index, team in enumerate(policy.teams)}
    for team in sorted(added, key=lambda t: (order.get(t, len(order)), t)):
        known = policy.team(team)
        invoices.append(TeamInvoice(team, known.cost_center if known else "", tuple(added[team])))
    invoices.sort(key=lambda i: (order.get(i.team, len(order)), i.team))
    return replace(
        allocation,
        invoices=tuple(invoices),
        unallocated_exact=allocation.unallocated_exact + Fraction(to_unallocated, 100),
        unallocated_cents=allocation.unallocated_cents + to_unallocated,
        warnings=tuple(warnings),
    )
