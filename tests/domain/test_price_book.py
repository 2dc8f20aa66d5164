"""Hand-computed prices (CHARGEBACK_MATH.md §1)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.price_book import PriceBook, PriceBookError, PriceEntry, entry_from_mapping
from app.domain.usage import (
    BAND_HIGH,
    BAND_LOW,
    BAND_UNKNOWN,
    PricingKey,
    TokenCounts,
    UsageQuantities,
    prompt_band,
)
from app.services.pricing import builtin_price_entries

BOOK = PriceBook(builtin_price_entries())
DAY = date(2026, 10, 1)


def cost(
    model,
    tokens=None,
    web=0,
    tier="standard",
    geo="global",
    window="0-200k",
    provided=None,
    hours=Decimal(0),
):
    usage = UsageQuantities(
        tokens=tokens or TokenCounts(),
        web_searches=web,
        provided_cost=provided,
        code_execution_hours=hours,
    )
    return BOOK.price(PricingKey(model, DAY, tier, geo, window), usage)


def test_plain_input_and_output():
    # 1M input at $5 + 1M output at $25
    assert cost("claude-opus-4-7", TokenCounts(input=1_000_000, output=1_000_000)).cost == 30


def test_derived_cache_rates():
    # haiku-4-5 input $1: write 5m 1.25, write 1h 2, read 0.1 (per MTok)
    priced = cost(
        "claude-haiku-4-5",
        TokenCounts(cache_write_5m=2_000_000, cache_write_1h=1_000_000, cache_read=10_000_000),
    )
    assert priced.cost == Decimal("2.5") + Decimal(2) + Decimal(1)


def test_batch_and_us_geo_stack():
    # sonnet-4-6 output $15 × 0.5 (batch) × 1.1 (US) = 8.25 per MTok; 400k tokens → 3.30
    priced = cost("claude-sonnet-4-6", TokenCounts(output=400_000), tier="batch", geo="us")
    assert priced.cost == Decimal("3.3")


def test_batch_stacks_with_cache_read():
    # 3-haiku: published cache read 0.03 (not the derived 0.025) → batch 0.015 → US 0.0165
    # per MTok; 7 tokens
    priced = cost("claude-3-haiku", TokenCounts(cache_read=7), tier="batch", geo="us")
    assert priced.cost == Decimal("0.0000001155")


def test_long_context_replaces_rates_and_derived_cache():
    # sonnet-4-5 long context: input 6, output 22.50; cache read 0.6; write 5m 7.5
    priced = cost(
        "claude-sonnet-4-5",
        TokenCounts(
            input=1_000_000, output=2_000_000, cache_read=1_000_000, cache_write_5m=1_000_000
        ),
        window="200k-1M",
    )
    assert priced.cost == Decimal(6) + Decimal(45) + Decimal("0.6") + Decimal("7.5")


def test_long_context_ignored_for_model_without_long_rates():
    priced = cost("claude-sonnet-4-6", TokenCounts(input=1_000_000), window="200k-1M")
    assert priced.cost == 3


def test_web_search_and_code_execution():
    priced = cost("claude-sonnet-4-6", web=37, hours=Decimal("2.5"))
    assert priced.cost == Decimal("0.37") + Decimal("0.125")


def test_unknown_model_is_unpriced_never_zero():
    priced = cost("claude-opus-9", TokenCounts(output=10))
    assert (priced.priced, priced.basis) == (False, "unpriced")


def test_unknown_model_with_provided_cost_keeps_it():
    priced = cost("gpt-4o", TokenCounts(input=10), provided=Decimal("0.0009"))
    assert (priced.cost, priced.basis) == (Decimal("0.0009"), "provided")


def test_cost_only_line_keeps_provided_cost():
    priced = cost("claude-sonnet-4-6", provided=Decimal("-1.25"))
    assert priced.cost == Decimal("-1.25") and priced.basis == "provided"


def test_newest_entry_on_or_before_the_date_wins():
    book = PriceBook(
        [
            PriceEntry("m", date(2026, 1, 1), Decimal(1), Decimal(2)),
            PriceEntry("m", date(2026, 10, 2), Decimal(10), Decimal(20)),
        ]
    )
    key = PricingKey("m", date(2026, 10, 1))
    assert book.rates_for(key).input == 1
    assert book.rates_for(PricingKey("m", date(2026, 10, 2))).input == 10
    assert book.rates_for(PricingKey("m", date(2025, 12, 31))) is None


def test_user_entry_overrides_builtin_same_date():
    user = entry_from_mapping(
        {"model": "claude-haiku-4-5", "effective_from": "2024-01-01", "input": "2", "output": "9"}
    )
    book = BOOK.with_entries([user])
    assert book.entry_for("claude-haiku-4-5", DAY).input == 2


def test_explicit_cache_rate_is_used():
    entry = entry_from_mapping({"model": "x", "input": "1", "output": "1", "cache_read": "0.2"})
    book = PriceBook([entry])
    assert book.rates_for(PricingKey("x", DAY)).cache_read == Decimal("0.2")


@pytest.mark.parametrize(
    "bad",
    [
        {"model": "x", "output": "1"},
        {"model": "x", "input": "abc", "output": "1"},
        {"model": "x", "input": "-1", "output": "1"},
        {"input": "1", "output": "1"},
        {"model": "x", "input": "1", "output": "1", "effective_from": "2026-13-01"},
    ],
)
def test_bad_entries_are_refused(bad):
    with pytest.raises(PriceBookError):
        entry_from_mapping(bad)


def test_builtin_book_has_every_model_of_the_spec():
    """Every model of the §1 table."""
    expected = {
        "claude-haiku-5-5",
        "claude-fable-5-1",
        "claude-mythos-5-1",
        "claude-fable-5",
        "claude-mythos-5",
        "claude-opus-5-5",
        "claude-opus-5",
        "claude-opus-4-8",
        "claude-opus-4-7",
        "claude-opus-4-6",
        "claude-opus-4-5",
        "claude-opus-4-1",
        "claude-opus-4",
        "claude-3-opus",
        "claude-sonnet-5-5",
        "claude-sonnet-5",
        "claude-sonnet-4-6",
        "claude-sonnet-4-5",
        "claude-sonnet-4",
        "claude-3-7-sonnet",
        "claude-haiku-4-5",
        "claude-3-5-haiku",
        "claude-3-haiku",
    }
    assert set(BOOK.models()) == expected


def test_every_builtin_entry_names_where_its_rates_were_read():
    import tomllib

    import resources

    data = tomllib.loads(resources.read_text("price_book.toml"))
    for item in data["prices"]:
        assert item["citation"].startswith("https://"), item["model"]
        assert date.fromisoformat(item["checked_on"]) <= date.today()


def test_a_user_price_wins_over_a_later_dated_builtin_entry():
    """`prices set MODEL …` without --from is "always": a built-in entry dated 2024 must not
    undo it (found by the month-end property test)."""
    user = entry_from_mapping({"model": "claude-haiku-4-5", "input": "2", "output": "9"})
    assert user.effective_from < date(2024, 1, 1)
    book = BOOK.with_entries([user])
    assert book.entry_for("claude-haiku-4-5", DAY).input == 2
    later = entry_from_mapping(
        {"model": "claude-haiku-4-5", "effective_from": "2026-10-05", "input": "3", "output": "9"}
    )
    book = book.with_entries([later])
    assert book.entry_for("claude-haiku-4-5", DAY).input == 2  # 2026-10-01: before 'later'
    assert book.entry_for("claude-haiku-4-5", date(2026, 10, 5)).input == 3
    assert BOOK.entry_for("claude-haiku-4-5", DAY).input == 1


def test_every_explicit_rate_of_an_entry_is_used():
    entry = entry_from_mapping(
        {
            "model": "claude-sonnet-4-5",
            "effective_from": "2026-01-01",
            "input": "3",
            "output": "15",
            "cache_write_5m": "4",
            "cache_write_1h": "7",
            "cache_read": "0.5",
            "long_context_input": "6.5",
            "long_context_output": "30",
        }
    )
    book = PriceBook([entry])
    tokens = TokenCounts(
        input=1_000_000,
        output=1_000_000,
        cache_write_5m=1_000_000,
        cache_write_1h=1_000_000,
        cache_read=1_000_000,
    )
    key = PricingKey("claude-sonnet-4-5", DAY, "standard", "global", "0-200k")
    assert book.price(key, UsageQuantities(tokens=tokens)).cost == 3 + 15 + 4 + 7 + Decimal("0.5")
    long = PricingKey("claude-sonnet-4-5", DAY, "standard", "global", "200k-1M")
    # Long context replaces input and output; explicit cache rates derive from the long input.
    long_cost = book.price(
        long, UsageQuantities(tokens=TokenCounts(input=1_000_000, output=1_000_000))
    )
    assert long_cost.cost == Decimal("6.5") + 30
    assert entry.source == "user"


def test_zero_and_toml_float_rates_are_read_exactly():
    free = entry_from_mapping({"model": "x", "input": 0, "output": 0.8})
    assert free.input == 0 and free.output == Decimal("0.8")
    with pytest.raises(PriceBookError, match="negative"):
        entry_from_mapping({"model": "x", "input": "-1", "output": "1"})
    with pytest.raises(PriceBookError, match="lacks 'output'"):
        entry_from_mapping({"model": "x", "input": "1"})
    with pytest.raises(PriceBookError, match="lacks 'model'"):
        entry_from_mapping({"input": "1", "output": "1"})
    with pytest.raises(PriceBookError, match="not a date"):
        entry_from_mapping({"model": "x", "input": "1", "output": "1", "effective_from": "oct"})


rates = st.decimals(min_value=0, max_value=200, places=4, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    st.tuples(rates, rates, st.one_of(st.none(), rates), st.one_of(st.none(), rates)),
    st.sampled_from(["standard", "batch", "priority"]),
    st.sampled_from(["", "us", "global"]),
    st.sampled_from(["", "0-200k", "200k-1M"]),
    st.lists(st.integers(0, 10**13), min_size=5, max_size=5),
    st.integers(0, 10**6),
)
def test_integer_rates_price_exactly_as_decimal_rates(entry_rates, tier, geo, window, counts, web):
    """Sums of a month's lines are priced with integer numerators over a power of ten: the
    cost and its split are the very amounts the decimal arithmetic gives."""
    from app.domain.price_book import cost_by_type, integer_rates

    input_rate, output_rate, long_input, cache_read = entry_rates
    entry = PriceEntry(
        "m",
        date(2026, 1, 1),
        input_rate,
        output_rate,
        cache_read=cache_read,
        long_context_input=long_input,
    )
    book = PriceBook([entry])
    key = PricingKey("m", date(2026, 10, 5), tier, geo, window)
    usage = UsageQuantities(TokenCounts(*counts), web_searches=web)
    exact = book.rates_for(key)
    assert exact is not None
    fast = integer_rates(exact)
    assert fast.cost(counts, web) == book.price(key, usage).cost
    assert fast.split(counts, web) == cost_by_type(book, key, usage)
    assert book.integer_rates_for(key) == fast


FAST_BOOK = PriceBook(
    [
        entry_from_mapping(
            {"model": "opus", "input": "5", "output": "25", "fast_multiplier": "6"}, "built-in"
        ),
        entry_from_mapping({"model": "haiku", "input": "1", "output": "5"}, "built-in"),
    ]
)


@pytest.mark.parametrize(
    ("model", "speed", "tier", "geo", "expected"),
    [
        # 1M input, 100k output, 200k cache reads, 100k 5-minute cache writes. By hand:
        # standard 5 + 2.5 + 0.1 + 0.625 = 8.225
        ("opus", "", "standard", "global", "8.225"),
        # fast: every rate (cache included) × 6 = 49.35
        ("opus", "fast", "standard", "global", "49.35"),
        # fast, batch and US-only stack: 49.35 × 0.5 × 1.1 = 27.1425
        ("opus", "fast", "batch", "us", "27.1425"),
        # a model without fast mode: fast rows at standard rates, 1 + 0.5 + 0.02 + 0.125
        ("haiku", "fast", "standard", "global", "1.645"),
    ],
)
def test_fast_mode_multiplies_every_token_rate_of_the_models_that_offer_it(
    model, speed, tier, geo, expected
):
    usage = UsageQuantities(
        tokens=TokenCounts(
            input=1_000_000, output=100_000, cache_read=200_000, cache_write_5m=100_000
        )
    )
    key = PricingKey(model, DAY, tier, geo, "0-200k", speed)
    assert FAST_BOOK.price(key, usage).cost == Decimal(expected)
    integer = FAST_BOOK.integer_rates_for(key)
    assert integer is not None
    assert integer.cost((1_000_000, 100_000, 0, 200_000, 100_000), 0) == Decimal(expected)


# One million tokens of each type: the cost is the sum of the row's five rates (§1 table:
# input / cache write 5m / cache write 1h / cache read / output), added up by hand.
SPEC_ROWS = [
    ("claude-fable-5-1", DAY, "92.75"),  # 10 + 12.50 + 20 + 0.25 + 50
    ("claude-mythos-5-1", DAY, "92.75"),
    ("claude-fable-5", DAY, "93.50"),  # 10 + 12.50 + 20 + 1 + 50
    ("claude-mythos-5", DAY, "93.50"),
    ("claude-opus-5-5", DAY, "37.20"),  # 4 + 5 + 8 + 0.20 + 20
    ("claude-opus-5", DAY, "46.75"),  # 5 + 6.25 + 10 + 0.50 + 25
    ("claude-opus-4-8", DAY, "46.75"),
    ("claude-opus-4-7", date(2026, 7, 1), "46.75"),  # while fast mode was offered
    ("claude-opus-4-6", date(2026, 6, 1), "46.75"),
    ("claude-opus-4-5", DAY, "46.75"),
    ("claude-opus-4-1", DAY, "140.25"),  # 15 + 18.75 + 30 + 1.50 + 75
    ("claude-opus-4", DAY, "140.25"),
    ("claude-3-opus", DAY, "140.25"),
    ("claude-sonnet-5-5", date(2026, 10, 6), "18.70"),  # 2 + 2.50 + 4 + 0.20 + 10
    ("claude-sonnet-5-5", date(2026, 10, 7), "18.60"),  # cache read 0.10 from 2026-10-07
    ("claude-sonnet-5", DAY, "18.70"),
    ("claude-sonnet-4-6", DAY, "28.05"),  # 3 + 3.75 + 6 + 0.30 + 15
    ("claude-3-7-sonnet", DAY, "28.05"),
    ("claude-sonnet-4-5", DAY, "28.05"),
    ("claude-sonnet-4", DAY, "28.05"),
    ("claude-haiku-4-5", DAY, "9.35"),  # 1 + 1.25 + 2 + 0.10 + 5
    ("claude-3-5-haiku", DAY, "7.48"),  # 0.80 + 1 + 1.60 + 0.08 + 4
    ("claude-3-haiku", DAY, "2.33"),  # 0.25 + 0.30 + 0.50 + 0.03 + 1.25
]
FAST = {  # fast-mode multipliers (§1), on the day the row is priced
    "claude-opus-5-5": "2",
    "claude-opus-5": "2",
    "claude-opus-4-8": "2",
    "claude-opus-4-7": "6",
    "claude-opus-4-6": "6",
}
MILLION_OF_EACH = UsageQuantities(
    tokens=TokenCounts(
        input=1_000_000,
        cache_write_5m=1_000_000,
        cache_write_1h=1_000_000,
        cache_read=1_000_000,
        output=1_000_000,
    )
)


@pytest.mark.parametrize(("model", "day", "standard"), SPEC_ROWS)
@pytest.mark.parametrize("speed", ["", "fast"])
@pytest.mark.parametrize(
    ("tier", "geo", "factor"),
    [
        ("standard", "global", "1"),
        ("standard", "us", "1.1"),
        ("batch", "global", "0.5"),
        ("batch", "us", "0.55"),
    ],
)
def test_every_row_of_the_price_list_prices_as_the_table_says(
    model, day, standard, speed, tier, geo, factor
):
    fast = Decimal(FAST.get(model, "1")) if speed == "fast" else Decimal(1)
    expected = Decimal(standard) * fast * Decimal(factor)
    key = PricingKey(model, day, tier, geo, "0-200k", speed)
    assert BOOK.price(key, MILLION_OF_EACH).cost == expected
    rates = BOOK.integer_rates_for(key)
    assert rates is not None
    assert rates.cost((1_000_000,) * 5, 0) == expected


def test_fast_mode_ended_on_opus_4_7_and_4_6_prices_at_standard_rates():
    """Fast mode was removed from Opus 4.7 on 2026-07-24 (requests are refused) and from
    Opus 4.6 on 2026-06-29 (requests run and bill at standard rates)."""
    for model, last_fast_day in (
        ("claude-opus-4-7", date(2026, 7, 23)),
        ("claude-opus-4-6", date(2026, 6, 28)),
    ):
        fast = PricingKey(model, last_fast_day, "standard", "global", "0-200k", "fast")
        assert BOOK.price(fast, MILLION_OF_EACH).cost == Decimal("46.75") * 6
        after = PricingKey(model, date(2026, 10, 1), "standard", "global", "0-200k", "fast")
        assert BOOK.price(after, MILLION_OF_EACH).cost == Decimal("46.75")


# Claude Haiku 5.5 (§1): a prompt of at most 100,000 tokens pays the low band
# 0.10 / 0.125 / 0.20 / 0.01 / 0.50, a longer one the high band 0.50 / 0.625 / 1.00 / 0.05 / 2.50
# on every token of the request, output included. One million of each type, summed by hand:
HAIKU_5_5_LOW = Decimal("0.935")  # 0.10 + 0.125 + 0.20 + 0.01 + 0.50
HAIKU_5_5_HIGH = Decimal("4.675")  # 0.50 + 0.625 + 1.00 + 0.05 + 2.50


@pytest.mark.parametrize(
    ("band", "standard"),
    [(BAND_LOW, HAIKU_5_5_LOW), (BAND_HIGH, HAIKU_5_5_HIGH), (BAND_UNKNOWN, HAIKU_5_5_LOW)],
)
@pytest.mark.parametrize(
    ("tier", "geo", "factor"),
    [
        ("standard", "global", "1"),
        ("standard", "us", "1.1"),
        ("batch", "global", "0.5"),
        ("batch", "us", "0.55"),
    ],
)
@pytest.mark.parametrize("speed", ["", "fast"])  # Haiku 5.5 has no fast mode
def test_haiku_5_5_prices_each_prompt_band_as_the_table_says(
    band, standard, tier, geo, factor, speed
):
    """A line whose band is unknown (an aggregated source) is priced at the low band."""
    key = PricingKey("claude-haiku-5-5", DAY, tier, geo, "", speed, band)
    expected = standard * Decimal(factor)
    assert BOOK.price(key, MILLION_OF_EACH).cost == expected
    rates = BOOK.integer_rates_for(key)
    assert rates is not None and rates.cost((1_000_000,) * 5, 0) == expected


def test_the_prompt_band_is_decided_by_the_prompt_size_of_banded_models_only():
    assert prompt_band("claude-haiku-5-5", 100_000) == BAND_LOW
    assert prompt_band("claude-haiku-5-5", 100_001) == BAND_HIGH
    assert prompt_band("claude-haiku-5-5", None) == BAND_UNKNOWN
    assert prompt_band("claude-haiku-4-5", 500_000) == ""
    assert prompt_band("claude-haiku-4-5", None) == ""


def test_high_band_rates_are_refused_for_a_model_without_prompt_bands():
    with pytest.raises(PriceBookError, match="prompt bands"):
        entry_from_mapping(
            {"model": "claude-sonnet-5", "input": "2", "output": "10", "high_band_input": "4"}
        )
    entry = entry_from_mapping(
        {
            "model": "claude-haiku-5-5",
            "input": "0.2",
            "output": "1",
            "high_band_input": "1",
            "high_band_output": "5",
        }
    )
    assert (entry.high_band_input, entry.high_band_output) == (Decimal(1), Decimal(5))


def test_a_contract_discount_lowers_every_token_rate_and_keeps_the_list_price():
    """12.5 % off Opus 5.5 from November: 1M input + 1M output = 4 + 20 = 24.00 list, 21.00
    net; October is at list. Web searches are not discounted (a tool fee): 10 × 0.01."""
    from app.domain.price_book import ContractDiscount

    book = PriceBook(
        builtin_price_entries(),
        [ContractDiscount(Decimal("12.5"), date(2026, 11, 1), "claude-opus-5-5")],
    )
    usage = UsageQuantities(tokens=TokenCounts(input=1_000_000, output=1_000_000), web_searches=10)
    november = book.price(PricingKey("claude-opus-5-5", date(2026, 11, 2)), usage)
    assert (november.cost, november.list_amount) == (Decimal("21.10"), Decimal("24.10"))
    october = book.price(PricingKey("claude-opus-5-5", date(2026, 10, 31)), usage)
    assert october.cost == october.list_amount == Decimal("24.10")
    rates = book.integer_rates_for(PricingKey("claude-opus-5-5", date(2026, 11, 2)))
    assert rates is not None and rates.cost((1_000_000, 0, 0, 0, 1_000_000), 10) == Decimal("21.10")
    other = book.price(PricingKey("claude-sonnet-5-5", date(2026, 11, 2)), usage)
    assert other.cost == other.list_amount


def test_a_model_discount_wins_over_a_discount_on_every_model():
    """10 % on every model from June, 20 % on Haiku 4.5 from March: Haiku 4.5 pays 20 % less
    all year; Sonnet 5 10 % less from June. A 0 % entry ends a discount."""
    from app.domain.price_book import ContractDiscount

    book = PriceBook(
        builtin_price_entries(),
        [
            ContractDiscount(Decimal(10), date(2026, 6, 1)),
            ContractDiscount(Decimal(20), date(2026, 3, 1), "claude-haiku-4-5"),
            ContractDiscount(Decimal(0), date(2026, 10, 1)),
        ],
    )
    assert book.discount_for("claude-haiku-4-5", date(2026, 7, 1)) == Decimal(20)
    assert book.discount_for("claude-sonnet-5", date(2026, 5, 31)) == Decimal(0)
    assert book.discount_for("claude-sonnet-5", date(2026, 6, 1)) == Decimal(10)
    assert book.discount_for("claude-sonnet-5", date(2026, 10, 1)) == Decimal(0)
    usage = UsageQuantities(tokens=TokenCounts(input=1_000_000))  # Haiku 4.5: 1.00 list
    priced = book.price(PricingKey("claude-haiku-4-5", date(2026, 7, 1)), usage)
    assert (priced.cost, priced.list_amount) == (Decimal("0.80"), Decimal("1.00"))


def test_a_cost_of_the_sources_own_keeps_its_list_amount():
    usage = UsageQuantities(provided_cost=Decimal("8.5"), provided_list_cost=Decimal("10"))
    priced = BOOK.price(PricingKey("claude-opus-5-5", DAY), usage)
    assert (priced.cost, priced.list_amount, priced.basis) == (
        Decimal("8.5"),
        Decimal("10"),
        "provided",
    )
    plain = BOOK.price(PricingKey("x", DAY), UsageQuantities(provided_cost=Decimal("3")))
    assert plain.list_amount == Decimal("3")


@pytest.mark.parametrize("percent", ["-1", "100.5", "abc"])
def test_a_discount_outside_0_to_100_percent_is_refused(percent):
    from app.domain.price_book import discount_from_mapping

    with pytest.raises(PriceBookError, match="discount"):
        discount_from_mapping({"discount_percent": percent})


def test_a_haiku_5_5_price_needs_its_high_band_rates():
    """Found in review: an entry without them billed requests over 100k tokens at the low band."""
    with pytest.raises(PriceBookError, match="priced by prompt band"):
        entry_from_mapping({"model": "claude-haiku-5-5", "input": "0.10", "output": "0.50"})
    with pytest.raises(PriceBookError, match="priced by prompt band"):
        entry_from_mapping(
            {"model": "claude-haiku-5-5", "input": "0.1", "output": "0.5", "high_band_input": "1"}
        )


def test_a_misspelt_discount_field_is_refused_not_applied_to_every_model():
    from app.domain.price_book import discount_from_mapping

    with pytest.raises(PriceBookError, match="unknown field 'modle'"):
        discount_from_mapping({"modle": "claude-opus-4-5", "discount_percent": "20"})
