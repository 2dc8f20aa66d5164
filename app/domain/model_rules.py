"""Model-use policy (issue 15): rules a company sets on which models and modes its teams use —
"non-production must not use Opus-class models", "batch-eligible environments run in batch",
"no fast mode outside production" — written in the policy file as ``[[model_rules]]``.

A rule has a scope (environments it covers, or all but some; optionally teams) and one
demand: ``forbid_models`` (a glob on the model id, with the model to use ``instead``),
``require_batch`` or ``forbid_fast``. Usage in scope that breaks the demand is a violation;
what it cost is at stake, and what it would have cost had the rule been followed is priced
from the same usage.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

from app.domain.policy import Policy

FORBID_MODELS, REQUIRE_BATCH, FORBID_FAST = "forbid_models", "require_batch", "forbid_fast"
KEYS = {
    "name",
    "environments",
    "except_environments",
    "teams",
    FORBID_MODELS,
    "instead",
    REQUIRE_BATCH,
    FORBID_FAST,
}


@dataclass(frozen=True)
class ModelRule:
    name: str
    environments: tuple[str, ...] = ()
    """The environments it covers (any case); empty: every one not excepted."""
    except_environments: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    """The teams it covers; empty: every team."""
    forbid_models: str = ""
    """A glob on model ids (``claude-opus-*``) the scope must not use…"""
    instead: str = ""
    """…and the model it should use (what following the rule would have cost)."""
    require_batch: bool = False
    forbid_fast: bool = False

    @property
    def demand(self) -> str:
        if self.forbid_models:
            return FORBID_MODELS
        return REQUIRE_BATCH if self.require_batch else FORBID_FAST

    def covers(self, team: str, environment: str) -> bool:
        env = environment.casefold()
        if self.environments and env not in {e.casefold() for e in self.environments}:
            return False
        if env in {e.casefold() for e in self.except_environments}:
            return False
        return not self.teams or team in self.teams

    def broken_by(self, model: str, service_tier: str, speed: str) -> bool:
        """Whether usage of this model, tier and speed breaks the demand."""
        if self.forbid_models:
            return fnmatch.fnmatchcase(model.casefold(), self.forbid_models.casefold())
        if self.require_batch:
            return service_tier != "batch"
        return speed == "fast"

    def as_mapping(self) -> dict[str, Any]:
        found: dict[str, Any] = {"name": self.name}
        for key in ("environments", "except_environments", "teams"):
            if getattr(self, key):
                found[key] = list(getattr(self, key))
        if self.forbid_models:
            found[FORBID_MODELS] = self.forbid_models
            found["instead"] = self.instead
        elif self.require_batch:
            found[REQUIRE_BATCH] = True
        else:
            found[FORBID_FAST] = True
        return found


def model_rule_problems(rule: ModelRule, where: str, teams: set[str]) -> list[str]:
    problems = []
    demands = [bool(rule.forbid_models), rule.require_batch, rule.forbid_fast]
    if sum(demands) != 1:
        problems.append(
            f"{where}: give exactly one of forbid_models (with instead), require_batch or "
            f"forbid_fast"
        )
    if rule.forbid_models and not rule.instead:
        problems.append(f"{where}.instead: the model to use instead of {rule.forbid_models!r}")
    if rule.instead and not rule.forbid_models:
        problems.append(f"{where}.instead: only with forbid_models")
    if rule.forbid_models and rule.instead and rule.broken_by(rule.instead, "", ""):
        problems.append(
            f"{where}.instead: {rule.instead!r} is itself one of {rule.forbid_models!r}"
        )
    if rule.environments and rule.except_environments:
        problems.append(f"{where}: environments or except_environments, not both")
    for team in rule.teams:
        if team not in teams:
            problems.append(f"{where}.teams: unknown team {team!r}")
    return problems


def model_rules_environment_problems(rules: list[ModelRule], policy: Policy) -> list[str]:
    """Environments a rule names must be the policy's own (by name, or ``unknown``), once it
    declares any: a rule on a misspelt environment would silently cover nothing, or all."""
    if not policy.environments:
        return []
    known = {e.name.casefold() for e in policy.environments} | {"unknown"}
    problems = []
    for index, rule in enumerate(rules, start=1):
        for field in ("environments", "except_environments"):
            for name in getattr(rule, field):
                if name.casefold() not in known:
                    names = ", ".join(e.name for e in policy.environments)
                    problems.append(
                        f"model_rules[{index}].{field}: no environment {name!r} "
                        f"(environments: {names}, unknown)"
                    )
    return problems
