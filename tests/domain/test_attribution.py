"""Mapping rules, aliases and defaults (CHARGEBACK_MATH.md §3) and policy validation."""

from decimal import Decimal

from app.domain.attribution import Attributor
from app.domain.policy import MappingRule, Policy, Pool, Product, Team, validate_policy

TEAMS = (Team("Data", aliases=("data-team",)), Team("Support"), Team("Platform"))
PRODUCTS = (Product("ETL", aliases=("etl",)), Product("Bot"))


def attributor(*rules):
    return Attributor(Policy(teams=TEAMS, products=PRODUCTS, rules=tuple(rules)))


def test_first_matching_rule_wins_per_attribute():
    rules = attributor(
        MappingRule((("api_key", "data-*"),), "glob", team="Data"),
        MappingRule((("api_key", "data-etl"),), product="ETL"),
        MappingRule((("api_key", "DATA-ETL"),), team="Support", product="Bot", environment="prod"),
    )
    result = rules.attribute({"api_key": "data-etl"}, "2026-10")
    assert (result.team, result.product, result.environment) == ("Data", "ETL", "prod")
    assert (result.team_source, result.product_source, result.environment_source) == (
        "rule 1",
        "rule 2",
        "rule 3",
    )


def test_all_conditions_must_hold_and_regex_searches():
    rules = attributor(
        MappingRule(
            (("workspace_id", "^wrk_01"), ("tag.environment", "prod")), "regex", team="Support"
        )
    )
    assert (
        rules.attribute({"workspace_id": "wrk_01x", "tag.environment": "prod"}, "p").team
        == "Support"
    )
    assert rules.attribute({"workspace_id": "wrk_01x"}, "p").team == "Unallocated"


def test_effective_months():
    rules = attributor(
        MappingRule((("api_key", "k"),), team="Data", valid_from="2026-09", valid_to="2026-10")
    )
    assert rules.attribute({"api_key": "k"}, "2026-08").team == "Unallocated"
    assert rules.attribute({"api_key": "k"}, "2026-09").team == "Data"
    assert rules.attribute({"api_key": "k"}, "2026-11").team == "Unallocated"


def test_aliases_then_defaults():
    rules = attributor()
    result = rules.attribute(
        {"tag.team": "DATA-TEAM", "tag.product": "etl", "tag.environment": "Staging"}, "p"
    )
    assert (result.team, result.product, result.environment) == ("Data", "ETL", "staging")
    assert result.team_source == "alias"
    fallback = rules.attribute({"tag.team": "nobody"}, "p")
    assert (fallback.team, fallback.product, fallback.environment) == (
        "Unallocated",
        "Unassigned",
        "unknown",
    )


def test_validation_lists_every_problem():
    policy = Policy(
        teams=(
            Team("Data", department="Nowhere"),
            Team("Dup", aliases=("data",)),
            Team("X", overhead_rate=Decimal(-1)),
        ),
        rules=(
            MappingRule((("api_key", "(["),), "regex", team="Ghost"),
            MappingRule((), product=None),
            MappingRule((("colour", "x"),), "fuzzy", team="X"),
        ),
        pools=(
            Pool("Data", "fixed", targets=("Dup", "X"), weights=(("Dup", Decimal(60)),)),
            Pool("Nope"),
        ),
    )
    problems = validate_policy(policy)
    expected = [
        "teams[1]: unknown department",
        "teams[2]: name or alias 'data'",
        "teams[3]: overhead_rate",
        "rules[1]: unknown team 'Ghost'",
        "rules[1]: invalid regex",
        "rules[2]: 'when' needs",
        "rules[2]: assigns nothing",
        "rules[3]: match must be",
        "rules[3]: unknown dimension 'colour'",
        "pools[1]: no weight for X",
        "pools[1]: fixed percentages sum to 60",
        "pools[2]: unknown team 'Nope'",
    ]
    for fragment in expected:
        assert any(fragment in p for p in problems), (fragment, problems)


def test_a_rule_applies_in_its_first_and_last_month_only():
    rules = attributor(
        MappingRule((("api_key", "k"),), team="Support", valid_from="2026-08", valid_to="2026-10")
    )
    months = {
        m: rules.attribute({"api_key": "k"}, m).team
        for m in ("2026-07", "2026-08", "2026-10", "2026-11")
    }
    assert months == {
        "2026-07": "Unallocated",
        "2026-08": "Support",
        "2026-10": "Support",
        "2026-11": "Unallocated",
    }


def test_a_missing_dimension_is_matched_as_empty():
    rules = attributor(MappingRule((("api_key", ""),), team="Support"))
    assert rules.attribute({"workspace": "w"}, "2026-10").team == "Support"
    assert rules.attribute({"api_key": "k"}, "2026-10").team == "Unallocated"
