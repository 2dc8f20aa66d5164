"""Budget changes made in the budgets grid: team budgets per month set, changed or cleared in
one go (typed, suggested from a month's invoices plus a buffer, or read from a CSV file), as a
change of the whole document that the Edit menu undoes. Product budgets are left as they are."""

from __future__ import annotations

import copy
from decimal import Decimal

from app.services.policy_edits import EditRefused, PolicyChange, PolicyState, change_of

Cells = dict[tuple[str, str], Decimal | None]
"""(team, month) → the team's budget for the month; ``None`` clears it."""


def team_budgets(state: PolicyState) -> dict[tuple[str, str], Decimal]:
    """The team-level budgets (no product) of a document state."""
    return {
        (b["team"], b["month"]): Decimal(str(b["amount"]))
        for b in state.mapping.get("budgets", [])
        if not b.get("product")
    }


def set_budgets(state: PolicyState, cells: Cells, description: str) -> PolicyChange:
    """Set (or clear, with ``None``) the given team budgets; the rest stay."""
    current = team_budgets(state)
    changed = {k: v for k, v in cells.items() if current.get(k) != v}
    if not changed:
        raise EditRefused("Nothing to save", ["The budgets are as they were."])
    after = copy.deepcopy(state.mapping)
    kept = [
        b
        for b in after.get("budgets", [])
        if b.get("product") or (b["team"], b["month"]) not in changed
    ]
    added = [
        {"team": team, "month": month, "amount": f"{amount:f}"}
        for (team, month), amount in sorted(changed.items())
        if amount is not None
    ]
    after["budgets"] = sorted(
        kept + added, key=lambda b: (b["month"], b["team"], b.get("product", ""))
    )
    if not after["budgets"]:
        del after["budgets"]
    return change_of(state, description, after)
