"""The policy file (CONTRACT.md) as plain data: mapping → :class:`Policy` and back.

Reading collects every problem with its TOML location (``teams[2].overhead_rate``) instead of
stopping at the first; writing produces a mapping that reads back to the identical policy.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.domain.model_ids import normalise_model_id
from app.domain.model_rules import KEYS as MODEL_RULE_KEYS
from app.domain.model_rules import (
    ModelRule,
    model_rule_problems,
    model_rules_environment_problems,
)
from app.domain.money import AmountError, parse_decimal
from app.domain.periods import is_month
from app.domain.policy import (
    Department,
    Environment,
    MappingRule,
    Policy,
    Pool,
    Product,
    Settings,
    Team,
    validate_policy,
)

POLICY_VERSION = 1
MAX_NAME = 100
"""Characters of a name (team, alias, department, product, environment, code)."""
MAX_TEXT = 500
"""Characters of any other text (owner, label, pattern)."""
_BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def text_problem(value: str, limit: int) -> str | None:
    """Why a text from a policy file cannot be used, or ``None``.

    Control characters (NUL included) break files and terminals; bidirectional controls make a
    name read differently from what it is (``Data\u202egnp.exe``); very long names break
    invoices and file names.
    """
    for char in value:
        if char in _BIDI_CONTROLS:
            return f"bidirectional control character U+{ord(char):04X} is not allowed"
        if unicodedata.category(char) == "Cc":
            return f"control character U+{ord(char):04X} is not allowed"
    if len(value) > limit:
        return f"{len(value)} characters; at most {limit}"
    return None


@dataclass(frozen=True)
class Budget:
    team: str
    month: str
    amount: Decimal
    product: str = ""


@dataclass(frozen=True)
class ProviderInvoiceEntry:
    period: str
    total: Decimal
    invoice_number: str = ""


@dataclass
class PolicyDocument:
    """Everything ``config apply`` replaces, as read from one file."""

    policy: Policy = field(default_factory=Policy)
    budgets: list[Budget] = field(default_factory=list)
    prices: list[dict[str, Any]] = field(default_factory=list)
    discounts: list[dict[str, Any]] = field(default_factory=list)
    """Contract discounts (``discount_percent``, optional ``model`` and ``effective_from``)."""
    provider_invoices: list[ProviderInvoiceEntry] = field(default_factory=list)
    import_profiles: list[dict[str, Any]] = field(default_factory=list)
    """Mapping profiles for CSV files no built-in importer knows (checked by the services)."""
    model_rules: list[ModelRule] = field(default_factory=list)
    """The model-use policy: rules on which models and modes teams use."""


class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def decimal(self, value: object, where: str, default: Decimal | None = None) -> Decimal | None:
        if value is None:
            return default
        if isinstance(value, float):
            value = repr(value)
        try:
            return parse_decimal(value if isinstance(value, (str, int, Decimal)) else str(value))
        except AmountError:
            self.problems.append(f"{where}: not a number: {value!r}")
            return default

    def text(self, value: object, where: str, default: str = "", limit: int = MAX_TEXT) -> str:
        if value is None:
            return default
        if not isinstance(value, str):
            self.problems.append(f"{where}: expected text, got {value!r}")
            return default
        problem = text_problem(value, limit)
        if problem:
            self.problems.append(f"{where}: {problem}")
        return value

    def name(self, value: object, where: str, *, file_safe: bool = False) -> str:
        """A name people read on invoices (and, for teams, in file names)."""
        name = self.text(value, where, limit=MAX_NAME)
        if file_safe:
            for separator in ("/", "\\"):
                if separator in name:
                    self.problems.append(
                        f"{where}: {separator!r} is not allowed in a team name (it is used "
                        f"in file names)"
                    )
        return name

    def texts(self, value: object, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problems.append(f"{where}: expected a list of text")
            return ()
        for index, item in enumerate(value, start=1):
            problem = text_problem(item, MAX_NAME)
            if problem:
                self.problems.append(f"{where}[{index}]: {problem}")
        return tuple(value)

    def month(self, value: object, where: str) -> str:
        month = self.text(value, where)
        if not is_month(month):
            self.problems.append(f"{where}: must be a month YYYY-MM, not {month!r}")
        return month

    def tables(self, data: Mapping[str, Any], key: str) -> list[tuple[str, Mapping[str, Any]]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problems.append(f"{key}: expected [[{key}]] tables")
            return []
        return [(f"{key}[{i}]", item) for i, item in enumerate(value, start=1)]

    def unknown_keys(self, item: Mapping[str, Any], where: str, known: set[str]) -> None:
        for key in item:
            if key not in known:
                self.problems.append(f"{where}: unknown key {key!r}")


def _settings(reader: _Reader, data: Mapping[str, Any]) -> Settings:
    raw = data.get("settings", {})
    if not isinstance(raw, dict):
        reader.problems.append("settings: expected a table")
        raw = {}
    reader.unknown_keys(
        raw,
        "settings",
        {
            "currency",
            "overhead_rate",
            "true_up",
            "unallocated",
            "warn_threshold",
            "expense_account",
            "clearing_account",
            "go_live",
            "functional_currency",
        },
    )
    base = Settings()
    return Settings(
        currency=reader.text(raw.get("currency"), "settings.currency", base.currency),
        overhead_rate=reader.decimal(
            raw.get("overhead_rate"), "settings.overhead_rate", base.overhead_rate
        )
        or Decimal(0),
        true_up=reader.text(raw.get("true_up"), "settings.true_up", base.true_up),
        unallocated=reader.text(raw.get("unallocated"), "settings.unallocated", base.unallocated),
        warn_threshold=reader.decimal(
            raw.get("warn_threshold"), "settings.warn_threshold", base.warn_threshold
        )
        or base.warn_threshold,
        expense_account=reader.text(
            raw.get("expense_account"), "settings.expense_account", base.expense_account
        ),
        clearing_account=reader.text(
            raw.get("clearing_account"), "settings.clearing_account", base.clearing_account
        ),
        go_live=reader.text(raw.get("go_live"), "settings.go_live", base.go_live),
        functional_currency=reader.text(
            raw.get("functional_currency"),
            "settings.functional_currency",
            base.functional_currency,
        ),
    )


def _rule(reader: _Reader, where: str, item: Mapping[str, Any]) -> MappingRule:
    reader.unknown_keys(
        item,
        where,
        {"when", "match", "team", "product", "environment", "valid_from", "valid_to", "label"},
    )
    when = item.get("when", {})
    if not isinstance(when, dict) or not all(isinstance(v, str) for v in when.values()):
        reader.problems.append(f"{where}.when: expected an inline table of text patterns")
        when = {}
    return MappingRule(
        conditions=tuple((str(k), v) for k, v in when.items()),
        match=reader.text(item.get("match"), f"{where}.match", "exact"),
        team=item.get("team"),
        product=item.get("product"),
        environment=item.get("environment"),
        valid_from=item.get("valid_from"),
        valid_to=item.get("valid_to"),
        label=reader.text(item.get("label"), f"{where}.label"),
    )


def _pool(reader: _Reader, where: str, item: Mapping[str, Any]) -> Pool:
    reader.unknown_keys(item, where, {"team", "method", "targets", "weights"})
    weights = item.get("weights", {})
    if not isinstance(weights, dict):
        reader.problems.append(f"{where}.weights: expected an inline table")
        weights = {}
    parsed = tuple(
        (str(name), reader.decimal(value, f"{where}.weights.{name}", Decimal(0)) or Decimal(0))
        for name, value in weights.items()
    )
    return Pool(
        team=reader.text(item.get("team"), f"{where}.team"),
        method=reader.text(item.get("method"), f"{where}.method", "proportional"),
        targets=reader.texts(item.get("targets"), f"{where}.targets"),
        weights=parsed,
    )


def _flag(reader: _Reader, value: object, where: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        reader.problems.append(f"{where}: expected true or false")
        return False
    return value


def _model_rule(reader: _Reader, where: str, item: Mapping[str, Any], teams: set[str]) -> ModelRule:
    reader.unknown_keys(item, where, MODEL_RULE_KEYS)
    rule = ModelRule(
        name=reader.text(item.get("name"), f"{where}.name"),
        environments=reader.texts(item.get("environments"), f"{where}.environments"),
        except_environments=reader.texts(
            item.get("except_environments"), f"{where}.except_environments"
        ),
        teams=reader.texts(item.get("teams"), f"{where}.teams"),
        forbid_models=reader.text(item.get("forbid_models"), f"{where}.forbid_models"),
        instead=normalise_model_id(reader.text(item.get("instead"), f"{where}.instead")),
        require_batch=_flag(reader, item.get("require_batch"), f"{where}.require_batch"),
        forbid_fast=_flag(reader, item.get("forbid_fast"), f"{where}.forbid_fast"),
    )
    if not rule.name:
        reader.problems.append(f"{where}.name: say what the rule is")
    reader.problems.extend(model_rule_problems(rule, where, teams))
    return rule


def document_from_mapping(data: Mapping[str, Any]) -> tuple[PolicyDocument, list[str]]:
    """Read a parsed policy file; returns the document and every problem found."""
    reader = _Reader()
    reader.unknown_keys(
        data,
        "file",
        {
            "version",
            "settings",
            "departments",
            "teams",
            "products",
            "environments",
            "rules",
            "pools",
            "budgets",
            "prices",
            "discounts",
            "provider_invoices",
            "import_profiles",
            "model_rules",
        },
    )
    if data.get("version", POLICY_VERSION) != POLICY_VERSION:
        reader.problems.append(f"version: this app reads version {POLICY_VERSION}")
    departments = tuple(
        Department(
            reader.name(i.get("name"), f"{w}.name"),
            reader.text(i.get("cost_center"), f"{w}.cost_center"),
        )
        for w, i in reader.tables(data, "departments")
    )
    teams = []
    for where, item in reader.tables(data, "teams"):
        reader.unknown_keys(
            item,
            where,
            {
                "name",
                "department",
                "cost_center",
                "aliases",
                "owner",
                "overhead_rate",
                "code",
                "archived",
            },
        )
        archived = item.get("archived", False)
        if not isinstance(archived, bool):
            reader.problems.append(f"{where}.archived: expected true or false")
            archived = False
        teams.append(
            Team(
                name=reader.name(item.get("name"), f"{where}.name", file_safe=True),
                department=reader.text(item.get("department"), f"{where}.department"),
                cost_center=reader.text(item.get("cost_center"), f"{where}.cost_center"),
                aliases=reader.texts(item.get("aliases"), f"{where}.aliases"),
                owner=reader.text(item.get("owner"), f"{where}.owner"),
                overhead_rate=reader.decimal(item.get("overhead_rate"), f"{where}.overhead_rate"),
                code=reader.name(item.get("code"), f"{where}.code"),
                archived=archived,
            )
        )
    products = tuple(
        Product(
            reader.name(i.get("name"), f"{w}.name"), reader.texts(i.get("aliases"), f"{w}.aliases")
        )
        for w, i in reader.tables(data, "products")
    )
    environments = tuple(
        Environment(
            reader.name(i.get("name"), f"{w}.name"), reader.texts(i.get("aliases"), f"{w}.aliases")
        )
        for w, i in reader.tables(data, "environments")
    )
    rules = tuple(_rule(reader, w, i) for w, i in reader.tables(data, "rules"))
    pools = tuple(_pool(reader, w, i) for w, i in reader.tables(data, "pools"))
    policy = Policy(
        _settings(reader, data), departments, tuple(teams), products, environments, rules, pools
    )
    document = PolicyDocument(policy=policy)
    team_names = policy.team_names()
    for where, item in reader.tables(data, "budgets"):
        reader.unknown_keys(item, where, {"team", "month", "amount", "product"})
        amount = reader.decimal(item.get("amount"), f"{where}.amount")
        team = reader.text(item.get("team"), f"{where}.team")
        if team not in team_names:
            reader.problems.append(f"{where}: unknown team {team!r}")
        if amount is not None and amount < 0:
            reader.problems.append(f"{where}.amount: must not be negative")
        month = reader.month(item.get("month"), f"{where}.month")
        if amount is not None:
            document.budgets.append(
                Budget(team, month, amount, reader.text(item.get("product"), f"{where}.product"))
            )
    document.prices = [dict(item) for _, item in reader.tables(data, "prices")]
    document.discounts = [dict(item) for _, item in reader.tables(data, "discounts")]
    document.import_profiles = [dict(item) for _, item in reader.tables(data, "import_profiles")]
    document.model_rules = [
        _model_rule(reader, w, i, team_names) for w, i in reader.tables(data, "model_rules")
    ]
    reader.problems += model_rules_environment_problems(document.model_rules, policy)
    for where, item in reader.tables(data, "provider_invoices"):
        reader.unknown_keys(item, where, {"period", "total", "invoice_number"})
        total = reader.decimal(item.get("total"), f"{where}.total")
        period = reader.month(item.get("period"), f"{where}.period")
        if total is not None:
            document.provider_invoices.append(
                ProviderInvoiceEntry(
                    period,
                    total,
                    reader.text(item.get("invoice_number"), f"{where}.invoice_number"),
                )
            )
    return document, reader.problems + validate_policy(policy)


def _decimal_text(value: Decimal) -> str:
    return f"{value:f}"


def document_to_mapping(document: PolicyDocument) -> dict[str, Any]:
    """The inverse of :func:`document_from_mapping` (empty optional fields left out)."""
    policy = document.policy
    settings = policy.settings
    data: dict[str, Any] = {
        "version": POLICY_VERSION,
        "settings": {
            "currency": settings.currency,
            "overhead_rate": _decimal_text(settings.overhead_rate),
            "true_up": settings.true_up,
            "unallocated": settings.unallocated,
            "warn_threshold": _decimal_text(settings.warn_threshold),
            "expense_account": settings.expense_account,
            "clearing_account": settings.clearing_account,
            **({"go_live": settings.go_live} if settings.go_live else {}),
            **(
                {"functional_currency": settings.functional_currency}
                if settings.functional_currency
                else {}
            ),
        },
        "departments": [
            {k: v for k, v in (("name", d.name), ("cost_center", d.cost_center)) if v}
            for d in policy.departments
        ],
        "teams": [],
        "products": [
            {"name": p.name, **({"aliases": list(p.aliases)} if p.aliases else {})}
            for p in policy.products
        ],
        "environments": [
            {"name": e.name, **({"aliases": list(e.aliases)} if e.aliases else {})}
            for e in policy.environments
        ],
        "rules": [],
        "pools": [],
        "budgets": [
            {
                "team": b.team,
                "month": b.month,
                "amount": _decimal_text(b.amount),
                **({"product": b.product} if b.product else {}),
            }
            for b in document.budgets
        ],
        "prices": [dict(p) for p in document.prices],
        "discounts": [dict(d) for d in document.discounts],
        "provider_invoices": [
            {
                "period": i.period,
                "total": _decimal_text(i.total),
                **({"invoice_number": i.invoice_number} if i.invoice_number else {}),
            }
            for i in document.provider_invoices
        ],
        "import_profiles": [dict(p) for p in document.import_profiles],
    }
    for team in policy.teams:
        entry: dict[str, Any] = {"name": team.name}
        for key in ("department", "cost_center", "owner", "code"):
            if getattr(team, key):
                entry[key] = getattr(team, key)
        if team.aliases:
            entry["aliases"] = list(team.aliases)
        if team.overhead_rate is not None:
            entry["overhead_rate"] = _decimal_text(team.overhead_rate)
        if team.archived:
            entry["archived"] = True
        data["teams"].append(entry)
    for rule in policy.rules:
        entry = {"when": dict(rule.conditions), "match": rule.match}
        for key in ("team", "product", "environment", "valid_from", "valid_to", "label"):
            if getattr(rule, key):
                entry[key] = getattr(rule, key)
        data["rules"].append(entry)
    for pool in policy.pools:
        entry = {"team": pool.team, "method": pool.method}
        if pool.targets:
            entry["targets"] = list(pool.targets)
        if pool.weights:
            entry["weights"] = {name: _decimal_text(w) for name, w in pool.weights}
        data["pools"].append(entry)
    data["model_rules"] = [rule.as_mapping() for rule in document.model_rules]
    return {k: v for k, v in data.items() if v != []}
