"""One test per money rule a plausible bug would break (issue 8: deliberately planted bugs
survived the suite). Each names the rule of CHARGEBACK_MATH.md it holds."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.allocation import CostLine, allocate
from app.domain.money import format_money, format_money_display, round_cents
from app.domain.periods import late_usage_sources, next_month, next_open_period
from app.domain.policy import UNALLOCATED, Policy, Settings, Team
from app.domain.price_book import PriceBook
from app.domain.rounding import largest_remainder_cents, round_half_up_cents
from app.domain.usage import PricingKey, TokenCounts, UsageQuantities
from app.services.pricing import builtin_price_entries

BOOK = PriceBook(builtin_price_entries())


def _policy(teams, overhead="0", true_up="none", unallocated="show"):
    return Policy(
        settings=Settings(
            overhead_rate=Decimal(overhead), true_up=true_up, unallocated=unallocated
        ),
        teams=tuple(Team(name) for name in teams),
    )


def _cents(result):
    return {invoice.team: invoice.total_cents for invoice in result.invoices}


# §5 rounding: largest remainder, ties by team name, halves away from zero


@pytest.mark.parametrize("order", [("Beta", "Alpha"), ("Alpha", "Beta")])
def test_a_tied_cent_goes_to_the_team_name_first_whatever_the_policy_order(order):
    lines = [CostLine("Beta", "m", Decimal("0.005")), CostLine("Alpha", "m", Decimal("0.005"))]
    assert _cents(allocate("p", _policy(order), lines)) == {"Alpha": 1, "Beta": 0}


def test_a_tied_cent_within_one_split_goes_to_the_team_name_first():
    from app.domain.policy import Pool

    policy = Policy(teams=(Team("Zed"), Team("Pool"), Team("Ann")), pools=(Pool("Pool", "even"),))
    result = allocate("p", policy, [CostLine("Pool", "m", Decimal("0.01"))])
    assert _cents(result) == {"Ann": 1, "Zed": 0}


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("0.125", "0.13"),  # half-even would give 0.12
        ("0.135", "0.14"),
        ("2.665", "2.67"),  # half-even would give 2.66
        ("-0.125", "-0.13"),  # halves away from zero for credits too
        ("-0.005", "-0.01"),
        ("-0.0049", "0.00"),
    ],
)
def test_reports_round_halves_up_away_from_zero(amount, shown):
    assert format_money(Decimal(amount)) == shown
    assert round_cents(Decimal(amount)) == Decimal(shown)


def test_display_keeps_the_sign_of_a_rounded_credit():
    assert format_money_display(Decimal("-0.125")) == "-$0.13"


@pytest.mark.parametrize(
    ("exact", "cents"),
    [
        (Fraction(1, 200), 1),
        (Fraction(-1, 200), -1),
        (Fraction(-3, 200), -2),
        (Fraction(3, 200), 2),
        (Fraction(-499, 100000), 0),
        (Fraction(25, 200), 13),  # 0.125 → 0.13, not half-even 0.12
    ],
)
def test_round_half_up_cents(exact, cents):
    assert round_half_up_cents(exact) == cents


def test_a_credit_of_half_a_cent_rounds_away_from_zero_on_the_invoice():
    result = allocate("p", _policy(["A"]), [CostLine("A", "credit", Decimal("-0.005"))])
    assert _cents(result) == {"A": -1}
    assert result.grand_total_cents == -1


# largest_remainder_cents, directly


def test_largest_remainder_gives_missing_cents_to_the_largest_remainders():
    amounts = [
        Fraction(1001, 1000),
        Fraction(2009, 1000),
        Fraction(3005, 1000),
    ]  # 1.001 2.009 3.005
    assert largest_remainder_cents(amounts, 602, ["a", "b", "c"]) == [100, 201, 301]


def test_largest_remainder_breaks_ties_by_key_not_position():
    half = Fraction(1, 200)
    assert largest_remainder_cents([half, half], 1, ["b", "a"]) == [0, 1]
    assert largest_remainder_cents([half, half], 1, ["a", "b"]) == [1, 0]


def test_largest_remainder_with_negative_amounts():
    amounts = [Fraction(-1, 200), Fraction(-1, 200), Fraction(-1, 100)]  # -0.005 -0.005 -0.01
    # floors: -1, -1, -1 = -3; target -2: one cent back to the largest remainder (tie: key)
    assert largest_remainder_cents(amounts, -2, ["x", "y", "z"]) == [0, -1, -1]


def test_largest_remainder_takes_cents_back_from_the_smallest_remainders():
    amounts = [Fraction(11, 10), Fraction(21, 10)]  # 110.0 and 210.0 cents... exact
    assert largest_remainder_cents(amounts, 318, ["a", "b"]) == [109, 209]


@given(st.lists(st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6), max_size=20))
def test_largest_remainder_hits_the_target_and_stays_within_a_cent(amounts):
    target = round_half_up_cents(sum(amounts, Fraction(0)))
    cents = largest_remainder_cents(amounts, target, list(range(len(amounts))))
    assert sum(cents) == target
    for amount, cent in zip(amounts, cents, strict=True):
        assert abs(amount * 100 - cent) < 1


# §4 allocation order


def test_overhead_is_charged_on_the_subtotal_after_the_true_up():
    lines = [CostLine("Data", "m", Decimal(8000)), CostLine("Product", "m", Decimal(2000))]
    policy = _policy(["Data", "Product"], overhead="0.10", true_up="proportional")
    result = allocate("p", policy, lines, provider_total=Decimal(9000))
    # Data: 8000 − 800 (its 80 % of the −1000 difference) = 7200, + 10 % = 7920.
    assert _cents(result) == {"Data": 792_000, "Product": 198_000}


def test_spread_unallocated_follows_direct_cost_not_headcount():
    lines = [
        CostLine("A", "m", Decimal(300)),
        CostLine("B", "m", Decimal(100)),
        CostLine(UNALLOCATED, "m", Decimal(40)),
    ]
    result = allocate("p", _policy(["A", "B"], unallocated="spread"), lines)
    assert _cents(result) == {"A": 33_000, "B": 11_000}
    assert result.unallocated_cents == 0


# §1 pricing


def _price(model, tokens, tier="standard", window="0-200k"):
    key = PricingKey(model, date(2026, 10, 1), tier, "global", window)
    return BOOK.price(key, UsageQuantities(tokens=tokens)).cost


def test_batch_halves_one_hour_cache_writes_too():
    # haiku-4-5: 1-hour write = 2 × $1 input = $2/MTok, batch × 0.5 → $1
    assert _price("claude-haiku-4-5", TokenCounts(cache_write_1h=1_000_000), "batch") == 1


def test_batch_halves_five_minute_writes_and_reads():
    tokens = TokenCounts(cache_write_5m=1_000_000, cache_read=1_000_000)
    assert _price("claude-haiku-4-5", tokens, "batch") == Decimal("0.625") + Decimal("0.05")


def test_long_context_one_hour_writes_derive_from_the_long_context_input_rate():
    # sonnet-4-5 over 200k: input $6 → 1-hour write $12 (not 2 × the standard $3)
    tokens = TokenCounts(cache_write_1h=1_000_000)
    assert _price("claude-sonnet-4-5", tokens, window="200k-1M") == 12


# §7 late usage goes to the next open month, across the year


def test_the_month_after_december_is_january_of_the_next_year():
    assert next_month("2025-12") == "2026-01"
    assert next_open_period("2025-11", {"2025-12"}) == "2026-01"


def test_late_usage_of_a_closed_month_is_billed_by_the_first_open_month_only():
    closed = {"2025-11", "2025-12", "2026-02"}
    assert late_usage_sources("2026-01", closed) == ["2025-11", "2025-12"]
    assert late_usage_sources("2025-12", closed) == []  # closed months bill nothing new
    assert late_usage_sources("2026-03", closed) == ["2026-02"]
    assert late_usage_sources("2025-01", closed) == []


# The allocation trail says what happened, exactly


def test_the_adjustment_trail_shows_the_team_share_of_the_difference_with_pools():
    from app.domain.policy import Pool

    policy = Policy(
        settings=Settings(true_up="proportional"),
        teams=(Team("Data"), Team("Product"), Team("Platform")),
        pools=(Pool("Platform", "even"),),
    )
    lines = [
        CostLine("Data", "m", Decimal(8000)),
        CostLine("Product", "m", Decimal(2000)),
        CostLine("Platform", "m", Decimal(1000)),
    ]
    result = allocate("p", policy, lines, provider_total=Decimal(10000))
    data = next(i for i in result.invoices if i.team == "Data")
    adjustment = next(line for line in data.lines if line.kind == "adjustment")
    # Data's direct cost is 8000 of 11000: 8/11 of the −1000 difference.
    assert adjustment.exact == Fraction(-8000, 11)
    assert adjustment.trail == ("72.73% of the provider difference -$1,000.00, by direct cost",)
    shared = next(line for line in data.lines if line.kind == "shared")
    # Platform after its own adjustment: 1000 − 1000/11 = 909.0909…, split evenly.
    assert shared.trail == ("50.00% of the Platform pool $909.09, in equal shares",)


def test_an_even_pool_raises_no_zero_weight_warning():
    from app.domain.policy import Pool

    policy = Policy(teams=(Team("A"), Team("B"), Team("P")), pools=(Pool("P", "even"),))
    result = allocate("p", policy, [CostLine("P", "m", Decimal(10))])
    assert result.warnings == ()
    assert _cents(result) == {"A": 500, "B": 500}


def test_cents_preserving_total_rounds_the_total_half_up():
    from app.domain.rounding import round_to_cents_preserving_total

    assert round_to_cents_preserving_total([Decimal("0.005")]) == [1]
    assert round_to_cents_preserving_total([Decimal("0.025")]) == [3]  # half-even: 2
    assert round_to_cents_preserving_total([Decimal("-0.025")]) == [-3]


def test_display_of_positive_zero_and_other_currencies():
    assert format_money_display(Decimal("1234.5")) == "$1,234.50"
    assert format_money_display(Decimal("0")) == "$0.00"
    assert format_money_display(Decimal("-0.001")) == "$0.00"
    assert format_money_display(Decimal("12"), "EUR") == "EUR 12.00"


def test_a_team_receiving_from_two_pools_keeps_both_shares():
    from app.domain.policy import Pool

    policy = Policy(
        teams=(Team("A"), Team("B"), Team("P1"), Team("P2")),
        pools=(Pool("P1", "even"), Pool("P2", "even")),
    )
    lines = [CostLine("P1", "m", Decimal(10)), CostLine("P2", "m", Decimal(30))]
    result = allocate("p", policy, lines)
    assert _cents(result) == {"A": 2000, "B": 2000}
    a = next(i for i in result.invoices if i.team == "A")
    assert [(line.label, line.cents) for line in a.lines] == [
        ("P1 (even, 50.00%)", 500),
        ("P2 (even, 50.00%)", 1500),
    ]


def test_each_split_adds_up_to_what_was_split():
    from app.domain.policy import Pool

    policy = Policy(teams=(Team("A"), Team("B"), Team("C"), Team("P")), pools=(Pool("P", "even"),))
    lines = [
        CostLine("A", "m", Decimal("0.004")),
        CostLine("B", "m", Decimal("0.004")),
        CostLine("P", "m", Decimal("0.02")),
    ]
    result = allocate("p", policy, lines)
    shared = [line.cents for i in result.invoices for line in i.lines if line.kind == "shared"]
    assert sum(shared) == 2  # the pool's $0.02, split three ways, still $0.02


def test_a_pool_fed_by_two_earlier_pools_passes_on_both():
    from app.domain.policy import Pool

    policy = Policy(
        teams=(Team("A"), Team("B"), Team("P1"), Team("P2"), Team("P3")),
        pools=(
            Pool("P1", "even", targets=("P3",)),
            Pool("P2", "even", targets=("P3",)),
            Pool("P3", "even"),
        ),
    )
    lines = [
        CostLine("P1", "m", Decimal(10)),
        CostLine("P2", "m", Decimal(30)),
        CostLine("P3", "m", Decimal(2)),
    ]
    assert _cents(allocate("p", policy, lines)) == {"A": 2100, "B": 2100}
