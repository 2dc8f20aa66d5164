"""Use cases: disputes — a team lead contests a line of a closed statement or invoice, the
controller records it, then accepts it (its amount moves once, on the team's next open month,
to the team named or to Unallocated) or rejects it with a reason. Every step is audited.

Amounts are in the bill's currency, in whole cents; the month the adjustment lands in converts
it with its own rate when it closes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from app.domain.disputes import (
    ACCEPTED,
    OPEN,
    REJECTED,
    STATUSES,
    adjustment_month,
    dispute_code,
    dispute_number,
    is_showback_document,
)
from app.domain.money import AmountError, format_money, parse_decimal
from app.domain.periods import is_month
from app.domain.policy import CHARGEBACK, UNALLOCATED, Policy
from app.services.priced_slices import policy_from_mapping
from app.workspace import audit, periods
from app.workspace import disputes as store
from app.workspace.db import Workspace
from app.workspace.policy_store import current_policy_mapping

MAX_NAME, MAX_REASON = 200, 2000


class DisputeError(ValueError):
    """A dispute cannot be recorded or decided as asked; nothing changed. The message says
    why."""


@dataclass(frozen=True)
class Dispute:
    """A contested line, its decision and where its adjustment is (or will be) billed."""

    code: str
    period: str
    team: str
    document_number: str
    line_label: str
    line_amount: str
    amount: str
    raised_by: str
    reason: str
    recorded_at: str
    recorded_by: str
    status: str
    accepted_amount: str | None
    move_to: str | None
    decision_reason: str | None
    decided_at: str | None
    decided_by: str | None
    billed_in: str | None
    """The month whose close billed the adjustment (an accepted dispute of an invoice)."""
    lands_in: str | None
    """Where the adjustment is billed: ``billed_in``, or the open month that will bill it."""

    @property
    def showback(self) -> bool:
        return is_showback_document(self.document_number)

    def as_json(self) -> dict[str, Any]:
        return {
            "dispute": self.code,
            "period": self.period,
            "team": self.team,
            "document": self.document_number,
            "line": self.line_label,
            "line_amount": self.line_amount,
            "amount": self.amount,
            "raised_by": self.raised_by,
            "reason": self.reason,
            "recorded_at": self.recorded_at,
            "recorded_by": self.recorded_by,
            "status": self.status,
            "accepted_amount": self.accepted_amount,
            "move_to": self.move_to,
            "decision_reason": self.decision_reason,
            "decided_at": self.decided_at,
            "decided_by": self.decided_by,
            "billed_in": self.billed_in,
            "lands_in": self.lands_in,
        }


def charging_months(conn: Connection, policy: Policy) -> Callable[[str], bool]:
    """Whether a month charges (chargeback): as first closed, else as the go-live month
    says."""
    first = audit.first_close_billings(conn)
    return lambda month: (first.get(month) or policy.settings.billing_of(month)) == CHARGEBACK


def _charging(conn: Connection) -> Callable[[str], bool]:
    return charging_months(conn, policy_from_mapping(current_policy_mapping(conn)))


def _dispute(
    row: dict[str, Any], closed: Collection[str], is_chargeback: Callable[[str], bool]
) -> Dispute:
    lands_in = None
    moves = (
        row["status"] == ACCEPTED
        and row["move_to"] is not None
        and not is_showback_document(row["document_number"])
    )
    if moves:
        lands_in = row["billed_in"] or adjustment_month(row["period"], closed, is_chargeback)
    values = {k: row[k] for k in Dispute.__dataclass_fields__ if k in row}
    return Dispute(code=dispute_code(row["id"]), lands_in=lands_in, **values)


def list_disputes(
    workspace: Workspace,
    status: str | None = None,
    team: str | None = None,
    period: str | None = None,
) -> list[Dispute]:
    """Disputes by number, those matching every filter given (team: any case)."""
    if status is not None and status not in STATUSES:
        raise DisputeError(f"status: one of {', '.join(STATUSES)}, not {status!r}")
    if period is not None and not is_month(period.strip()):
        raise DisputeError(f"month: YYYY-MM, not {period!r}")
    with workspace.engine.connect() as conn:
        rows = store.dispute_rows(conn)
        closed = periods.closed(conn)
        charging = _charging(conn)
        found = [_dispute(row, closed, charging) for row in rows]
    return [
        d
        for d in found
        if (status is None or d.status == status)
        and (team is None or d.team.casefold() == team.strip().casefold())
        and (period is None or d.period == period.strip())
    ]


def _cents_text(text: str, what: str) -> Decimal:
    try:
        amount = parse_decimal(text)
    except AmountError:
        raise DisputeError(f"{what}: not an amount: {text!r}") from None
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise DisputeError(f"{what}: at most two decimals (cents): {text!r}")
    if amount <= 0:
        raise DisputeError(f"{what}: more than zero: {text!r}")
    return amount.quantize(Decimal("0.01"))


def _words(text: str, what: str, limit: int) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise DisputeError(f"{what}: required")
    if len(cleaned) > limit:
        raise DisputeError(f"{what}: at most {limit} characters")
    return cleaned


def _contested_line(
    document: dict[str, Any], team: str, line: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The team's invoice and the line named (label, any case; or its number, 1 for the
    first)."""
    invoices = {i["team"].casefold(): i for i in document["invoices"]}
    invoice = invoices.get(team.strip().casefold())
    if invoice is None:
        names = ", ".join(sorted(i["team"] for i in document["invoices"])) or "none"
        raise DisputeError(
            f"{team!r} has no statement or invoice for {document['period']} (teams: {names})"
        )
    lines = invoice["lines"]
    wanted = line.strip()
    if wanted.isascii() and wanted.isdigit() and len(wanted) < 6 and 1 <= int(wanted) <= len(lines):
        return invoice, lines[int(wanted) - 1]
    matches = [item for item in lines if item["label"].casefold() == wanted.casefold()]
    if len(matches) != 1:
        labels = "; ".join(f"{n}. {item['label']}" for n, item in enumerate(lines, 1))
        raise DisputeError(f"{invoice['number']} has no line {line!r}; its lines: {labels}")
    return invoice, matches[0]


def _contested_by_line(rows: list[dict[str, Any]]) -> dict[tuple[str, str, str], Decimal]:
    """(month, team, line label) → what its open and accepted disputes contest."""
    found: dict[tuple[str, str, str], Decimal] = {}
    for row in rows:
        if row["status"] == REJECTED:
            continue
        key = (row["period"], row["team"], row["line_label"])
        amount = row["amount"] if row["status"] == OPEN else row["accepted_amount"]
        found[key] = found.get(key, Decimal(0)) + Decimal(amount)
    return found


def _already_contested(conn: Connection, period: str, team: str, label: str) -> Decimal:
    """What open and accepted disputes already contest of one line."""
    return _contested_by_line(store.dispute_rows(conn)).get((period, team, label), Decimal(0))


def record_dispute(
    workspace: Workspace,
    period: str,
    team: str,
    line: str,
    amount: str,
    raised_by: str,
    reason: str,
) -> Dispute:
    """Record an open dispute of ``team``'s line of ``period``'s closed statement or invoice.

    At most the line's amount can be contested, across all its open and accepted disputes.
    """
    if not is_month(period.strip()):
        raise DisputeError(f"month: YYYY-MM, not {period!r}")
    period = period.strip()
    value = _cents_text(amount, "amount")
    raised_by = _words(raised_by, "raised by", MAX_NAME)
    reason = _words(reason, "reason", MAX_REASON)
    with workspace.write() as conn:
        frozen = periods.frozen_document(conn, period)
        if frozen is None:
            raise DisputeError(
                f"{period} is not closed: a dispute contests a line of a closed statement or "
                f"invoice; correct an open month with its rules, pools or prices instead"
            )
        invoice, contested = _contested_line(json.loads(frozen), team, line)
        line_amount = Decimal(contested["amount"])
        if line_amount <= 0:
            raise DisputeError(
                f"{contested['label']} on {invoice['number']} is {format_money(line_amount)}: "
                f"only a charge can be contested"
            )
        left = line_amount - _already_contested(conn, period, invoice["team"], contested["label"])
        if value > left:
            raise DisputeError(
                f"amount: {format_money(value)} is more than is left to contest of "
                f"{contested['label']} on {invoice['number']} ({format_money(left)} of "
                f"{format_money(line_amount)})"
            )
        actor = audit.actor_of(conn)
        values = {
            "period": period,
            "team": invoice["team"],
            "document_number": invoice["number"] or "",
            "line_kind": contested["kind"],
            "line_label": contested["label"],
            "line_amount": format_money(line_amount),
            "amount": format_money(value),
            "raised_by": raised_by,
            "reason": reason,
        }
        number = store.insert_dispute(conn, actor, **values)
        audit.record(conn, "dispute.record", dispute=dispute_code(number), **values)
        row = store.dispute_row(conn, number)
        assert row is not None
        return _dispute(row, periods.closed(conn), _charging(conn))


def _open_row(conn: Connection, code: str) -> dict[str, Any]:
    number = dispute_number(code)
    row = None if number is None else store.dispute_row(conn, number)
    if row is None:
        raise DisputeError(f"no dispute {code!r}")
    if row["status"] != OPEN:
        raise DisputeError(
            f"{dispute_code(row['id'])} was already {row['status']} on "
            f"{(row['decided_at'] or '')[:10]} by {row['decided_by']}; a decision is final"
        )
    return row


def _move_target(conn: Connection, row: dict[str, Any], move_to: str) -> str:
    """The team named (its own spelling), or Unallocated."""
    wanted = move_to.strip().casefold()
    if wanted == UNALLOCATED.casefold():
        return UNALLOCATED
    policy = policy_from_mapping(current_policy_mapping(conn))
    pools = set(policy.pool_teams())
    for known in policy.teams:
        if known.name.casefold() != wanted:
            continue
        if known.name == row["team"]:
            raise DisputeError(f"move to: {known.name} is the team that contested the line")
        if known.name in pools:
            raise DisputeError(
                f"move to: {known.name} is a shared pool and gets no invoice; name a team, or "
                f"{UNALLOCATED}"
            )
        if known.archived:
            raise DisputeError(f"move to: {known.name} is archived")
        return known.name
    raise DisputeError(f"move to: no team {move_to!r}; name a team, or {UNALLOCATED}")


def _still_on_its_document(conn: Connection, row: dict[str, Any], accepted: Decimal) -> None:
    """The disputed month is closed and its document still charges what is accepted: a month
    reopened meanwhile is being corrected, and may no longer bill the line."""
    frozen = periods.frozen_document(conn, row["period"])
    code = dispute_code(row["id"])
    if frozen is None:
        raise DisputeError(
            f"{row['period']} was reopened: decide {code} once it is closed again (the "
            f"correction may already settle it)"
        )
    try:
        _, line = _contested_line(json.loads(frozen), row["team"], row["line_label"])
    except DisputeError:
        raise DisputeError(
            f"{row['line_label']} is no longer on {row['team']}'s {row['period']} document "
            f"(the month was closed again): reject {code}, or record the dispute again"
        ) from None
    others = _already_contested(conn, row["period"], row["team"], row["line_label"])
    left = Decimal(line["amount"]) - (others - Decimal(row["amount"]))
    if accepted > left:
        raise DisputeError(
            f"amount: {format_money(accepted)} is more than {row['line_label']} still charges "
            f"after the other disputes of it ({format_money(left)})"
        )


def accept_dispute(
    workspace: Workspace,
    code: str,
    move_to: str,
    reason: str = "",
    amount: str | None = None,
) -> Dispute:
    """Accept an open dispute, in full or for ``amount`` of it: that amount is credited to the
    team and charged to ``move_to`` (a team, or Unallocated) on the team's next open month.
    A showback statement charged nothing: accepting its dispute records the decision only."""
    decision = " ".join(reason.split())
    if len(decision) > MAX_REASON:
        raise DisputeError(f"reason: at most {MAX_REASON} characters")
    with workspace.write() as conn:
        row = _open_row(conn, code)
        accepted = Decimal(row["amount"])
        if amount is not None and amount.strip():
            accepted = _cents_text(amount, "amount")
            if accepted > Decimal(row["amount"]):
                raise DisputeError(
                    f"amount: {format_money(accepted)} is more than the {row['amount']} contested"
                )
        _still_on_its_document(conn, row, accepted)
        target = _move_target(conn, row, move_to)
        actor = audit.actor_of(conn)
        store.decide(
            conn,
            row["id"],
            actor,
            ACCEPTED,
            accepted_amount=format_money(accepted),
            move_to=target,
            decision_reason=decision or None,
        )
        closed = periods.closed(conn)
        charging = _charging(conn)
        showback = is_showback_document(row["document_number"])
        audit.record(
            conn,
            "dispute.accept",
            dispute=dispute_code(row["id"]),
            team=row["team"],
            document=row["document_number"],
            line=row["line_label"],
            amount=format_money(accepted),
            move_to=target,
            reason=decision,
            lands_in=None if showback else adjustment_month(row["period"], closed, charging),
        )
        decided = store.dispute_row(conn, row["id"])
        assert decided is not None
        return _dispute(decided, closed, charging)


def reject_dispute(workspace: Workspace, code: str, reason: str) -> Dispute:
    """Reject an open dispute, with the reason the team lead will read."""
    decision = _words(reason, "reason", MAX_REASON)
    with workspace.write() as conn:
        row = _open_row(conn, code)
        store.decide(conn, row["id"], audit.actor_of(conn), REJECTED, decision_reason=decision)
        audit.record(
            conn,
            "dispute.reject",
            dispute=dispute_code(row["id"]),
            team=row["team"],
            document=row["document_number"],
            line=row["line_label"],
            amount=row["amount"],
            reason=decision,
        )
        decided = store.dispute_row(conn, row["id"])
        assert decided is not None
        return _dispute(decided, periods.closed(conn), _charging(conn))


def disputes_of_month(workspace: Workspace, period: str) -> list[Dispute]:
    """What a month's exports show: the disputes still open of it and the months before, and
    those whose amounts it moves; by team, then number."""
    found = [
        d
        for d in list_disputes(workspace)
        if (d.status == OPEN and d.period <= period) or d.lands_in == period
    ]
    return sorted(found, key=lambda d: (d.team.casefold(), dispute_number(d.code) or 0))


@dataclass(frozen=True)
class ContestableLine:
    """A charge of a closed statement or invoice that a team lead may contest."""

    period: str
    team: str
    document_number: str
    label: str
    amount: str
    left: str
    """What is left to contest of it: its amount less its open and accepted disputes."""


def contestable_lines(workspace: Workspace) -> list[ContestableLine]:
    """Every positive line of every closed month's documents, newest month first."""
    with workspace.engine.connect() as conn:
        documents = [
            json.loads(text)
            for period in sorted(periods.closed(conn), reverse=True)
            if (text := periods.frozen_document(conn, period)) is not None
        ]
        contested = _contested_by_line(store.dispute_rows(conn))
    return [
        ContestableLine(
            document["period"],
            invoice["team"],
            invoice["number"] or "",
            line["label"],
            line["amount"],
            format_money(
                max(
                    Decimal(line["amount"])
                    - contested.get(
                        (document["period"], invoice["team"], line["label"]), Decimal(0)
                    ),
                    Decimal(0),
                )
            ),
        )
        for document in documents
        for invoice in document["invoices"]
        for line in invoice["lines"]
        if Decimal(line["amount"]) > 0
    ]


def move_targets(workspace: Workspace) -> list[str]:
    """Who an accepted dispute's amount can move to: teams that get invoices, and
    Unallocated."""
    with workspace.engine.connect() as conn:
        policy = policy_from_mapping(current_policy_mapping(conn))
    return [*policy.invoiced_teams(), UNALLOCATED]
