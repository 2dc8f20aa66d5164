"""The price book of a workspace (built-in + user entries) and pricing of SQL aggregates."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Connection

import resources
from app.domain.money import MONEY_CONTEXT
from app.domain.price_book import (
    IntegerRates,
    PriceBook,
    PricedUsage,
    PriceEntry,
    discount_from_mapping,
    entry_from_mapping,
)
from app.domain.usage import SPEED_FAST, PricingKey, TokenCounts, UsageQuantities
from app.workspace.prices import stored_discounts, user_price_entries
from app.workspace.usage_queries import UsageAggregate


@cache
def builtin_price_entries() -> tuple[PriceEntry, ...]:
    """The shipped price book (``resources/price_book.toml``)."""
    data = tomllib.loads(resources.read_text("price_book.toml"))
    return tuple(entry_from_mapping(item, source="built-in") for item in data["prices"])


def document_price_book(document_mapping: dict[str, Any]) -> PriceBook:
    """The price book a policy document would make: the built-in entries, its prices (as the
    user's) and its discounts — to preview a change of prices before it is made."""
    return PriceBook(
        [
            *builtin_price_entries(),
            *(entry_from_mapping(p, source="user") for p in document_mapping.get("prices", [])),
        ],
        [discount_from_mapping(d) for d in document_mapping.get("discounts", [])],
    )


def workspace_price_book(conn: Connection) -> PriceBook:
    return PriceBook([*builtin_price_entries(), *user_price_entries(conn)], stored_discounts(conn))


@lru_cache(maxsize=65_536)
def pricing_key(
    model: str, day: str, tier: str, geo: str, window: str, speed: str = "", band: str = ""
) -> PricingKey:
    """One key object per distinct key: a month has hundreds, its aggregates many thousands."""
    return PricingKey(model, date.fromisoformat(day), tier, geo, window, speed, band)


def aggregate_key(agg: UsageAggregate, model: str | None = None) -> PricingKey:
    """The pricing key of an SQL aggregate (as if on ``model``, when given)."""
    return pricing_key(
        model or agg.model,
        agg.day,
        agg.service_tier,
        agg.inference_geo,
        agg.context_window,
        agg.speed,
        agg.prompt_band,
    )


def aggregate_quantities(agg: UsageAggregate) -> tuple[PricingKey, UsageQuantities]:
    """The pricing key and quantities of an SQL aggregate, for the domain."""
    key = aggregate_key(agg)
    quantities = UsageQuantities(
        tokens=TokenCounts(
            agg.input_tokens,
            agg.cache_write_5m_tokens,
            agg.cache_write_1h_tokens,
            agg.cache_read_tokens,
            agg.output_tokens,
        ),
        web_searches=agg.web_searches,
        code_execution_hours=Decimal(agg.code_execution_hours or 0),
        provided_cost=None if agg.provided_cost is None else Decimal(agg.provided_cost),
        provided_list_cost=(
            None if agg.provided_list_cost is None else Decimal(agg.provided_list_cost)
        ),
    )
    return key, quantities


def token_counts(agg: UsageAggregate) -> tuple[int, int, int, int, int]:
    """An aggregate's token counts in :data:`TOKEN_TYPES` order."""
    return (
        agg.input_tokens,
        agg.cache_write_5m_tokens,
        agg.cache_write_1h_tokens,
        agg.cache_read_tokens,
        agg.output_tokens,
    )


def integer_rates_of(
    book: PriceBook, agg: UsageAggregate, model: str | None = None, *, at_list: bool = False
) -> IntegerRates | None:
    """The integer rates that price ``agg``'s tokens and searches (as if on ``model``, when
    given; before the negotiated discount with ``at_list``), or ``None`` where the book prices
    it otherwise: nothing to price, code execution hours, or a model it has no price for. With
    rates, a cost of the source's own is not used (see :meth:`PriceBook.price`)."""
    if not agg.has_usage or agg.code_execution_hours is not None:
        return None
    key = aggregate_key(agg, model)
    return book.integer_list_rates_for(key) if at_list else book.integer_rates_for(key)


def price_aggregate(book: PriceBook, agg: UsageAggregate) -> PricedUsage:
    return book.price(*aggregate_quantities(agg))


def aggregate_cost(book: PriceBook, agg: UsageAggregate) -> Decimal | None:
    """``agg``'s exact cost (as :func:`price_aggregate` prices it, with integer arithmetic
    where the book has integer rates), or ``None`` when it cannot be priced."""
    rates = integer_rates_of(book, agg)
    if rates is not None:
        return rates.cost(token_counts(agg), agg.web_searches)
    priced = price_aggregate(book, agg)
    return priced.cost if priced.priced else None


@dataclass(frozen=True)
class PricedTotal:
    """Exact cost of a set of aggregates, with what could not be priced."""

    cost: Decimal
    unpriced_lines: int
    unpriced_models: tuple[str, ...]
    fast_without_fast_mode: tuple[str, ...] = ()
    """Models with fast-mode lines but no fast mode in the price book: priced at standard
    rates (§1), and said."""


def total_cost(book: PriceBook, aggregates: list[UsageAggregate]) -> PricedTotal:
    cost = Decimal(0)
    unpriced = 0
    models: set[str] = set()
    standard_fast: set[str] = set()
    for agg in aggregates:
        priced = price_aggregate(book, agg)
        if priced.priced:
            cost = MONEY_CONTEXT.add(cost, priced.cost)
            if agg.speed == SPEED_FAST and priced.basis == "price_book":
                entry = book.entry_for(agg.model, date.fromisoformat(agg.day))
                if entry is not None and entry.fast_multiplier is None:
                    standard_fast.add(agg.model)
        else:
            unpriced += agg.lines
            models.add(agg.model)
    return PricedTotal(cost, unpriced, tuple(sorted(models)), tuple(sorted(standard_fast)))
