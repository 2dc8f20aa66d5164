"""Unit economics of a team or product in a month (CHARGEBACK_MATH.md §9)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from app.domain.money import MONEY_CONTEXT

PROD_ENVIRONMENTS = {"prod", "production", "prd", "live"}
UNKNOWN_ENVIRONMENTS = {"", "unknown"}
OUTPUT_TYPE = "output_tokens"
PROD_OR_UNKNOWN = PROD_ENVIRONMENTS | UNKNOWN_ENVIRONMENTS


class UsageFact(NamedTuple):
    """One priced, attributed slice of usage (the unit every insight is computed from; a named
    tuple: a month makes tens of thousands)."""

    team: str
    product: str
    environment: str
    model: str
    service_tier: str
    day: str
    driver: str
    """Who caused it: API key, key id, workspace or user, whichever the source gives."""
    requests: int
    input_tokens: int
    cache_write_tokens: int
    cache_read_tokens: int
    output_tokens: int
    cost: Decimal
    cost_by_type: tuple[tuple[str, Decimal], ...] = ()


def merged_facts(a: UsageFact, b: UsageFact) -> UsageFact:
    """Two facts of the same slice (team, product, environment, model, tier, day) as one."""
    ctx = MONEY_CONTEXT
    by_type = dict(a.cost_by_type)
    for name, amount in b.cost_by_type:
        by_type[name] = ctx.add(by_type.get(name, Decimal(0)), amount)
    return a._replace(
        requests=a.requests + b.requests,
        input_tokens=a.input_tokens + b.input_tokens,
        cache_write_tokens=a.cache_write_tokens + b.cache_write_tokens,
        cache_read_tokens=a.cache_read_tokens + b.cache_read_tokens,
        output_tokens=a.output_tokens + b.output_tokens,
        cost=ctx.add(a.cost, b.cost),
        cost_by_type=tuple(sorted(by_type.items())),
    )


@dataclass
class UnitEconomics:
    """The §9 figures; ratios are ``None`` when their denominator is zero."""

    cost: Decimal = Decimal(0)
    requests: int = 0
    tokens: int = 0
    input_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    output_tokens: int = 0
    output_cost: Decimal = Decimal(0)
    batch_cost: Decimal = Decimal(0)
    non_prod_cost: Decimal = Decimal(0)
    model_cost: dict[str, Decimal] = field(default_factory=dict)

    def add(self, fact: UsageFact) -> None:
        ctx = MONEY_CONTEXT
        self.cost = ctx.add(self.cost, fact.cost)
        self.requests += fact.requests
        self.input_tokens += fact.input_tokens
        self.cache_write_tokens += fact.cache_write_tokens
        self.cache_read_tokens += fact.cache_read_tokens
        self.output_tokens += fact.output_tokens
        self.tokens += (
            fact.input_tokens
            + fact.cache_write_tokens
            + fact.cache_read_tokens
            + fact.output_tokens
        )
        for cost_type, amount in fact.cost_by_type:
            if cost_type == OUTPUT_TYPE:
                self.output_cost = ctx.add(self.output_cost, amount)
        if fact.service_tier == "batch":
            self.batch_cost = ctx.add(self.batch_cost, fact.cost)
        if fact.environment.lower() not in PROD_OR_UNKNOWN:
            self.non_prod_cost = ctx.add(self.non_prod_cost, fact.cost)
        self.model_cost[fact.model] = ctx.add(
            self.model_cost.get(fact.model, Decimal(0)), fact.cost
        )

    def _ratio(self, numerator: Decimal, denominator: Decimal | int) -> Decimal | None:
        if not denominator:
            return None
        return MONEY_CONTEXT.divide(Decimal(numerator), Decimal(denominator))

    def figures(self) -> dict[str, Decimal | None]:
        input_side = self.input_tokens + self.cache_write_tokens + self.cache_read_tokens
        return {
            "cost": self.cost,
            "cost_per_request": self._ratio(self.cost, self.requests),
            "cost_per_mtok": self._ratio(self.cost * 1_000_000, self.tokens),
            "input_token_share": self._ratio(Decimal(input_side), self.tokens),
            "output_token_share": self._ratio(Decimal(self.output_tokens), self.tokens),
            "input_cost": self.cost - self.output_cost,
            "output_cost": self.output_cost,
            "cache_hit_rate": self._ratio(Decimal(self.cache_read_tokens), input_side),
            "batch_share": self._ratio(self.batch_cost, self.cost),
            "non_prod_share": self._ratio(self.non_prod_cost, self.cost),
        }

    def model_mix(self) -> dict[str, Decimal]:
        if not self.cost:
            return {}
        return {
            model: MONEY_CONTEXT.divide(cost, self.cost)
            for model, cost in sorted(self.model_cost.items(), key=lambda i: (-i[1], i[0]))
        }


def unit_economics(facts: Iterable[UsageFact], key: str = "team") -> dict[str, UnitEconomics]:
    """Figures per team (``key="team"``) or per ``team / product``; facts summed
    :func:`across_days` first give the same figures, many times faster."""
    result: dict[str, UnitEconomics] = {}
    for fact in facts:
        name = fact.team if key == "team" else f"{fact.team} / {fact.product}"
        result.setdefault(name, UnitEconomics()).add(fact)
    return result


def across_days(facts: Iterable[UsageFact]) -> list[UsageFact]:
    """The facts summed over days (and drivers): what unit economics read, in a few thousand
    facts where a month has tens of thousands. Only the output cost is kept of the split."""
    ctx = MONEY_CONTEXT
    merged: dict[tuple[str, str, str, str, str], list[Any]] = {}
    for fact in facts:
        key = (fact.team, fact.product, fact.environment, fact.model, fact.service_tier)
        output_cost = Decimal(0)
        for cost_type, amount in fact.cost_by_type:
            if cost_type == OUTPUT_TYPE:
                output_cost = amount
        sums = merged.get(key)
        if sums is None:
            merged[key] = [
                fact.requests,
                fact.input_tokens,
                fact.cache_write_tokens,
                fact.cache_read_tokens,
                fact.output_tokens,
                fact.cost,
                output_cost,
            ]
            continue
        sums[0] += fact.requests
        sums[1] += fact.input_tokens
        sums[2] += fact.cache_write_tokens
        sums[3] += fact.cache_read_tokens
        sums[4] += fact.output_tokens
        sums[5] = ctx.add(sums[5], fact.cost)
        sums[6] = ctx.add(sums[6], output_cost)
    return [
        UsageFact(
            team,
            product,
            environment,
            model,
            tier,
            "",
            "",
            sums[0],
            sums[1],
            sums[2],
            sums[3],
            sums[4],
            sums[5],
            ((OUTPUT_TYPE, sums[6]),),
        )
        for (team, product, environment, model, tier), sums in merged.items()
    ]


def change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Month-over-month relative change; ``None`` without a previous value."""
    if current is None or previous in (None, 0):
        return None
    assert previous is not None
    return MONEY_CONTEXT.divide(current - previous, abs(previous))
