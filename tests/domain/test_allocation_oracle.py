"""Conservation of money against an independent oracle (CHARGEBACK_MATH.md §4–6).

The oracle below is written from the rules, in a few lines of exact fractions, sharing nothing
with :mod:`app.domain.allocation` — not its overhead, not its ledger. Over fixed, weighted, even
and proportional pools, explicit targets, pools feeding later pools, per-team overhead,
true-up and spread, the invoices plus Unallocated must equal the oracle's total exactly, and in
cents its total rounded half-up.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.allocation import CostLine, allocate
from app.domain.policy import UNALLOCATED, Policy, Pool, Settings, Team
from app.domain.rounding import round_half_up_cents

CHARGEABLE = ("A", "B", "C")
POOLS = ("P1", "P2")


def oracle(costs, overhead, overrides, true_up, provider, spread, pools):
    """The period's exact total: Σ invoiced (subtotal × (1 + rate)) + what stays unallocated."""
    amount = {t: Fraction(c) for t, c in costs.items()}
    total_direct = sum(amount.values(), Fraction(0))
    if true_up and provider is not None and total_direct != 0:
        difference = Fraction(provider) - total_direct
        amount = {t: a + difference * a / total_direct for t, a in amount.items()}
    base = dict(amount)  # direct + adjustment: the proportional weights
    order = list(pools) + ([Pool(UNALLOCATED, "proportional")] if spread else [])
    kept = Fraction(0)
    for index, pool in enumerate(order):
        later = {p.team for p in order[index + 1 :]}
        targets = [
            t
            for t in (pool.targets or CHARGEABLE)
            if t != pool.team and (t in CHARGEABLE or t in later)
        ]
        pot = amount.get(pool.team, Fraction(0))
        amount[pool.team] = Fraction(0)
        if not targets:
            kept += pot
            continue
        given = {name: Fraction(w) for name, w in pool.weights}
        if pool.method == "proportional":
            weights = [base.get(t, Fraction(0)) for t in targets]
        elif pool.method == "even":
            weights = [Fraction(1)] * len(targets)
        else:
            weights = [given.get(t, Fraction(0)) for t in targets]
        if sum(weights) == 0:
            weights = [Fraction(1)] * len(targets)
        for target, weight in zip(targets, weights, strict=True):
            amount[target] = amount.get(target, Fraction(0)) + pot * weight / sum(weights)
    total = kept + amount.get(UNALLOCATED, Fraction(0))
    for team in CHARGEABLE:
        rate = overrides.get(team)
        rate = Fraction(overhead) if rate is None else Fraction(rate)
        total += amount.get(team, Fraction(0)) * (1 + rate)
    return total


money = st.decimals(min_value=-50, max_value=5000, places=6, allow_nan=False, allow_infinity=False)
pool_specs = st.sampled_from(
    [
        Pool("P1", "proportional"),
        Pool("P1", "even", targets=("A", "B")),
        Pool("P1", "fixed", weights=(("A", Decimal(70)), ("B", Decimal(20)), ("C", Decimal(10)))),
        Pool("P1", "weighted", weights=(("A", Decimal(3)), ("C", Decimal(1)), ("P2", Decimal(2)))),
        Pool("P1", "weighted", targets=("B", "P2"), weights=(("B", Decimal(0)),)),
        Pool("P1", "fixed", targets=("C",), weights=(("C", Decimal(100)),)),
        Pool("P1", "even", targets=("P1",)),  # no one to share with: stays unallocated
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    costs=st.dictionaries(st.sampled_from([*CHARGEABLE, *POOLS, UNALLOCATED]), money, min_size=1),
    overhead=st.sampled_from(["0", "0.10", "0.075", "0.125"]),
    overrides=st.dictionaries(st.sampled_from(CHARGEABLE), st.sampled_from(["0", "0.05", "0.2"])),
    true_up=st.booleans(),
    provider=st.one_of(st.none(), money),
    spread=st.booleans(),
    first_pool=pool_specs,
    second_method=st.sampled_from(["proportional", "even"]),
)
def test_invoices_and_unallocated_equal_the_oracle(
    costs, overhead, overrides, true_up, provider, spread, first_pool, second_method
):
    pools = (first_pool, Pool("P2", second_method))
    policy = Policy(
        settings=Settings(
            overhead_rate=Decimal(overhead),
            true_up="proportional" if true_up else "none",
            unallocated="spread" if spread else "show",
        ),
        teams=tuple(
            Team(name, overhead_rate=None if name not in overrides else Decimal(overrides[name]))
            for name in (*CHARGEABLE, *POOLS)
        ),
        pools=pools,
    )
    lines = [CostLine(team, "claude-opus-4-7", cost) for team, cost in costs.items()]
    result = allocate("2026-10", policy, lines, provider_total=provider)
    expected = oracle(costs, overhead, overrides, true_up, provider, spread, pools)
    invoiced = sum((invoice.exact_total for invoice in result.invoices), Fraction(0))
    assert invoiced + result.unallocated_exact == expected
    assert result.grand_total_cents + result.unallocated_cents == round_half_up_cents(expected)
    for invoice in result.invoices:
        assert invoice.total_cents == sum(line.cents for line in invoice.lines)
