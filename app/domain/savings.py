"""Savings estimates (CHARGEBACK_MATH.md §9): labelled estimates with their assumptions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from app.domain.money import MONEY_CONTEXT
from app.domain.unit_economics import PROD_OR_UNKNOWN, UsageFact

LEVERS = ("routing", "caching", "batch")
"""The savings levers, by name (the forecast's adoption rates name them too)."""
ROUTE_FROM = "claude-opus"
ROUTE_TO = "claude-sonnet-4-6"
CACHE_READ_DISCOUNT = Decimal("0.9")
"""A cache read costs 0.1× input: each token moved from uncached input saves 90 %."""
BATCH_DISCOUNT = Decimal("0.5")


@dataclass(frozen=True)
class SavingsEstimate:
    team: str
    lever: str
    amount: Decimal
    assumption: str


def estimate_savings(
    facts: Iterable[UsageFact],
    reprice: Callable[[UsageFact, str], Decimal | None],
    routing_share: Decimal = Decimal("0.5"),
    target_hit_rate: Decimal = Decimal("0.5"),
) -> list[SavingsEstimate]:
    """Routing, caching and batch estimates per team, largest first."""
    ctx = MONEY_CONTEXT
    routing: dict[str, Decimal] = {}
    batch: dict[str, Decimal] = {}
    cache_in: dict[str, list[Decimal]] = {}
    for fact in facts:
        if fact.model.startswith(ROUTE_FROM):
            cheaper = reprice(fact, ROUTE_TO)
            if cheaper is not None and cheaper < fact.cost:
                routing[fact.team] = ctx.add(
                    routing.get(fact.team, Decimal(0)), (fact.cost - cheaper) * routing_share
                )
        if fact.service_tier != "batch" and fact.environment.lower() not in PROD_OR_UNKNOWN:
            batch[fact.team] = ctx.add(batch.get(fact.team, Decimal(0)), fact.cost * BATCH_DISCOUNT)
        input_cost = Decimal(0)
        for cost_type, amount in fact.cost_by_type:
            if cost_type == "uncached_input_tokens":
                input_cost = amount
        totals = cache_in.setdefault(fact.team, [Decimal(0)] * 4)
        totals[0] += fact.input_tokens + fact.cache_write_tokens + fact.cache_read_tokens
        totals[1] += fact.cache_read_tokens
        totals[2] += fact.input_tokens
        totals[3] = ctx.add(totals[3], input_cost)
    estimates = [
        SavingsEstimate(
            team, "routing", amount, f"{routing_share * 100:f}% of Opus tokens priced at {ROUTE_TO}"
        )
        for team, amount in routing.items()
        if amount
    ]
    estimates += [
        SavingsEstimate(
            team, "batch", amount, "non-production spend at Batch API prices (50 % off)"
        )
        for team, amount in batch.items()
        if amount
    ]
    for team, (input_side, reads, uncached, input_cost) in cache_in.items():
        moved = target_hit_rate * input_side - reads
        if moved > 0 and uncached:
            per_token = ctx.divide(input_cost, uncached)
            amount = min(moved, uncached) * per_token * CACHE_READ_DISCOUNT
            if amount > 0:
                estimates.append(
                    SavingsEstimate(
                        team,
                        "caching",
                        amount,
                        f"uncached input brought to a {target_hit_rate * 100:f}% cache hit rate "
                        f"(reads cost 0.1× input; write costs ignored)",
                    )
                )
    return sorted(estimates, key=lambda e: (-e.amount, e.team, e.lever))
