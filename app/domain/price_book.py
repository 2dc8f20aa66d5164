"""The effective-dated price book and exact pricing of usage (CHARGEBACK_MATH.md §1)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.model_ids import normalise_model_id
from app.domain.money import MONEY_CONTEXT, AmountError, parse_decimal
from app.domain.usage import (
    BAND_HIGH,
    GEO_US,
    LONG_CONTEXT,
    PROMPT_BAND_LIMITS,
    SERVICE_TIER_BATCH,
    SPEED_FAST,
    TOKEN_TYPES,
    PricingKey,
    UsageQuantities,
)

MTOK = Decimal(1_000_000)
CACHE_WRITE_5M_FACTOR = Decimal("1.25")
CACHE_WRITE_1H_FACTOR = Decimal(2)
CACHE_READ_FACTOR = Decimal("0.1")
BATCH_FACTOR = Decimal("0.5")
US_GEO_FACTOR = Decimal("1.1")
WEB_SEARCH_PRICE = Decimal("0.01")
CODE_EXECUTION_HOUR_PRICE = Decimal("0.05")

OPTIONAL_RATE_FIELDS = (
    "cache_write_5m",
    "cache_write_1h",
    "cache_read",
    "long_context_input",
    "long_context_output",
    "fast_multiplier",
    "high_band_input",
    "high_band_output",
)


@dataclass(frozen=True)
class PriceEntry:
    """Rates of one model from one date on, in USD per million tokens."""

    model: str
    effective_from: date
    input: Decimal
    output: Decimal
    cache_write_5m: Decimal | None = None
    cache_write_1h: Decimal | None = None
    cache_read: Decimal | None = None
    long_context_input: Decimal | None = None
    long_context_output: Decimal | None = None
    fast_multiplier: Decimal | None = None
    """Every token rate × this in fast mode; ``None``: the model has no fast mode, and fast
    rows are priced at standard rates."""
    high_band_input: Decimal | None = None
    high_band_output: Decimal | None = None
    """The high prompt band's input and output rates (models of
    :data:`PROMPT_BAND_LIMITS`); its cache rates derive from its input rate. ``None``: every
    band pays the entry's own rates."""
    source: str = "built-in"
    """``built-in`` for the shipped book, ``user`` for the controller's own entries."""


@dataclass(frozen=True)
class TokenRates:
    """Final USD/MTok rates for each token type after every modifier."""

    input: Decimal
    cache_write_5m: Decimal
    cache_write_1h: Decimal
    cache_read: Decimal
    output: Decimal

    def rate(self, token_type: str) -> Decimal:
        value: Decimal = getattr(self, token_type)
        return value


@dataclass(frozen=True)
class IntegerRates:
    """The token rates of one pricing key as integers over one power of ten, so the sums of a
    month's lines are priced with integer arithmetic, exactly: a type's amount is
    ``count × numerator / 10**scale``."""

    numerators: tuple[int, ...]
    """Per token type, in :data:`TOKEN_TYPES` order."""
    scale: int

    def cost(self, counts: Sequence[int], web_searches: int) -> Decimal:
        """The exact cost of token ``counts`` (in :data:`TOKEN_TYPES` order) and searches."""
        r0, r1, r2, r3, r4 = self.numerators
        c0, c1, c2, c3, c4 = counts
        ctx = MONEY_CONTEXT
        cost = Decimal(c0 * r0 + c1 * r1 + c2 * r2 + c3 * r3 + c4 * r4).scaleb(-self.scale, ctx)
        if web_searches:
            cost = ctx.add(cost, ctx.multiply(Decimal(web_searches), WEB_SEARCH_PRICE))
        return cost

    def split(self, counts: Sequence[int], web_searches: int) -> dict[str, Decimal]:
        """The cost of ``counts`` and searches by cost type (see :func:`cost_by_type`)."""
        ctx = MONEY_CONTEXT
        scale = -self.scale
        split = {
            name: Decimal(count * numerator).scaleb(scale, ctx)
            for name, count, numerator in zip(_SPLIT_NAMES, counts, self.numerators, strict=True)
            if count
        }
        if web_searches:
            split["web_search"] = ctx.multiply(Decimal(web_searches), WEB_SEARCH_PRICE)
        return split


def integer_rates(rates: TokenRates) -> IntegerRates:
    values = [rates.rate(t) for t in TOKEN_TYPES]
    assert len(values) == 5  # IntegerRates.cost is written out for the five token types
    places = max(0, *(-int(v.as_tuple().exponent) for v in values))
    return IntegerRates(tuple(int(v.scaleb(places, MONEY_CONTEXT)) for v in values), places + 6)


@dataclass(frozen=True)
class PricedUsage:
    """The cost of a line, how it was found, and whether it could be priced at all."""

    cost: Decimal
    priced: bool
    basis: str
    """``price_book``, ``provided`` (the source's own cost) or ``unpriced``."""
    list_cost: Decimal | None = None
    """The price before the negotiated discount, where it differs from ``cost``."""

    @property
    def list_amount(self) -> Decimal:
        """The price before the negotiated discount (``cost`` where there is none)."""
        return self.cost if self.list_cost is None else self.list_cost


@dataclass(frozen=True)
class ContractDiscount:
    """A negotiated discount on token rates, in percent, from a date on: on one model, or on
    every model (``model`` empty). A model's own discount wins over one on every model; the
    newest on or before a day wins, and 0 % ends a discount."""

    percent: Decimal
    effective_from: date
    model: str = ""
    note: str = ""

    @property
    def factor(self) -> Decimal:
        """What is paid of each list rate."""
        return (100 - self.percent) / 100


class PriceBookError(ValueError):
    """An entry of a price book is malformed."""


class PriceBook:
    """Entries per model sorted by date; the newest entry on or before a date wins, and the
    controller's own entries win over the built-in ones from their date on.

    A price the controller sets ("our negotiated Opus rate from March") must not be undone by a
    built-in entry that happens to carry a later date.
    """

    def __init__(
        self, entries: Iterable[PriceEntry], discounts: Iterable[ContractDiscount] = ()
    ) -> None:
        by_key: dict[tuple[str, bool, date], PriceEntry] = {}
        for entry in entries:
            # Later entries of the same model, kind and date override earlier ones.
            by_key[(entry.model, entry.source == "user", entry.effective_from)] = entry
        self._by_model: dict[tuple[str, bool], list[PriceEntry]] = {}
        for (model, user, _), entry in sorted(by_key.items(), key=lambda i: i[0]):
            self._by_model.setdefault((model, user), []).append(entry)
        self._dates = {k: [e.effective_from for e in es] for k, es in self._by_model.items()}
        self._models = {model for model, _ in self._by_model}
        self._rates: dict[PricingKey, TokenRates | None] = {}
        self._list_rates: dict[PricingKey, TokenRates | None] = {}
        self._integer_rates: dict[PricingKey, IntegerRates | None] = {}
        self._integer_list_rates: dict[PricingKey, IntegerRates | None] = {}
        by_model: dict[str, dict[date, ContractDiscount]] = {}
        for discount in discounts:
            by_model.setdefault(discount.model, {})[discount.effective_from] = discount
        self._discounts = {
            model: sorted(found.values(), key=lambda d: d.effective_from)
            for model, found in by_model.items()
        }

    def discounts(self) -> list[ContractDiscount]:
        return [d for model in sorted(self._discounts) for d in self._discounts[model]]

    def has_discounts(self) -> bool:
        return any(d.percent for ds in self._discounts.values() for d in ds)

    def discount_for(self, model: str, day: date) -> Decimal:
        """The negotiated discount in percent on ``model``'s token rates on ``day``."""
        for key in (model, ""):
            found = self._discounts.get(key)
            if found:
                index = bisect.bisect_right([d.effective_from for d in found], day) - 1
                if index >= 0:
                    return found[index].percent
        return Decimal(0)

    def entries(self) -> list[PriceEntry]:
        return sorted(
            (e for es in self._by_model.values() for e in es),
            key=lambda e: (e.model, e.effective_from, e.source == "user"),
        )

    def models(self) -> list[str]:
        return sorted(self._models)

    def _newest(self, model: str, user: bool, day: date) -> PriceEntry | None:
        dates = self._dates.get((model, user))
        if not dates:
            return None
        index = bisect.bisect_right(dates, day) - 1
        return self._by_model[(model, user)][index] if index >= 0 else None

    def entry_for(self, model: str, day: date) -> PriceEntry | None:
        return self._newest(model, True, day) or self._newest(model, False, day)

    def knows(self, model: str) -> bool:
        return model in self._models

    def with_entries(self, extra: Iterable[PriceEntry]) -> PriceBook:
        return PriceBook([*self.entries(), *extra], self.discounts())

    def list_rates_for(self, key: PricingKey) -> TokenRates | None:
        """The published rates of a pricing key, before any discount (remembered: a month has a
        few hundred keys)."""
        try:
            return self._list_rates[key]
        except KeyError:
            pass
        entry = self.entry_for(key.model, key.day)
        rates = None if entry is None else token_rates(entry, key)
        self._list_rates[key] = rates
        return rates

    def rates_for(self, key: PricingKey) -> TokenRates | None:
        """The rates a pricing key pays: the list rates less the negotiated discount."""
        try:
            return self._rates[key]
        except KeyError:
            pass
        rates = self.list_rates_for(key)
        percent = self.discount_for(key.model, key.day)
        if rates is not None and percent:
            rates = discounted(rates, percent)
        self._rates[key] = rates
        return rates

    def integer_rates_for(self, key: PricingKey) -> IntegerRates | None:
        """The rates of a pricing key as integers (see :class:`IntegerRates`), remembered."""
        try:
            return self._integer_rates[key]
        except KeyError:
            pass
        rates = self.rates_for(key)
        found = None if rates is None else integer_rates(rates)
        self._integer_rates[key] = found
        return found

    def integer_list_rates_for(self, key: PricingKey) -> IntegerRates | None:
        """The list rates of a pricing key as integers, remembered; the same object as
        :meth:`integer_rates_for` gives when there is no discount."""
        try:
            return self._integer_list_rates[key]
        except KeyError:
            pass
        if not self.discount_for(key.model, key.day):
            found = self.integer_rates_for(key)
        else:
            rates = self.list_rates_for(key)
            found = None if rates is None else integer_rates(rates)
        self._integer_list_rates[key] = found
        return found

    def price(self, key: PricingKey, usage: UsageQuantities) -> PricedUsage:
        """Price one line exactly (§1) with its list price; a cost-only line keeps its
        provided cost (and list price)."""
        if not usage.has_priceable_usage():
            if usage.provided_cost is not None:
                return _provided(usage)
            return PricedUsage(Decimal(0), True, "price_book")
        rates = self.rates_for(key)
        if rates is None:
            if usage.provided_cost is not None:
                return _provided(usage)
            return PricedUsage(Decimal(0), False, "unpriced")
        cost = usage_cost(rates, usage)
        if not self.discount_for(key.model, key.day):
            return PricedUsage(cost, True, "price_book")
        list_rates = self.list_rates_for(key)
        assert list_rates is not None  # discounted rates are made from them
        return PricedUsage(cost, True, "price_book", usage_cost(list_rates, usage))


def _provided(usage: UsageQuantities) -> PricedUsage:
    assert usage.provided_cost is not None
    return PricedUsage(usage.provided_cost, True, "provided", usage.provided_list_cost)


def discounted(rates: TokenRates, percent: Decimal) -> TokenRates:
    """Every token rate less ``percent`` (exact)."""
    ctx = MONEY_CONTEXT
    factor = ctx.divide(ctx.subtract(Decimal(100), percent), Decimal(100))
    return TokenRates(
        *(ctx.multiply(rates.rate(name), factor) for name in TOKEN_TYPES)  # in field order
    )


def _request_size_rates(entry: PriceEntry, key: PricingKey) -> tuple[Decimal, Decimal] | None:
    """The input and output rates a long request pays instead of the entry's own — long
    context, or the high prompt band — or ``None`` (its cache rates then derive from the
    input rate)."""
    if key.context_window == LONG_CONTEXT and entry.long_context_input is not None:
        return entry.long_context_input, entry.long_context_output or entry.output
    if key.prompt_band == BAND_HIGH and entry.high_band_input is not None:
        return entry.high_band_input, entry.high_band_output or entry.output
    return None


def token_rates(entry: PriceEntry, key: PricingKey) -> TokenRates:
    """Apply long context or the high prompt band, derived cache rates, fast mode, batch and
    US-geo multipliers (§1); the multipliers stack. A band unknown pays the low band."""
    long_rates = _request_size_rates(entry, key)
    if long_rates is not None:
        base_input, base_output = long_rates
        cw5 = base_input * CACHE_WRITE_5M_FACTOR
        cw1 = base_input * CACHE_WRITE_1H_FACTOR
        cread = base_input * CACHE_READ_FACTOR
    else:
        base_input = entry.input
        base_output = entry.output
        cw5 = (
            entry.cache_write_5m
            if entry.cache_write_5m is not None
            else base_input * CACHE_WRITE_5M_FACTOR
        )
        cw1 = (
            entry.cache_write_1h
            if entry.cache_write_1h is not None
            else base_input * CACHE_WRITE_1H_FACTOR
        )
        cread = entry.cache_read if entry.cache_read is not None else base_input * CACHE_READ_FACTOR
    factor = Decimal(1)
    if key.speed == SPEED_FAST and entry.fast_multiplier is not None:
        factor *= entry.fast_multiplier
    if key.service_tier == SERVICE_TIER_BATCH:
        factor *= BATCH_FACTOR
    if key.inference_geo == GEO_US:
        factor *= US_GEO_FACTOR
    return TokenRates(
        input=base_input * factor,
        cache_write_5m=cw5 * factor,
        cache_write_1h=cw1 * factor,
        cache_read=cread * factor,
        output=base_output * factor,
    )


def usage_cost(rates: TokenRates, usage: UsageQuantities) -> Decimal:
    """Σ tokens × rate / 1e6 + web searches × $0.01 + code execution hours × $0.05, exact."""
    return _exact_sum(usage_split(rates, usage).values())


def _exact_sum(amounts: Iterable[Decimal]) -> Decimal:
    total = Decimal(0)
    for amount in amounts:
        total = MONEY_CONTEXT.add(total, amount)
    return total


def usage_split(rates: TokenRates, usage: UsageQuantities) -> dict[str, Decimal]:
    """The terms of :func:`usage_cost` by the cost report's types (token types, web search,
    code execution); zero terms are left out."""
    ctx = MONEY_CONTEXT
    split: dict[str, Decimal] = {}
    for token_type, name in STATEMENT_TOKEN_TYPES.items():
        count = getattr(usage.tokens, token_type)
        if count:
            split[name] = ctx.divide(ctx.multiply(Decimal(count), rates.rate(token_type)), MTOK)
    if usage.web_searches:
        split["web_search"] = ctx.multiply(Decimal(usage.web_searches), WEB_SEARCH_PRICE)
    if usage.code_execution_hours:
        split["code_execution"] = ctx.multiply(
            usage.code_execution_hours, CODE_EXECUTION_HOUR_PRICE
        )
    return split


def _rate(data: Mapping[str, object], name: str, model: str) -> Decimal | None:
    value = data.get(name)
    if value is None:
        if name in ("input", "output"):
            raise PriceBookError(f"price entry for {model!r} lacks {name!r}")
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        rate = parse_decimal(value if isinstance(value, (str, int, Decimal)) else str(value))
    except AmountError:
        raise PriceBookError(
            f"price entry for {model!r}: {name} is not a number: {value!r}"
        ) from None
    if rate < 0:
        raise PriceBookError(f"price entry for {model!r}: {name} is negative")
    return rate


DISCOUNT_FIELDS = frozenset(
    {"model", "effective_from", "discount_percent", "note", "citation", "source", "checked_on"}
)


def discount_from_mapping(data: Mapping[str, object]) -> ContractDiscount:
    """A contract discount from a mapping of strings (price list file): ``discount_percent``,
    optional ``model`` (empty: every model) and ``effective_from``. Any other key is refused:
    a misspelt ``model`` must not turn a model's discount into one on every model."""
    unknown = sorted(set(data) - DISCOUNT_FIELDS)
    if unknown:
        raise PriceBookError(
            f"discount: unknown field {unknown[0]!r} (fields: {', '.join(sorted(DISCOUNT_FIELDS))})"
        )
    model = normalise_model_id(str(data["model"])) if data.get("model") else ""
    what = f"discount on {model!r}" if model else "discount on every model"
    raw_date = str(data.get("effective_from", "2000-01-01"))
    try:
        effective_from = date.fromisoformat(raw_date)
    except ValueError:
        raise PriceBookError(
            f"{what}: effective_from is not a date YYYY-MM-DD: {raw_date!r}"
        ) from None
    raw = data.get("discount_percent")
    try:
        percent = parse_decimal(raw if isinstance(raw, (str, int, Decimal)) else str(raw))
    except AmountError:
        raise PriceBookError(f"{what}: discount_percent is not a number: {raw!r}") from None
    if not 0 <= percent <= 100:
        raise PriceBookError(f"{what}: discount_percent must be between 0 and 100: {raw}")
    return ContractDiscount(percent, effective_from, model)


def entry_from_mapping(data: Mapping[str, object], source: str = "user") -> PriceEntry:
    """Build an entry from a TOML-like mapping of strings (price book file, policy file)."""
    if not data.get("model"):
        raise PriceBookError("price entry lacks 'model'")
    model = normalise_model_id(str(data["model"]))
    raw_date = str(data.get("effective_from", "2000-01-01"))
    try:
        effective_from = date.fromisoformat(raw_date)
    except ValueError:
        raise PriceBookError(
            f"price entry for {model!r}: effective_from is not a date YYYY-MM-DD: {raw_date!r}"
        ) from None
    rates = {name: _rate(data, name, model) for name in ("input", "output", *OPTIONAL_RATE_FIELDS)}
    banded = rates["high_band_input"] is not None or rates["high_band_output"] is not None
    if banded and model not in PROMPT_BAND_LIMITS:
        raise PriceBookError(
            f"price entry for {model!r}: high-band rates are for models with prompt bands "
            f"({', '.join(sorted(PROMPT_BAND_LIMITS))})"
        )
    if model in PROMPT_BAND_LIMITS and (
        rates["high_band_input"] is None or rates["high_band_output"] is None
    ):
        # Without them, requests over the limit would be billed at the low band.
        raise PriceBookError(
            f"price entry for {model!r}: the model is priced by prompt band; give "
            f"high_band_input and high_band_output (prompts over "
            f"{PROMPT_BAND_LIMITS[model]:,} tokens) as well as input and output"
        )
    input_rate, output_rate = rates["input"], rates["output"]
    assert input_rate is not None and output_rate is not None  # _rate raises when missing
    return PriceEntry(
        model=model,
        effective_from=effective_from,
        input=input_rate,
        output=output_rate,
        cache_write_5m=rates["cache_write_5m"],
        cache_write_1h=rates["cache_write_1h"],
        cache_read=rates["cache_read"],
        long_context_input=rates["long_context_input"],
        long_context_output=rates["long_context_output"],
        fast_multiplier=rates["fast_multiplier"],
        high_band_input=rates["high_band_input"],
        high_band_output=rates["high_band_output"],
        source=source,
    )


STATEMENT_TOKEN_TYPES = {
    "input": "uncached_input_tokens",
    "cache_write_5m": "cache_creation.ephemeral_5m_input_tokens",
    "cache_write_1h": "cache_creation.ephemeral_1h_input_tokens",
    "cache_read": "cache_read_input_tokens",
    "output": "output_tokens",
}
"""Our token types in the cost report's vocabulary (reconciliation compares them)."""
_SPLIT_NAMES = tuple(STATEMENT_TOKEN_TYPES[t] for t in TOKEN_TYPES)


def cost_by_type(book: PriceBook, key: PricingKey, usage: UsageQuantities) -> dict[str, Decimal]:
    """A line's cost split by the cost report's token/cost types; ``{}`` when unpriced.

    Cost-only lines (a source's own cost) come back under ``provided``.
    """
    priced, split = priced_split(book, key, usage)
    return split if priced.priced else {}


def priced_split(
    book: PriceBook, key: PricingKey, usage: UsageQuantities
) -> tuple[PricedUsage, dict[str, Decimal]]:
    """A line's price and its split by cost type (see :func:`cost_by_type`), found together:
    the split adds up exactly to the cost."""
    rates = book.rates_for(key) if usage.has_priceable_usage() else None
    if rates is None:
        # Cost-only, empty or unpriced: the book decides (provided cost, zero, or nothing).
        priced = book.price(key, usage)
        provided = priced.priced and priced.basis == "provided"
        return priced, ({"provided": priced.cost} if provided else {})
    split = usage_split(rates, usage)
    return PricedUsage(_exact_sum(split.values()), True, "price_book"), split
