"""Use case: tag hygiene (issue 15) — how much of the cost gets its team, product and
environment from a rule or a tag (not the default), per month and import source; and tag values
spelled several ways (case, ``-`` or ``_``, spaces), offered as aliases of the name they mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.domain.attribution import ATTRIBUTES
from app.domain.policy import Policy
from app.domain.policy_codec import MAX_NAME, text_problem
from app.services.policy_edits import PolicyChange, PolicyState, change_of, policy_state
from app.services.priced_slices import policy_from_mapping
from app.services.usage_scan import ScannedUsage, scan_months
from app.workspace.db import Workspace
from app.workspace.policy_store import current_policy_mapping

SECTIONS = {"team": "teams", "product": "products", "environment": "environments"}
DEFAULT_SOURCE = "default"


class HygieneError(ValueError):
    """Aliases cannot be added as asked; the message says why."""


@dataclass(frozen=True)
class Coverage:
    """One month and import source: its cost, and the share of it given each attribute by a
    rule or a tag (the rest got the default: Unallocated, Unassigned, unknown)."""

    month: str
    source: str
    cost: Decimal
    covered: dict[str, Decimal]
    """Attribute → cost given it by a rule or tag."""

    def share(self, attribute: str) -> Decimal | None:
        return self.covered[attribute] / self.cost if self.cost else None


@dataclass(frozen=True)
class Spelling:
    """One value of ``tag.<tag>`` written several ways; ``name`` is what they mean, and
    ``known`` whether it is a name (or alias) in the policy (then the rest can be added as its
    aliases)."""

    tag: str
    name: str
    known: bool
    spellings: tuple[tuple[str, Decimal], ...]
    """Each way it is written, with the cost carrying it, most costly first."""
    to_add: tuple[str, ...]
    """The spellings that do not yet resolve to the name (neither it nor an alias, in any
    case): the aliases to add."""


@dataclass(frozen=True)
class Hygiene:
    months: tuple[str, ...]
    coverage: tuple[Coverage, ...]
    spellings: tuple[Spelling, ...]


def normal_form(value: str) -> str:
    """A tag value as its meaning: any case, ``-``, ``_``, ``.`` or spaces between words."""
    return re.sub(r"[\s_\-.]+", "-", value.strip().casefold()).strip("-")


def _coverage(rows: list[ScannedUsage]) -> list[Coverage]:
    found: dict[tuple[str, str], list[Decimal]] = {}
    for row in rows:
        if row.cost is None:
            continue
        sums = found.setdefault((row.month, row.source), [Decimal(0)] * 4)
        sums[0] += row.cost
        for i, attribute in enumerate(ATTRIBUTES, start=1):
            if getattr(row.attribution, f"{attribute}_source") != DEFAULT_SOURCE:
                sums[i] += row.cost
    return [
        Coverage(month, source, sums[0], dict(zip(ATTRIBUTES, sums[1:], strict=True)))
        for (month, source), sums in sorted(found.items())
    ]


def _entries(policy: Policy, attribute: str) -> dict[str, tuple[str, set[str]]]:
    """Normal form → (the policy's name, every way it resolves, folded), for its names and
    aliases."""
    entries = {"team": policy.teams, "product": policy.products, "environment": policy.environments}
    found: dict[str, tuple[str, set[str]]] = {}
    for entry in entries[attribute]:
        if getattr(entry, "archived", False):
            continue  # attribution ignores an archived team's aliases
        written = {w.casefold() for w in (entry.name, *entry.aliases)}
        for form in {normal_form(w) for w in (entry.name, *entry.aliases)}:
            found.setdefault(form, (entry.name, written))
    return found


def _spellings(rows: list[ScannedUsage], policy: Policy) -> list[Spelling]:
    found = []
    for attribute in ATTRIBUTES:
        entries = _entries(policy, attribute)
        written: dict[str, dict[str, Decimal]] = {}
        for row in rows:
            value = row.tags.get(attribute)
            if value is None or not normal_form(value):
                continue
            forms = written.setdefault(normal_form(value), {})
            forms[value] = forms.get(value, Decimal(0)) + (row.cost or Decimal(0))
        for form, values in sorted(written.items()):
            ordered = tuple(sorted(values.items(), key=lambda i: (-i[1], i[0])))
            if form in entries:
                name, resolves = entries[form]
                # A spelling that cannot be a name (too long, control characters) is listed
                # but not offered: it would make the whole change refused.
                missing = tuple(
                    v
                    for v, _ in ordered
                    if v.casefold() not in resolves and text_problem(v, MAX_NAME) is None
                )
                if missing:
                    found.append(Spelling(attribute, name, True, ordered, missing))
            elif len(values) > 1:
                top = ordered[0][0]
                others = tuple(v for v, _ in ordered[1:])
                found.append(Spelling(attribute, top, False, ordered, others))
    return found


def tag_hygiene(
    workspace: Workspace, months: list[str], rows: list[ScannedUsage] | None = None
) -> Hygiene:
    """``rows``: the months already scanned (:func:`scan_months`), else they are read."""
    rows = scan_months(workspace, months) if rows is None else rows
    with workspace.engine.connect() as conn:
        policy = policy_from_mapping(current_policy_mapping(conn))
    return Hygiene(tuple(months), tuple(_coverage(rows)), tuple(_spellings(rows, policy)))


def alias_change(workspace: Workspace, tag: str, name: str, spellings: list[str]) -> PolicyChange:
    """The policy change that makes ``spellings`` aliases of ``name`` (a team, product or
    environment), for an edit stack to make (audited, undoable)."""
    return alias_change_from(policy_state(workspace), tag, name, spellings)


def alias_change_from(
    state: PolicyState, tag: str, name: str, spellings: list[str]
) -> PolicyChange:
    """:func:`alias_change` from a policy state already read (no database)."""
    if tag not in SECTIONS:
        raise HygieneError(f"tag: one of {', '.join(ATTRIBUTES)}, not {tag!r}")
    mapping: dict[str, Any] = {k: v for k, v in state.mapping.items()}
    entries = [dict(e) for e in mapping.get(SECTIONS[tag], [])]
    entry = next((e for e in entries if e.get("name") == name), None)
    if entry is None:
        raise HygieneError(f"no {tag} named {name!r} in the policy: add it first")
    taken = {str(a).casefold() for a in entry.get("aliases", [])} | {name.casefold()}
    added = [s for s in spellings if s.casefold() not in taken]
    if not added:
        raise HygieneError(f"{name} already has every one of those spellings")
    entry["aliases"] = [*entry.get("aliases", []), *added]
    mapping[SECTIONS[tag]] = [entry if e.get("name") == name else e for e in entries]
    return change_of(state, f"Aliases {', '.join(added)} of {tag} {name}", mapping)
