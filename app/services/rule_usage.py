"""Use cases: what each mapping rule decides in a month, and "test this rule" — the lines and
cost a rule (saved or still being edited) would catch, before it is saved.

A rule *matches* a line when its conditions hold in its months; it *decides* a line when it is
the first matching rule to assign one of the line's team, product or environment (rules are
read in order). Rules are told apart by position, not by their names, which may repeat.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.domain.attribution import Attribution, Attributor
from app.domain.money import MONEY_CONTEXT
from app.domain.patterns import PatternError
from app.services.attributed_usage import attributed_aggregates
from app.services.policy import checked_document
from app.services.priced_slices import policy_from_mapping, price_book_in_state
from app.services.pricing import price_aggregate
from app.services.reporting import check_period
from app.services.workspaces import Workspace

TESTED = "#tested"
"""The name the rule under test carries while it is tried."""
TOP_VALUES = 20


@dataclass(frozen=True)
class Catch:
    """Lines of a month and their cost."""

    lines: int = 0
    cost: Decimal = Decimal(0)

    def plus(self, lines: int, cost: Decimal) -> Catch:
        return Catch(self.lines + lines, MONEY_CONTEXT.add(self.cost, cost))


@dataclass(frozen=True)
class CaughtValue:
    """The values of the dimensions a rule tests, on lines it matches."""

    value: str
    catch: Catch


@dataclass(frozen=True)
class RuleTest:
    """What a rule would do in a month; ``problems`` (it cannot run) leaves the rest empty."""

    period: str
    matched: Catch = Catch()
    decided: Catch = Catch()
    values: tuple[CaughtValue, ...] = ()
    """The values it matches, by cost, the largest :data:`TOP_VALUES`."""
    problems: tuple[str, ...] = ()


def _numbered(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """``mapping`` with each rule named by its position (``#3``)."""
    numbered = copy.deepcopy(dict(mapping))
    for index, rule in enumerate(numbered.get("rules", []), start=1):
        if rule.get("label") != TESTED:
            rule["label"] = f"#{index}"
    return numbered


def _sources(attribution: Attribution) -> set[str]:
    return {
        attribution.team_source,
        attribution.product_source,
        attribution.environment_source,
    }


def rules_in_use(workspace: Workspace, period: str, mapping: Mapping[str, Any]) -> dict[int, Catch]:
    """Per rule position (1-based): the lines of ``period`` it decides, and their cost."""
    check_period(period)
    attributor = Attributor(policy_from_mapping(_numbered(mapping)))

    def labels(attribution: Attribution, _dims: Mapping[str, str]) -> tuple[str, ...]:
        return tuple(sorted(s for s in _sources(attribution) if s.startswith("#")))

    found: dict[int, Catch] = {}
    with workspace.engine.connect() as conn:
        book = price_book_in_state(conn)
        for item in attributed_aggregates(conn, attributor, period, {}, labels, {}):
            if not item.labels:
                continue
            cost = price_aggregate(book, item.aggregate).cost
            for source in item.labels:
                index = int(source[1:])
                found[index] = found.get(index, Catch()).plus(item.aggregate.lines, cost)
    return found


def with_rule_at(
    mapping: Mapping[str, Any], rule: dict[str, Any], position: int, *, replace: bool
) -> dict[str, Any]:
    """``mapping`` with ``rule`` at ``position`` (1-based), in place of the rule there when
    ``replace``, else inserted before it (after the last rule when past the end)."""
    after = copy.deepcopy(dict(mapping))
    rules = after.setdefault("rules", [])
    index = min(max(position, 1), len(rules) + 1) - 1
    if replace and index < len(rules):
        rules[index] = copy.deepcopy(rule)
    else:
        rules.insert(index, copy.deepcopy(rule))
    return after


def try_rule(
    workspace: Workspace,
    period: str,
    mapping: Mapping[str, Any],
    rule: dict[str, Any],
    position: int,
    *,
    replace: bool,
) -> RuleTest:
    """What ``rule`` would match and decide in ``period`` at ``position`` of the rules (in place
    of the rule there when ``replace``); nothing is saved."""
    check_period(period)
    candidate = {**copy.deepcopy(rule), "label": TESTED}
    trial = with_rule_at(_numbered(mapping), candidate, position, replace=replace)
    _document, problems = checked_document(trial)
    where = f"rules[{min(max(position, 1), len(trial['rules']))}]"
    own = [p.replace(where, "this rule", 1) for p in problems if p.startswith(where)]
    if own:
        return RuleTest(period, problems=tuple(own))
    try:
        in_place = Attributor(policy_from_mapping(trial))
        alone = Attributor(policy_from_mapping({**trial, "rules": [candidate]}))
    except PatternError as exc:
        return RuleTest(period, problems=(str(exc),))
    tested = [str(d) for d in candidate.get("when", {})]

    def labels(attribution: Attribution, dims: Mapping[str, str]) -> tuple[str, ...]:
        matched = TESTED in _sources(alone.attribute(dims, period))
        if not matched:
            return ("", "")
        decided = TESTED in _sources(attribution)
        value = ", ".join(f"{d} = {dims.get(d, '')}" for d in tested)
        return ("decided" if decided else "matched", value)

    values: dict[str, Catch] = {}
    matched = decided = Catch()
    with workspace.engine.connect() as conn:
        book = price_book_in_state(conn)
        for item in attributed_aggregates(conn, in_place, period, {}, labels, {}):
            kind, value = item.labels
            if not kind:
                continue
            cost = price_aggregate(book, item.aggregate).cost
            lines = item.aggregate.lines
            matched = matched.plus(lines, cost)
            if kind == "decided":
                decided = decided.plus(lines, cost)
            values[value] = values.get(value, Catch()).plus(lines, cost)
    top = sorted(values.items(), key=lambda i: (-i[1].cost, i[0]))[:TOP_VALUES]
    return RuleTest(period, matched, decided, tuple(CaughtValue(v, c) for v, c in top))
