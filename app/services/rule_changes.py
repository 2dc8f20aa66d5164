"""Policy changes made in the rules editor: add, change, delete and move a mapping rule.

Rules are named in the descriptions (the Edit menu's "Undo …") by their label, or by their
position when they have none. A position that no longer exists (the rules changed elsewhere)
is refused; so is a change that would leave the policy invalid (see :class:`EditStack`).
"""

from __future__ import annotations

import copy
from typing import Any

from app.services.policy_edits import EditRefused, PolicyChange, PolicyState, change_of
from app.services.rule_usage import with_rule_at


def _rules(state: PolicyState) -> list[dict[str, Any]]:
    return list(state.mapping.get("rules", []))


def rule_name(rule: dict[str, Any], position: int) -> str:
    """``rule “Support bot key”``, or ``rule 3`` for a rule without a label."""
    return f"rule “{rule['label']}”" if rule.get("label") else f"rule {position}"


def _existing(state: PolicyState, position: int) -> dict[str, Any]:
    rules = _rules(state)
    if not 1 <= position <= len(rules):
        raise EditRefused(
            f"There is no rule {position}",
            [f"The policy has {len(rules)} rules; look at the page again."],
        )
    return rules[position - 1]


def add_rule(state: PolicyState, rule: dict[str, Any], position: int | None = None) -> PolicyChange:
    """Insert ``rule`` at ``position`` (1-based; after the last rule when ``None``)."""
    count = len(_rules(state))
    at = count + 1 if position is None else position
    after = with_rule_at(state.mapping, rule, at, replace=False)
    after.setdefault("version", 1)
    where = "" if at > count else f" at position {at}"
    return change_of(state, f"Add {rule_name(rule, min(at, count + 1))}{where}", after)


def change_rule(state: PolicyState, position: int, rule: dict[str, Any]) -> PolicyChange:
    """Put ``rule`` in place of the rule at ``position``."""
    old = _existing(state, position)
    after = with_rule_at(state.mapping, rule, position, replace=True)
    return change_of(state, f"Change {rule_name(old, position)}", after)


def delete_rule(state: PolicyState, position: int) -> PolicyChange:
    old = _existing(state, position)
    after = copy.deepcopy(state.mapping)
    del after["rules"][position - 1]
    if not after["rules"]:
        del after["rules"]
    return change_of(state, f"Delete {rule_name(old, position)}", after)


def move_rule(state: PolicyState, position: int, to: int) -> PolicyChange:
    """Move the rule at ``position`` so that it is at ``to`` (both 1-based)."""
    old = _existing(state, position)
    _existing(state, to)
    if to == position:
        raise EditRefused("The rule is already there")
    after = copy.deepcopy(state.mapping)
    rule = after["rules"].pop(position - 1)
    after["rules"].insert(to - 1, rule)
    return change_of(state, f"Move {rule_name(old, position)} to position {to}", after)
