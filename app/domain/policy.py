"""What a controller configures: departments, teams, products, environments, mapping rules,
shared-cost pools and settings (CHARGEBACK_MATH.md §3–5, CONTRACT.md policy file).

Everything here is immutable; :func:`validate_policy` lists every problem at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.currency import is_currency_code
from app.domain.patterns import PatternError, compile_regex
from app.domain.periods import is_month

UNALLOCATED = "Unallocated"
UNASSIGNED_PRODUCT = "Unassigned"
UNKNOWN_ENVIRONMENT = "unknown"
MATCH_KINDS = ("exact", "glob", "regex")
POOL_METHODS = ("proportional", "even", "fixed", "weighted")
TRUE_UP_MODES = ("none", "proportional")
UNALLOCATED_MODES = ("show", "spread")
RULE_DIMENSIONS = (
    "api_key",
    "api_key_id",
    "workspace",
    "workspace_id",
    "user",
    "service_account",
    "model",
    "service_tier",
    "inference_geo",
    "context_window",
)


@dataclass(frozen=True)
class Department:
    name: str
    cost_center: str = ""


@dataclass(frozen=True)
class Team:
    """A team that can be charged; ``overhead_rate`` overrides the global rate when set."""

    name: str
    department: str = ""
    cost_center: str = ""
    aliases: tuple[str, ...] = ()
    owner: str = ""
    overhead_rate: Decimal | None = None
    code: str = ""
    """Short code for invoice numbers (``CB-YYYYMM-<CODE>``); derived from the name if empty."""
    archived: bool = False
    """No longer charged: kept so that its history reads as it was; no rule, alias or pool may
    send cost to it."""

    def invoice_code(self) -> str:
        if self.code:
            return self.code.upper()
        return re.sub(r"[^A-Z0-9]", "", self.name.upper())[:12] or "TEAM"


@dataclass(frozen=True)
class Product:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Environment:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class MappingRule:
    """Conditions on raw dimensions (all must hold) that assign team/product/environment."""

    conditions: tuple[tuple[str, str], ...]
    match: str = "exact"
    team: str | None = None
    product: str | None = None
    environment: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    label: str = ""
    """How the rule is named in the allocation trail (``rule 3``)."""


@dataclass(frozen=True)
class Pool:
    """A team whose whole amount is shared among targets by a method."""

    team: str
    method: str = "proportional"
    targets: tuple[str, ...] = ()
    weights: tuple[tuple[str, Decimal], ...] = ()


SHOWBACK = "showback"
CHARGEBACK = "chargeback"


@dataclass(frozen=True)
class Settings:
    currency: str = "USD"
    overhead_rate: Decimal = Decimal(0)
    true_up: str = "none"
    unallocated: str = "show"
    warn_threshold: Decimal = Decimal("0.80")
    expense_account: str = "6400"
    """The GL account each team's chargeback is debited to (per cost center)."""
    clearing_account: str = "9990"
    """The GL account the chargebacks are credited to (the platform's clearing account)."""
    functional_currency: str = ""
    """The company's own currency (``EUR``): a closed month's documents are converted into it
    at the month's rate. Empty: the bill's currency only."""
    go_live: str = ""
    """The first chargeback month (``YYYY-MM``): earlier months are showback — statements for
    information, never posted. Empty: every month is chargeback."""

    def billing_of(self, period: str) -> str:
        """``showback`` for a month before the go-live month, else ``chargeback``."""
        return SHOWBACK if self.go_live and period < self.go_live else CHARGEBACK


@dataclass(frozen=True)
class Policy:
    """The whole configuration of a workspace, in order."""

    settings: Settings = field(default_factory=Settings)
    departments: tuple[Department, ...] = ()
    teams: tuple[Team, ...] = ()
    products: tuple[Product, ...] = ()
    environments: tuple[Environment, ...] = ()
    rules: tuple[MappingRule, ...] = ()
    pools: tuple[Pool, ...] = ()

    def team(self, name: str) -> Team | None:
        for team in self.teams:
            if team.name == name:
                return team
        return None

    def team_names(self) -> set[str]:
        return {t.name for t in self.teams}

    def archived_team_names(self) -> set[str]:
        return {t.name for t in self.teams if t.archived}

    def pool_teams(self) -> list[str]:
        return [p.team for p in self.pools]

    def invoiced_teams(self) -> list[str]:
        """The teams that get invoices, in order: not shared pools, not archived."""
        pools = set(self.pool_teams())
        return [t.name for t in self.teams if t.name not in pools and not t.archived]


def _check_pattern(rule: MappingRule, where: str, problems: list[str]) -> None:
    for dimension, pattern in rule.conditions:
        if dimension not in RULE_DIMENSIONS and not dimension.startswith("tag."):
            problems.append(
                f"{where}: unknown dimension {dimension!r} (use one of "
                f"{', '.join(RULE_DIMENSIONS)} or tag.<name>)"
            )
        if rule.match == "regex":
            try:
                compile_regex(pattern)
            except PatternError as exc:
                problems.append(f"{where}: invalid regex {pattern!r} for {dimension}: {exc}")


def _check_rules(policy: Policy, problems: list[str]) -> None:
    teams = policy.team_names() | {UNALLOCATED}
    products = {p.name for p in policy.products}
    for index, rule in enumerate(policy.rules, start=1):
        where = f"rules[{index}]"
        if rule.match not in MATCH_KINDS:
            problems.append(f"{where}: match must be exact, glob or regex, not {rule.match!r}")
        if not rule.conditions:
            problems.append(f"{where}: 'when' needs at least one condition")
        if rule.team is None and rule.product is None and rule.environment is None:
            problems.append(f"{where}: assigns nothing (give team, product or environment)")
        if rule.team is not None and rule.team not in teams:
            problems.append(f"{where}: unknown team {rule.team!r}")
        elif rule.team in policy.archived_team_names():
            problems.append(f"{where}: team {rule.team!r} is archived")
        if rule.product is not None and products and rule.product not in products:
            problems.append(f"{where}: unknown product {rule.product!r}")
        for name, month in (("valid_from", rule.valid_from), ("valid_to", rule.valid_to)):
            if month is not None and not is_month(month):
                problems.append(f"{where}: {name} must be YYYY-MM, not {month!r}")
        if rule.valid_from and rule.valid_to and rule.valid_from > rule.valid_to:
            problems.append(f"{where}: valid_from is after valid_to")
        _check_pattern(rule, where, problems)


def _check_pools(policy: Policy, problems: list[str]) -> None:
    teams = policy.team_names()
    order = [p.team for p in policy.pools]
    for index, pool in enumerate(policy.pools, start=1):
        where = f"pools[{index}]"
        if pool.team not in teams:
            problems.append(f"{where}: unknown team {pool.team!r}")
        elif pool.team in policy.archived_team_names():
            problems.append(f"{where}: team {pool.team!r} is archived")
        if pool.method not in POOL_METHODS:
            problems.append(f"{where}: method must be one of {', '.join(POOL_METHODS)}")
        if order.count(pool.team) > 1 and order.index(pool.team) != index - 1:
            problems.append(f"{where}: {pool.team!r} is a pool twice")
        for target in pool.targets:
            if target not in teams:
                problems.append(f"{where}: unknown target team {target!r}")
            elif target == pool.team:
                problems.append(f"{where}: a pool cannot target itself")
            elif target in order[: index - 1]:
                problems.append(f"{where}: target {target!r} is an earlier pool")
            elif target in policy.archived_team_names():
                problems.append(f"{where}: target {target!r} is archived")
        weights = dict(pool.weights)
        if pool.method in ("fixed", "weighted"):
            names = set(pool.targets) or (
                teams - set(order) - {UNALLOCATED} - policy.archived_team_names()
            )
            missing = sorted(n for n in names if n not in weights)
            if missing:
                problems.append(f"{where}: no weight for {', '.join(missing)}")
            if any(w < 0 for w in weights.values()):
                problems.append(f"{where}: weights must not be negative")
        if pool.method == "fixed" and sum(weights.values(), Decimal(0)) != 100:
            problems.append(
                f"{where}: fixed percentages sum to {sum(weights.values(), Decimal(0))}, not 100"
            )


MAX_OVERHEAD_RATE = Decimal(1)
"""A platform overhead above 100 % of what a team used is a typing mistake, not a policy."""


def validate_policy(policy: Policy) -> list[str]:
    """Every problem of the policy, each naming where it is; empty when valid."""
    problems: list[str] = []
    settings = policy.settings
    if settings.true_up not in TRUE_UP_MODES:
        problems.append(f"settings.true_up must be none or proportional, not {settings.true_up!r}")
    if settings.unallocated not in UNALLOCATED_MODES:
        problems.append(
            f"settings.unallocated must be show or spread, not {settings.unallocated!r}"
        )
    if not 0 <= settings.overhead_rate <= MAX_OVERHEAD_RATE:
        problems.append("settings.overhead_rate must be between 0 and 1 (100 %)")
    if not 0 < settings.warn_threshold <= 1:
        problems.append("settings.warn_threshold must be in (0, 1]")
    if settings.functional_currency and not is_currency_code(settings.functional_currency):
        problems.append(
            "settings.functional_currency must be a three-letter currency code (EUR, GBP, …): "
            f"{settings.functional_currency!r}"
        )
    if settings.go_live and not is_month(settings.go_live):
        problems.append(f"settings.go_live must be a month, YYYY-MM: {settings.go_live!r}")
    seen: dict[str, str] = {}
    names: dict[str, int] = {}
    departments = {d.name for d in policy.departments}
    for index, team in enumerate(policy.teams, start=1):
        where = f"teams[{index}]"
        if not team.name.strip():
            problems.append(f"{where}: empty name")
        if team.name == UNALLOCATED:
            problems.append(f"{where}: {UNALLOCATED!r} is built in")
        if team.department and team.department not in departments:
            problems.append(f"{where}: unknown department {team.department!r}")
        if team.overhead_rate is not None and not 0 <= team.overhead_rate <= MAX_OVERHEAD_RATE:
            problems.append(f"{where}: overhead_rate must be between 0 and 1 (100 %)")
        folded = team.name.casefold()
        if folded in names:
            problems.append(
                f"{where}: the name {team.name!r} is already used by teams[{names[folded]}]"
            )
            continue
        names[folded] = index
        if team.archived:
            continue  # its name stays taken; its aliases no longer map (another may use them)
        for label in (team.name, *team.aliases):
            key = label.casefold()
            if key in seen and seen[key] != team.name:
                problems.append(f"{where}: name or alias {label!r} is also used by {seen[key]!r}")
            seen[key] = team.name
    codes = [t.invoice_code() for t in policy.teams]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(f"teams: invoice code {code!r} is shared; give the teams a 'code'")
    _check_rules(policy, problems)
    _check_pools(policy, problems)
    return problems
