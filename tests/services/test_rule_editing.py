"""The rules editor's services: what each rule decides this month, "test this rule" before
saving it, and adding, changing, deleting and moving rules as undoable changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.services.invoices import period_invoices
from app.services.policy_edits import EditRefused, EditStack, policy_state
from app.services.rule_changes import add_rule, change_rule, delete_rule, move_rule
from app.services.rule_usage import Catch, rules_in_use, try_rule

GLOB_K = {"when": {"api_key": "k-*"}, "match": "glob", "team": "Web", "label": "All k- keys"}


def _teams(workspace):
    allocation = period_invoices(workspace, "2026-11").allocation
    return {i.team: i.total_cents for i in allocation.invoices}


def test_what_each_rule_decides_this_month(unmapped_month):
    mapping = policy_state(unmapped_month).mapping
    assert rules_in_use(unmapped_month, "2026-11", mapping) == {1: Catch(1, Decimal(9))}
    two = {**mapping, "rules": [*mapping["rules"], GLOB_K]}
    assert rules_in_use(unmapped_month, "2026-11", two) == {
        1: Catch(1, Decimal(9)),
        2: Catch(1, Decimal(3)),
    }


def test_testing_a_rule_shows_what_it_matches_and_what_it_decides(unmapped_month):
    mapping = policy_state(unmapped_month).mapping
    last = try_rule(unmapped_month, "2026-11", mapping, GLOB_K, 2, replace=False)
    assert last.problems == ()
    assert last.matched == Catch(2, Decimal(12))
    assert last.decided == Catch(1, Decimal(3))  # rule 1 takes k-data first
    assert [(v.value, v.catch) for v in last.values] == [
        ("api_key = k-data", Catch(1, Decimal(9))),
        ("api_key = k-big", Catch(1, Decimal(3))),
    ]
    first = try_rule(unmapped_month, "2026-11", mapping, GLOB_K, 1, replace=False)
    assert first.decided == Catch(2, Decimal(12))
    # In place of rule 1: it decides both too.
    instead = try_rule(unmapped_month, "2026-11", mapping, GLOB_K, 1, replace=True)
    assert instead.decided == Catch(2, Decimal(12))
    later = {**GLOB_K, "valid_from": "2026-12"}
    assert try_rule(unmapped_month, "2026-11", mapping, later, 2, replace=False).matched == Catch()


def test_testing_an_invalid_rule_names_its_problems(unmapped_month):
    mapping = policy_state(unmapped_month).mapping
    bad = {"when": {"user": "(a"}, "match": "regex", "team": "Nobody"}
    found = try_rule(unmapped_month, "2026-11", mapping, bad, 2, replace=False)
    assert any(p.startswith("this rule: unknown team 'Nobody'") for p in found.problems)
    assert any("invalid regex" in p for p in found.problems)
    backreference = {"when": {"user": r"(a)\1"}, "match": "regex", "team": "Web"}
    found = try_rule(unmapped_month, "2026-11", mapping, backreference, 2, replace=False)
    assert found.problems and "invalid regex" in found.problems[0]


def test_add_change_move_and_delete_rules_with_undo(unmapped_month):
    stack = EditStack(unmapped_month)
    change = add_rule(policy_state(unmapped_month), GLOB_K, 1)
    assert change.description == "Add rule “All k- keys” at position 1"
    stack.apply(change)
    assert _teams(unmapped_month) == {"Web": 1200}
    change = move_rule(policy_state(unmapped_month), 1, 2)
    assert change.description == "Move rule “All k- keys” to position 2"
    stack.apply(change)
    assert _teams(unmapped_month) == {"Data": 900, "Web": 300}
    change = change_rule(policy_state(unmapped_month), 2, {**GLOB_K, "team": "Data"})
    assert change.description == "Change rule “All k- keys”"
    stack.apply(change)
    assert _teams(unmapped_month) == {"Data": 1200}
    change = delete_rule(policy_state(unmapped_month), 1)
    assert change.description == "Delete rule 1"
    stack.apply(change)
    assert _teams(unmapped_month) == {"Data": 1200}  # the glob rule now takes k-data too
    for expected in ({"Data": 1200}, {"Data": 900, "Web": 300}, {"Web": 1200}, {"Data": 900}):
        stack.undo()
        assert _teams(unmapped_month) == expected


def test_rule_positions_that_do_not_exist_are_refused(unmapped_month):
    state = policy_state(unmapped_month)
    with pytest.raises(EditRefused, match="There is no rule 5"):
        delete_rule(state, 5)
    with pytest.raises(EditRefused, match="There is no rule 0"):
        move_rule(state, 1, 0)
    with pytest.raises(EditRefused, match="already there"):
        move_rule(state, 1, 1)
