"""Policy changes made in the taxonomy editor: teams (add, edit, rename, merge, archive,
restore, delete), departments, products and environments.

Names are what invoices, rules, pools and budgets refer to, so a rename or a merge carries
every reference along (the budgets too: these changes are of the whole document), and the old
name stays as an alias so that tags spelled the old way still find the team. A team with
history — invoices in a closed month — is never deleted: it is archived, and its closed
invoices keep its name (they are frozen).
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

from app.services.policy_edits import EditRefused, PolicyChange, PolicyState, change_of
from app.services.workspaces import Workspace
from app.workspace import periods
from app.workspace.policy_store import current_policy_mapping

TEAM_FIELDS = ("department", "cost_center", "owner", "code", "overhead_rate", "aliases")


def teams_with_history(workspace: Workspace) -> set[str]:
    """Teams with an invoice of a closed month — under their name or one they had (a renamed
    or merged team keeps its old names as aliases)."""
    invoiced: set[str] = set()
    with workspace.engine.connect() as conn:
        for period in periods.closed(conn):
            document = periods.frozen_document(conn, period)
            if document:
                invoiced |= {i.get("team", "") for i in json.loads(document).get("invoices", [])}
        mapping = current_policy_mapping(conn) or {}
    found = set(invoiced)
    for team in mapping.get("teams", []):
        if {team.get("name"), *team.get("aliases", [])} & invoiced:
            found.add(str(team.get("name")))
    return found


def _team(mapping: dict[str, Any], name: str) -> dict[str, Any]:
    for team in mapping.get("teams", []):
        if team.get("name") == name:
            return team  # type: ignore[no-any-return]
    raise EditRefused(f"There is no team {name!r}", ["Look at the page again."])


def _references(mapping: dict[str, Any], name: str) -> list[str]:
    """Where the policy sends cost to, or shares cost from, team ``name``, in words."""
    found = []
    for index, rule in enumerate(mapping.get("rules", []), start=1):
        if rule.get("team") == name:
            found.append(f"rule {index}" + (f" (“{rule['label']}”)" if rule.get("label") else ""))
    for pool in mapping.get("pools", []):
        if pool.get("team") == name:
            found.append(f"the pool {name!r}")
        elif name in pool.get("targets", []) or name in pool.get("weights", {}):
            found.append(f"the pool {pool.get('team')!r} (a target)")
    found += [
        f"the model-use rule {rule.get('name')!r}"
        for rule in mapping.get("model_rules", [])
        if name in rule.get("teams", [])
    ]
    return found


def _rename_in_model_rules(mapping: dict[str, Any], key: str, old: str, new: str) -> None:
    """Model-use rules follow a renamed (or merged) team or environment (``key``: ``teams``,
    ``environments`` or ``except_environments``)."""
    for rule in mapping.get("model_rules", []):
        for field in (key,) if key == "teams" else ("environments", "except_environments"):
            if old in rule.get(field, []):
                rule[field] = list(dict.fromkeys(new if v == old else v for v in rule[field]))


def add_team(state: PolicyState, team: dict[str, Any]) -> PolicyChange:
    after = copy.deepcopy(state.mapping)
    after.setdefault("teams", []).append({k: v for k, v in team.items() if v not in ("", None, [])})
    return change_of(state, f"Add team {team.get('name')!r}", after)


def edit_team(state: PolicyState, name: str, fields: dict[str, Any]) -> PolicyChange:
    """Set the team's department, cost center, owner, code, overhead rate and aliases (an
    empty value clears one)."""
    after = copy.deepcopy(state.mapping)
    team = _team(after, name)
    for key in TEAM_FIELDS:
        if key not in fields:
            continue
        value = fields[key]
        if value in ("", None, [], ()):
            team.pop(key, None)
        else:
            team[key] = list(value) if key == "aliases" else value
    return change_of(state, f"Change team {name!r}", after)


def _rename_in_pools(mapping: dict[str, Any], old: str, new: str) -> None:
    for pool in mapping.get("pools", []):
        if pool.get("team") == old:
            pool["team"] = new
        if "targets" in pool:
            pool["targets"] = list(dict.fromkeys(new if t == old else t for t in pool["targets"]))
        weights = pool.get("weights")
        if weights and old in weights:
            moved = Decimal(str(weights.pop(old)))
            weights[new] = f"{Decimal(str(weights.get(new, '0'))) + moved:f}"


def _move_budgets(mapping: dict[str, Any], old: str, new: str) -> None:
    merged: dict[tuple[str, str, str], Decimal] = {}
    for budget in mapping.get("budgets", []):
        team = new if budget["team"] == old else budget["team"]
        key = (team, budget["month"], budget.get("product", ""))
        merged[key] = merged.get(key, Decimal(0)) + Decimal(str(budget["amount"]))
    if "budgets" in mapping:
        mapping["budgets"] = [
            {"team": t, "month": m, "amount": f"{a:f}", **({"product": p} if p else {})}
            for (t, m, p), a in merged.items()
        ]


def rename_team(state: PolicyState, old: str, new: str) -> PolicyChange:
    """Rename ``old`` to ``new`` everywhere; ``old`` stays an alias."""
    new = new.strip()
    if not new or new == old:
        raise EditRefused("Give the team a new name")
    after = copy.deepcopy(state.mapping)
    team = _team(after, old)
    team["name"] = new
    team["aliases"] = list(dict.fromkeys([*team.get("aliases", []), old]))
    for rule in after.get("rules", []):
        if rule.get("team") == old:
            rule["team"] = new
    _rename_in_pools(after, old, new)
    _move_budgets(after, old, new)
    _rename_in_model_rules(after, "teams", old, new)
    return change_of(state, f"Rename team {old!r} to {new!r}", after)


def save_team(state: PolicyState, old: str, new: str, fields: dict[str, Any]) -> PolicyChange:
    """The team form's Save: its fields, and a rename when the name changed (one change)."""
    new = new.strip()
    renamed = bool(new) and new != old
    base = rename_team(state, old, new) if renamed else None
    if renamed and "aliases" in fields:
        # The aliases as typed, and the old name (a rename keeps it).
        fields = {**fields, "aliases": list(dict.fromkeys([*fields["aliases"], old]))}
    start = (
        state
        if base is None
        else PolicyState(state.version, state.source, state.applied_at, base.after, state.scope)
    )
    edited = edit_team(start, new if renamed else old, fields)
    changed_fields = edited.after != start.mapping
    if renamed and changed_fields:
        description = f"Change team {old!r} and rename it {new!r}"
    elif renamed:
        description = f"Rename team {old!r} to {new!r}"
    else:
        description = f"Change team {old!r}"
    return change_of(state, description, edited.after)


def merge_teams(state: PolicyState, source: str, target: str, history: set[str]) -> PolicyChange:
    """Send everything of ``source`` to ``target`` (rules, pool shares, budgets, aliases);
    ``source`` is archived when it has history, else removed."""
    if source == target:
        raise EditRefused("Choose another team to merge into")
    after = copy.deepcopy(state.mapping)
    merged = _team(after, source)
    into = _team(after, target)
    if any(p.get("team") == source for p in after.get("pools", [])):
        raise EditRefused(
            f"{source!r} is a pool and cannot be merged",
            ["Change the pool first (Pools and settings), then merge."],
        )
    for rule in after.get("rules", []):
        if rule.get("team") == source:
            rule["team"] = target
    _rename_in_pools(after, source, target)
    _move_budgets(after, source, target)
    _rename_in_model_rules(after, "teams", source, target)
    into["aliases"] = list(
        dict.fromkeys([*into.get("aliases", []), source, *merged.get("aliases", [])])
    )
    if source in history:
        merged.pop("aliases", None)
        merged["archived"] = True
    else:
        after["teams"] = [t for t in after["teams"] if t.get("name") != source]
    return change_of(state, f"Merge team {source!r} into {target!r}", after)


def archive_team(state: PolicyState, name: str) -> PolicyChange:
    """Archive ``name`` (refused while rules or pools send cost to it)."""
    after = copy.deepcopy(state.mapping)
    team = _team(after, name)
    used = _references(after, name)
    if used:
        raise EditRefused(
            f"{name!r} still receives cost",
            [f"{', '.join(used)} send cost to it: merge it into another team, or change them."],
        )
    team["archived"] = True
    return change_of(state, f"Archive team {name!r}", after)


def restore_team(state: PolicyState, name: str) -> PolicyChange:
    """Charge an archived team again; its name stops being another team's alias."""
    after = copy.deepcopy(state.mapping)
    _team(after, name).pop("archived", None)
    for team in after.get("teams", []):
        if team.get("name") != name and name in team.get("aliases", []):
            team["aliases"] = [a for a in team["aliases"] if a != name]
            if not team["aliases"]:
                del team["aliases"]
    return change_of(state, f"Restore team {name!r}", after)


def delete_team(state: PolicyState, name: str, history: set[str]) -> PolicyChange:
    """Delete a team without history that nothing refers to."""
    if name in history:
        raise EditRefused(
            f"{name!r} has invoices in closed months",
            ["A team with history is never deleted: archive it instead."],
        )
    after = copy.deepcopy(state.mapping)
    _team(after, name)
    used = _references(after, name) + [
        f"the budget of {b['month']}" for b in after.get("budgets", []) if b["team"] == name
    ]
    if used:
        raise EditRefused(f"{name!r} is still used", [", ".join(used) + " refer to it."])
    after["teams"] = [t for t in after["teams"] if t.get("name") != name]
    return change_of(state, f"Delete team {name!r}", after)


KINDS = {"departments": "department", "products": "product", "environments": "environment"}


def add_named(state: PolicyState, section: str, name: str, aliases: list[str]) -> PolicyChange:
    """Add a department, product or environment."""
    after = copy.deepcopy(state.mapping)
    entry: dict[str, Any] = {"name": name.strip()}
    if aliases and section != "departments":
        entry["aliases"] = aliases
    after.setdefault(section, []).append(entry)
    return change_of(state, f"Add {KINDS[section]} {name.strip()!r}", after)


def rename_named(state: PolicyState, section: str, old: str, new: str) -> PolicyChange:
    """Rename a department (its teams follow), product or environment (rules follow; the old
    name stays an alias)."""
    new = new.strip()
    if not new or new == old:
        raise EditRefused(f"Give the {KINDS[section]} a new name")
    after = copy.deepcopy(state.mapping)
    entry = next((e for e in after.get(section, []) if e.get("name") == old), None)
    if entry is None:
        raise EditRefused(f"There is no {KINDS[section]} {old!r}", ["Look at the page again."])
    entry["name"] = new
    if section == "departments":
        for team in after.get("teams", []):
            if team.get("department") == old:
                team["department"] = new
    else:
        entry["aliases"] = list(dict.fromkeys([*entry.get("aliases", []), old]))
        for rule in after.get("rules", []):
            if rule.get(KINDS[section]) == old:
                rule[KINDS[section]] = new
        if section == "environments":
            _rename_in_model_rules(after, "environments", old, new)
        if section == "products":
            for budget in after.get("budgets", []):
                if budget.get("product") == old:
                    budget["product"] = new
    return change_of(state, f"Rename {KINDS[section]} {old!r} to {new!r}", after)


def delete_named(state: PolicyState, section: str, name: str) -> PolicyChange:
    """Delete a department, product or environment nothing refers to."""
    after = copy.deepcopy(state.mapping)
    kind = KINDS[section]
    if section == "departments":
        users = [t["name"] for t in after.get("teams", []) if t.get("department") == name]
    else:
        users = [
            f"rule {i}" for i, r in enumerate(after.get("rules", []), 1) if r.get(kind) == name
        ]
        users += [
            f"the model-use rule {r.get('name')!r}"
            for r in after.get("model_rules", [])
            if section == "environments"
            and name in [*r.get("environments", []), *r.get("except_environments", [])]
        ]
    if users:
        raise EditRefused(f"The {kind} {name!r} is still used", [f"Used by {', '.join(users)}."])
    after[section] = [e for e in after.get(section, []) if e.get("name") != name]
    if not after[section]:
        del after[section]
    return change_of(state, f"Delete {kind} {name!r}", after)
