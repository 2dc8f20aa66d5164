"""Use cases: closing a period (numbered, frozen invoices and the exports' inputs, every line
it bills recorded) and reopening it with a reason (CHARGEBACK_MATH.md §7)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from app.domain.disputes import dispute_number
from app.domain.periods import late_usage_sources
from app.domain.policy import SHOWBACK
from app.services.disputes import charging_months
from app.services.export_inputs import encode, live_export_inputs
from app.services.invoice_document import allocation_document, functional_part
from app.services.invoices import compute_invoices, policy_from_mapping
from app.services.invoices_numbering import invoice_codes
from app.services.reporting import ReportError, check_period
from app.workspace import audit, periods
from app.workspace.db import Workspace
from app.workspace.disputes import mark_billed as mark_disputes_billed
from app.workspace.disputes import moves_billed_by
from app.workspace.disputes import unmark_billed as unmark_disputes_billed
from app.workspace.policy_store import current_policy_mapping
from app.workspace.rates import rate_of
from app.workspace.usage_queries import periods_with_usage
from importers.fields import today


class PeriodError(ValueError):
    """A period cannot be closed or reopened as asked; the message says why."""


def current_month() -> str:
    """This month (UTC), or the month of the pinned "today" (``CHARGEBACK_DESK_TODAY``)."""
    return today().isoformat()[:7]


def earlier_open_months(workspace: Workspace, period: str) -> list[str]:
    """Months before ``period`` with usage that are not closed (a close warns about them)."""
    with workspace.engine.connect() as conn:
        closed = periods.closed(conn)
        months = periods_with_usage(conn)
    return [m for m in months if m < period and m not in closed]


def close_period(workspace: Workspace, period: str, *, allow_empty: bool = False) -> dict[str, Any]:
    """Freeze the period's invoices with numbers; refuses while lines are unpriced.

    Computing, freezing and recording which lines were billed happen in one write transaction,
    so usage imported meanwhile is either in these invoices or waits for the next open month.
    """
    try:
        check_period(period)
    except ReportError as exc:
        raise PeriodError(str(exc)) from None
    if period > current_month():
        raise PeriodError(
            f"{period} has not started yet (this is {current_month()}); a month can be closed "
            f"once its usage is in"
        )
    with workspace.write() as conn:
        policy = policy_from_mapping(current_policy_mapping(conn))
        closed = periods.closed(conn)
        if period in closed:
            raise PeriodError(f"{period} is already closed")
        result = compute_invoices(conn, period)
        if (
            not allow_empty
            and not result.allocation.direct_total
            and not result.allocation.invoices
        ):
            raise PeriodError(
                f"{period} has no usage to invoice; import its usage first, or close it empty "
                f"on purpose with --empty"
            )
        if result.unpriced_lines:
            raise PeriodError(
                f"{period} has {result.unpriced_lines} unpriced line(s) "
                f"({', '.join(result.unpriced_models)}); add price-book entries "
                f"before closing"
            )
        compact = period.replace("-", "")
        codes = invoice_codes(policy, [i.team for i in result.allocation.invoices])
        # A month reopened and closed again keeps how it was first billed (a posted month
        # stays posted, a shadow month is never charged after the fact).
        billing = result.billing
        prefix = "SB" if billing == SHOWBACK else "CB"
        numbers = {team: f"{prefix}-{compact}-{code}" for team, code in codes.items()}
        document = allocation_document(
            result.allocation,
            result.currency,
            "final",
            numbers=numbers,
            unpriced_lines=0,
            billing=billing,
        )
        functional = policy.settings.functional_currency
        if functional and functional != result.currency:
            stored = rate_of(conn, period, functional)
            if stored is None:
                raise PeriodError(
                    f"{period} has no exchange rate to {functional}, the company's currency: "
                    f"enter it first (Pools and settings, or 'chargeback-desk rates set "
                    f"--period {period} --currency {functional} --rate R --source WHERE')"
                )
            document["functional"] = functional_part(
                document, functional, Decimal(stored["rate"]), stored["source"]
            )
        text = json.dumps(document, sort_keys=True)
        # Read through other connections: they see what this one sees, as this transaction
        # holds the write lock and has changed nothing yet.
        snapshot = encode(live_export_inputs(workspace, period, document, with_insights=True))
        periods.close(conn, period, text, periods.last_batch_id(conn), snapshot)
        billed = periods.mark_billed(conn, period, late_usage_sources(period, closed))
        moves = moves_billed_by(conn, period, closed, charging_months(conn, policy))
        moved = [m.code for m in moves]
        mark_disputes_billed(conn, period, [dispute_number(code) or 0 for code in moved])
        audit.record(
            conn,
            "period.close",
            period=period,
            billing=billing,
            invoices=sorted(numbers.values()),
            grand_total=document["grand_total"],
            usage_lines_billed=billed,
            **({"disputes_billed": moved} if moved else {}),
        )
    return document


def reopen_period(workspace: Workspace, period: str, reason: str) -> None:
    """Back to draft, with a reason; the frozen document is kept in the audit log."""
    if not reason.strip():
        raise PeriodError("reopening needs a reason")
    with workspace.write() as conn:
        frozen = periods.frozen_document(conn, period)
        if frozen is None:
            raise PeriodError(f"{period} is not closed")
        periods.reopen(conn, period)
        periods.unmark_billed(conn, period)
        unmark_disputes_billed(conn, period)
        audit.record(conn, "period.reopen", period=period, reason=reason, frozen=json.loads(frozen))
