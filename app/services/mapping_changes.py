"""Policy changes made from the Unallocated queue: a raw value becomes a rule for a team.

The rule is added after every other rule, so it catches only lines no rule catches now; it
matches the value exactly (whatever its case), in every month, and is named after the value
in the invoices' allocation trail.
"""

from __future__ import annotations

import copy
import unicodedata

from app.services.policy_edits import EditRefused, PolicyChange, PolicyState, change_of
from app.services.unallocated import UnmappedValue

MAX_LABEL = 100
"""Characters of a rule's name made from a value (long tag sets are cut)."""


def rule_label(value: UnmappedValue) -> str:
    """How the new rule is named in the trail: ``API key k-big``; no control characters."""
    text = "".join(c for c in f"{value.dimension} {value.value}" if unicodedata.category(c) != "Cc")
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def map_to_team(state: PolicyState, value: UnmappedValue, team: str) -> PolicyChange:
    """The change that sends ``value``'s lines to ``team`` (refused when there is nothing to
    match on, or the team is not in the policy)."""
    if not value.conditions:
        raise EditRefused(
            "Nothing to map on",
            ["These lines carry no API key, user, workspace or tag a rule could test."],
        )
    teams = [t.get("name") for t in state.mapping.get("teams", [])]
    if team not in teams:
        raise EditRefused(f"No team {team!r}", [f"{team!r} is not a team of the policy."])
    after = copy.deepcopy(state.mapping)
    after.setdefault("version", 1)
    after.setdefault("rules", []).append(
        {
            "when": dict(value.conditions),
            "match": "exact",
            "team": team,
            "label": rule_label(value),
        }
    )
    return change_of(state, f"Map {rule_label(value)} to {team}", after)
