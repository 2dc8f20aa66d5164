"""Policy changes made on the Pools and settings page: shared-cost pools (method, targets,
weights; their order matters — a pool may target a later pool), the settings (overhead,
true-up, unallocated, warning threshold, accounts), and the provider's invoice totals."""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

from app.services.policy_edits import EditRefused, PolicyChange, PolicyState, change_of

SETTING_NAMES = {
    "overhead_rate": "overhead rate",
    "true_up": "true-up",
    "unallocated": "unallocated cost",
    "warn_threshold": "budget warning threshold",
    "expense_account": "expense account",
    "clearing_account": "clearing account",
    "currency": "currency",
    "go_live": "go-live month",
    "functional_currency": "company currency",
}


def weights_total(weights: dict[str, str]) -> Decimal | None:
    """The sum of weights as typed (``None`` when one is not a number)."""
    try:
        return sum((Decimal(str(w).replace(",", ".")) for w in weights.values()), Decimal(0))
    except InvalidOperation:
        return None


def _pools(mapping: dict[str, Any]) -> list[dict[str, Any]]:
    return list(mapping.get("pools", []))


def save_pool(state: PolicyState, position: int | None, pool: dict[str, Any]) -> PolicyChange:
    """Add ``pool`` after the others (``position`` ``None``) or put it in place of pool
    ``position`` (1-based)."""
    after = copy.deepcopy(state.mapping)
    entry = {k: v for k, v in pool.items() if v not in ("", None, [], {})}
    pools = after.setdefault("pools", [])
    if position is None:
        pools.append(entry)
        return change_of(state, f"Add pool {pool.get('team')!r}", after)
    if not 1 <= position <= len(pools):
        raise EditRefused(f"There is no pool {position}", ["Look at the page again."])
    old = pools[position - 1].get("team")
    pools[position - 1] = entry
    return change_of(state, f"Change pool {old!r}", after)


def delete_pool(state: PolicyState, position: int) -> PolicyChange:
    after = copy.deepcopy(state.mapping)
    pools = after.get("pools", [])
    if not 1 <= position <= len(pools):
        raise EditRefused(f"There is no pool {position}", ["Look at the page again."])
    old = pools.pop(position - 1)
    if not pools:
        del after["pools"]
    return change_of(state, f"Delete pool {old.get('team')!r}", after)


def move_pool(state: PolicyState, position: int, to: int) -> PolicyChange:
    after = copy.deepcopy(state.mapping)
    pools = after.get("pools", [])
    if not (1 <= position <= len(pools) and 1 <= to <= len(pools)) or position == to:
        raise EditRefused("The pool cannot move there")
    pool = pools.pop(position - 1)
    pools.insert(to - 1, pool)
    return change_of(state, f"Move pool {pool.get('team')!r} to position {to}", after)


def change_settings(state: PolicyState, settings: dict[str, str]) -> PolicyChange:
    """Set the given settings (others stay as they are)."""
    after = copy.deepcopy(state.mapping)
    current = after.setdefault("settings", {})
    changed = [k for k, v in settings.items() if str(current.get(k, "")) != str(v)]
    if not changed:
        raise EditRefused("Nothing to save", ["The settings are as they were."])
    current.update(settings)
    words = ", ".join(SETTING_NAMES.get(k, k) for k in changed)
    return change_of(state, f"Change the {words}", after)


def set_provider_total(
    state: PolicyState, period: str, total: str, invoice_number: str
) -> PolicyChange:
    """Enter (or replace) the provider's invoice total of ``period`` (a whole-document
    change: the totals are kept apart from the policy)."""
    after = copy.deepcopy(state.mapping)
    totals = [i for i in after.get("provider_invoices", []) if i.get("period") != period]
    entry = {"period": period, "total": total.strip()}
    if invoice_number.strip():
        entry["invoice_number"] = invoice_number.strip()
    after["provider_invoices"] = sorted([*totals, entry], key=lambda i: i["period"])
    return change_of(state, f"Set the provider total of {period}", after)


def delete_provider_total(state: PolicyState, period: str) -> PolicyChange:
    after = copy.deepcopy(state.mapping)
    totals = after.get("provider_invoices", [])
    if not any(i.get("period") == period for i in totals):
        raise EditRefused(f"No provider total for {period}")
    after["provider_invoices"] = [i for i in totals if i.get("period") != period]
    if not after["provider_invoices"]:
        del after["provider_invoices"]
    return change_of(state, f"Remove the provider total of {period}", after)
