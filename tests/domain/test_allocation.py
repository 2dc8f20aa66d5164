"""Allocation of a period: golden cases by hand and the invariants of CHARGEBACK_MATH.md §6."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.allocation import CostLine, allocate
from app.domain.policy import UNALLOCATED, Policy, Pool, Settings, Team

SEED_TEAMS = ("Data", "Product", "Engineering", "Support", "Research")
SEED_COSTS = {"Data": 8000, "Product": 2000, "Engineering": 3000, "Support": 1500, "Research": 500}


def policy(
    overhead="0", teams=SEED_TEAMS, pools=(), true_up="none", unallocated="show", overrides=None
):
    overrides = overrides or {}
    return Policy(
        settings=Settings(
            overhead_rate=Decimal(overhead), true_up=true_up, unallocated=unallocated
        ),
        teams=tuple(
            Team(t, cost_center=f"41{i}0", overhead_rate=overrides.get(t))
            for i, t in enumerate(teams)
        ),
        pools=tuple(pools),
    )


def lines(costs):
    return [CostLine(team, "claude-opus-4-7", Decimal(str(cost))) for team, cost in costs.items()]


def totals(allocation):
    return {inv.team: Decimal(inv.total_cents) / 100 for inv in allocation.invoices}


def test_seed_scenario_with_ten_percent_overhead():
    result = allocate("2026-10", policy("0.10"), lines(SEED_COSTS))
    assert totals(result) == {
        "Data": 8800,
        "Product": 2200,
        "Engineering": 3300,
        "Support": 1650,
        "Research": 550,
    }
    assert result.grand_total_cents == 1_650_000
    data = result.invoices[0]
    assert [(line.kind, line.label, line.cents) for line in data.lines] == [
        ("usage", "claude-opus-4-7", 800_000),
        ("overhead", "Platform overhead 10%", 80_000),
    ]


def test_true_up_with_a_discount():
    result = allocate(
        "2026-10",
        policy(true_up="proportional"),
        lines(SEED_COSTS),
        provider_total=Decimal("13200"),
    )
    assert totals(result)["Data"] == Decimal("7040")  # 8000 − 1800 × 8000/15000
    adjustment = next(line for line in result.invoices[0].lines if line.kind == "adjustment")
    assert adjustment.cents == -96_000 and adjustment.label == "Provider adjustment"
    assert result.grand_total_cents == 1_320_000


def test_proportional_pool():
    costs = {**SEED_COSTS, "Platform": 600}
    result = allocate(
        "2026-10", policy(teams=(*SEED_TEAMS, "Platform"), pools=[Pool("Platform")]), lines(costs)
    )
    assert "Platform" not in totals(result)
    assert totals(result)["Data"] == Decimal("8320")  # 8000 + 600 × 8000/15000
    shared = next(line for line in result.invoices[0].lines if line.kind == "shared")
    assert shared.label == "Platform (proportional, 53.33%)"
    assert result.grand_total_cents == 1_560_000


def test_even_fixed_and_weighted_pools():
    teams = ("A", "B", "C", "Pool")
    costs = {"A": 100, "B": 200, "C": 0.01, "Pool": 100}
    even = allocate("p", policy(teams=teams, pools=[Pool("Pool", "even")]), lines(costs))
    assert [inv.total_cents for inv in even.invoices] == [13334, 23333, 3334]  # tie: A first
    fixed = allocate(
        "p",
        policy(
            teams=teams,
            pools=[
                Pool(
                    "Pool",
                    "fixed",
                    weights=(("A", Decimal(50)), ("B", Decimal(30)), ("C", Decimal(20))),
                )
            ],
        ),
        lines(costs),
    )
    assert [inv.total_cents for inv in fixed.invoices] == [15000, 23000, 2001]
    weighted = allocate(
        "p",
        policy(
            teams=teams,
            pools=[
                Pool(
                    "Pool",
                    "weighted",
                    weights=(("A", Decimal(1)), ("B", Decimal(1)), ("C", Decimal(2))),
                )
            ],
        ),
        lines(costs),
    )
    assert [inv.total_cents for inv in weighted.invoices] == [12500, 22500, 5001]


def test_pool_feeding_a_later_pool():
    teams = ("A", "B", "Infra", "Platform")
    costs = {"A": 100, "B": 300, "Infra": 40, "Platform": 60}
    result = allocate(
        "p",
        policy(
            teams=teams,
            pools=[
                Pool("Infra", "even", targets=("Platform", "A")),
                Pool("Platform", "proportional"),
            ],
        ),
        lines(costs),
    )
    # Infra 40 → Platform 20, A 20; Platform 80 → A 20, B 60 (by direct cost 100:300).
    assert totals(result) == {"A": Decimal(140), "B": Decimal(360)}


def test_overhead_exemption_and_unallocated_modes():
    costs = {"A": 100, "B": 100, UNALLOCATED: 50}
    shown = allocate(
        "p", policy("0.10", teams=("A", "B"), overrides={"B": Decimal(0)}), lines(costs)
    )
    assert totals(shown) == {"A": Decimal(110), "B": Decimal(100)}
    assert shown.unallocated_cents == 5000
    spread = allocate("p", policy("0.10", teams=("A", "B"), unallocated="spread"), lines(costs))
    assert totals(spread) == {"A": Decimal("137.50"), "B": Decimal("137.50")}
    assert spread.unallocated_cents == 0


def test_all_zero_weights_fall_back_to_even_with_a_warning():
    result = allocate(
        "p", policy(teams=("A", "B", "P"), pools=[Pool("P")]), lines({"A": 0, "B": 0, "P": 10})
    )
    assert [inv.total_cents for inv in result.invoices] == [500, 500]
    assert any("zero" in w for w in result.warnings)


def test_thirds_round_to_the_cent_and_keep_the_split():
    result = allocate(
        "p",
        policy(teams=("A", "B", "C", "P"), pools=[Pool("P", "even")]),
        lines({"A": 0, "B": 0, "C": 0, "P": 100}),
    )
    shared = [line.cents for inv in result.invoices for line in inv.lines]
    assert sorted(shared) == [3333, 3333, 3334] and sum(shared) == 10000


money = st.decimals(min_value=-50, max_value=5000, places=6, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["A", "B", "C", "Pool1", "Pool2", UNALLOCATED]), money, min_size=1
    ),
    st.sampled_from(["0", "0.10", "0.075"]),
    st.sampled_from(["none", "proportional"]),
    st.sampled_from(["show", "spread"]),
    st.one_of(st.none(), money),
    st.sampled_from(["proportional", "even", "weighted"]),
)
def test_allocation_conserves_money(costs, overhead, true_up, unallocated, provider, method):
    pools = [
        Pool(
            "Pool1",
            method,
            weights=(
                ("A", Decimal(1)),
                ("B", Decimal(2)),
                ("C", Decimal(3)),
                ("Pool2", Decimal(1)),
            ),
        ),
        Pool("Pool2", "even"),
    ]
    rules = policy(
        overhead,
        teams=("A", "B", "C", "Pool1", "Pool2"),
        pools=pools,
        true_up=true_up,
        unallocated=unallocated,
    )
    result = allocate("p", rules, lines(costs), provider_total=provider)
    invoices = sum((inv.exact_total for inv in result.invoices), Fraction(0))
    direct = sum((Fraction(c) for c in costs.values()), Fraction(0))
    delta = result.adjustment_total or 0
    assert invoices + result.unallocated_exact == direct + delta + result.overhead_total
    exact_total = direct + delta + result.overhead_total
    cents = result.grand_total_cents + result.unallocated_cents
    assert abs(cents - exact_total * 100) <= Fraction(1, 2)
    for invoice in result.invoices:
        for line in invoice.lines:
            assert abs(line.cents - line.exact * 100) < len(invoice.lines) + 3


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", UNALLOCATED]), st.sampled_from(["m1", "m2"]), money
        ),
        min_size=1,
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_permuting_lines_changes_nothing(items, random):
    rules = policy("0.10", teams=("A", "B", "C"))
    first = [CostLine(t, m, c) for t, m, c in items]
    second = list(first)
    random.shuffle(second)
    a, b = allocate("p", rules, first), allocate("p", rules, second)
    assert [(i.team, [(x.kind, x.label, x.cents) for x in i.lines]) for i in a.invoices] == [
        (i.team, [(x.kind, x.label, x.cents) for x in i.lines]) for i in b.invoices
    ]
    assert a.unallocated_cents == b.unallocated_cents
