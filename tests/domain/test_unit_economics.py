"""Unit economics read facts summed across days exactly as they read the daily facts."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.unit_economics import UsageFact, across_days, unit_economics

amounts = st.decimals(min_value=0, max_value=1000, places=6, allow_nan=False)
facts = st.lists(
    st.builds(
        lambda team, product, environment, model, tier, day, counts, cost, output: UsageFact(
            team,
            product,
            environment,
            model,
            tier,
            f"2026-10-{day:02d}",
            "",
            *counts,
            cost + output,
            (("output_tokens", output), ("uncached_input_tokens", cost)),
        ),
        st.sampled_from(["Data", "Web"]),
        st.sampled_from(["chat", "search", ""]),
        st.sampled_from(["prod", "dev", ""]),
        st.sampled_from(["claude-opus-4-7", "claude-haiku-4-5"]),
        st.sampled_from(["standard", "batch"]),
        st.integers(1, 3),
        st.tuples(*(st.integers(0, 10**9) for _ in range(5))),
        amounts,
        amounts,
    ),
    max_size=30,
)


@settings(max_examples=100, deadline=None)
@given(facts)
def test_figures_from_facts_summed_across_days_are_the_daily_figures(daily):
    for key in ("team", "product"):
        by_day = unit_economics(daily, key)
        summed = unit_economics(across_days(daily), key)
        assert by_day.keys() == summed.keys()
        for name, economics in by_day.items():
            assert summed[name].figures() == economics.figures()
            assert summed[name].model_mix() == economics.model_mix()
    assert sum((f.cost for f in across_days(daily)), Decimal(0)) == sum(
        (f.cost for f in daily), Decimal(0)
    )
