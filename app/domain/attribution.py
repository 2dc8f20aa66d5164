"""Attribution of a usage line's raw dimensions to team, product and environment (§3).

Rules first (per attribute the first matching rule that assigns it wins), then aliases from
``tag.team`` / ``tag.product`` / ``tag.environment``, then the defaults.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.domain.patterns import compile_regex
from app.domain.policy import (
    UNALLOCATED,
    UNASSIGNED_PRODUCT,
    UNKNOWN_ENVIRONMENT,
    MappingRule,
    Policy,
)

ATTRIBUTES = ("team", "product", "environment")


@dataclass(frozen=True)
class Attribution:
    """Where a line goes, and why (``rule 2``, ``alias``, ``default``) for each attribute."""

    team: str
    product: str
    environment: str
    team_source: str
    product_source: str
    environment_source: str


def _matcher(kind: str, pattern: str) -> Callable[[str], bool]:
    if kind == "regex":
        return _remembered(compile_regex(pattern))
    if kind == "glob":
        lowered = pattern.casefold()
        return _remembered(lambda value: fnmatch.fnmatchcase(value.casefold(), lowered))
    folded = pattern.casefold()
    return lambda value: value.casefold() == folded


def _remembered(test: Callable[[str], bool]) -> Callable[[str], bool]:
    """``test`` answering each distinct value once: thousands of dimension sets share a few
    hundred keys or users, and a pattern match costs microseconds."""
    answers: dict[str, bool] = {}

    def remembered(value: str) -> bool:
        found = answers.get(value)
        if found is None:
            found = answers[value] = test(value)
        return found

    return remembered


@dataclass(frozen=True)
class _CompiledRule:
    rule: MappingRule
    label: str
    tests: tuple[tuple[str, Callable[[str], bool]], ...]

    def applies(self, dims: Mapping[str, str], period: str) -> bool:
        if self.rule.valid_from and period < self.rule.valid_from:
            return False
        if self.rule.valid_to and period > self.rule.valid_to:
            return False
        return all(test(dims.get(dimension, "")) for dimension, test in self.tests)


class Attributor:
    """Compiled rules and alias tables of one policy; call it once per distinct dimension set."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._rules = [
            _CompiledRule(
                rule,
                rule.label or f"rule {index}",
                tuple((d, _matcher(rule.match, p)) for d, p in rule.conditions),
            )
            for index, rule in enumerate(policy.rules, start=1)
        ]
        self._aliases = {
            "team": {
                label.casefold(): t.name
                for t in policy.teams
                if not t.archived
                for label in (t.name, *t.aliases)
            },
            "product": {
                label.casefold(): p.name for p in policy.products for label in (p.name, *p.aliases)
            },
            "environment": {
                label.casefold(): e.name
                for e in policy.environments
                for label in (e.name, *e.aliases)
            },
        }
        self._free_environments = not policy.environments

    def tested_dimensions(self) -> frozenset[str]:
        """Every dimension some rule tests (lines that agree on these attribute alike)."""
        return frozenset(dimension for rule in self._rules for dimension, _ in rule.tests)

    def _alias(self, attribute: str, dims: Mapping[str, str]) -> str | None:
        value = dims.get(f"tag.{attribute}", "").strip()
        if not value:
            return None
        found = self._aliases[attribute].get(value.casefold())
        if found is None and attribute == "environment" and self._free_environments:
            return value.lower()
        return found

    def attribute(self, dims: Mapping[str, str], period: str) -> Attribution:
        chosen: dict[str, tuple[str, str]] = {}
        for compiled in self._rules:
            wanted = [
                a for a in ATTRIBUTES if a not in chosen and getattr(compiled.rule, a) is not None
            ]
            if not wanted or not compiled.applies(dims, period):
                continue
            for attribute in wanted:
                chosen[attribute] = (getattr(compiled.rule, attribute), compiled.label)
            if len(chosen) == len(ATTRIBUTES):
                break
        defaults = {
            "team": UNALLOCATED,
            "product": UNASSIGNED_PRODUCT,
            "environment": UNKNOWN_ENVIRONMENT,
        }
        for attribute in ATTRIBUTES:
            if attribute not in chosen:
                alias = self._alias(attribute, dims)
                chosen[attribute] = (alias, "alias") if alias else (defaults[attribute], "default")
        return Attribution(
            chosen["team"][0],
            chosen["product"][0],
            chosen["environment"][0],
            chosen["team"][1],
            chosen["product"][1],
            chosen["environment"][1],
        )
