"""Use case: what a policy change would do to a month's invoices, before it is made.

The month is computed twice from the same read of the workspace — under the policy the change
was made from and under the policy it makes — and nothing is written: the preview is exactly
the invoices the change would produce, team by team, and the share of the month's usage cost
that would reach a team.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.attribution import Attributor
from app.domain.policy import UNALLOCATED
from app.services.closing import current_month
from app.services.invoices import PeriodInvoices, compute_invoices
from app.services.policy import checked_document
from app.services.policy_edits import DOCUMENT_SCOPE, PolicyChange
from app.services.policy_file_changes import replaced_parts
from app.services.priced_slices import policy_from_mapping
from app.services.pricing import document_price_book
from app.services.reporting import available_periods, check_period
from app.services.unallocated import unallocated_queue
from app.services.workspaces import Workspace
from app.workspace import periods
from app.workspace.policy_store import current_policy_version


@dataclass(frozen=True)
class TeamImpact:
    """One team's invoice total for the month, now and after the change (cents)."""

    team: str
    before_cents: int
    after_cents: int

    @property
    def change_cents(self) -> int:
        return self.after_cents - self.before_cents


@dataclass(frozen=True)
class ImpactPreview:
    """A change's effect on one month; ``problems`` (the change is invalid) or ``closed`` (the
    month's invoices cannot change) leave the figures empty."""

    period: str
    description: str
    teams: tuple[TeamImpact, ...] = ()
    """Every team with an amount before or after, the largest change first; Unallocated is
    among them when it has an amount."""
    allocated_before: Decimal = Decimal(1)
    allocated_after: Decimal = Decimal(1)
    closed: bool = False
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """What else the change replaces (budgets, prices…), in words."""
    subject: str = "invoices"
    """What ``teams`` compares: ``invoices`` (a team's month) or ``budgets`` (one budget each,
    named ``team · month``)."""

    @property
    def changed(self) -> tuple[TeamImpact, ...]:
        return tuple(t for t in self.teams if t.change_cents)


def preview_month(workspace: Workspace) -> str:
    """The month a change is previewed on: the newest with usage, else the current one."""
    periods = available_periods(workspace)
    return periods[-1] if periods else current_month()


def _totals(invoices: PeriodInvoices) -> dict[str, int]:
    allocation = invoices.allocation
    totals = {i.team: i.total_cents for i in allocation.invoices}
    if allocation.unallocated_cents:
        totals[UNALLOCATED] = allocation.unallocated_cents
    return totals


def preview_change(workspace: Workspace, change: PolicyChange, period: str) -> ImpactPreview:
    """The invoices of ``period`` before and after ``change`` (computed, never written)."""
    check_period(period)
    _document, problems = checked_document(change.after)
    if problems:
        return ImpactPreview(period, change.description, problems=tuple(problems))
    after = Attributor(policy_from_mapping(change.after))
    # A change of the whole document may change prices, discounts and provider totals too:
    # "after" is priced by the book it would make, and trued up to the totals it gives.
    whole = change.scope == DOCUMENT_SCOPE
    book = document_price_book(change.after) if whole else None
    totals = (
        {str(i["period"]): str(i["total"]) for i in change.after.get("provider_invoices", [])}
        if whole
        else None
    )
    notes = tuple(replaced_parts(change))
    with workspace.engine.connect() as conn:
        if period in periods.closed(conn):
            return ImpactPreview(period, change.description, closed=True, notes=notes)
        in_force = current_policy_version(conn)[0] == change.base_version
        before_invoices = compute_invoices(
            conn, period, None if in_force else Attributor(policy_from_mapping(change.before))
        )
        after_invoices = compute_invoices(conn, period, after, book, totals)
    before, later = _totals(before_invoices), _totals(after_invoices)
    teams = sorted(
        (TeamImpact(t, before.get(t, 0), later.get(t, 0)) for t in set(before) | set(later)),
        key=lambda t: (-abs(t.change_cents), -t.after_cents, t.team),
    )
    queue_before = unallocated_queue(
        workspace, period, None if in_force else Attributor(policy_from_mapping(change.before))
    )
    queue_after = unallocated_queue(workspace, period, after, book)
    return ImpactPreview(
        period,
        change.description,
        tuple(teams),
        queue_before.allocated_share,
        queue_after.allocated_share,
        notes=notes,
    )
