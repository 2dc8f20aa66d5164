"""Policy edits from the window: apply, undo and redo as commands, each one transaction with
its audit row; refused (changing nothing) when stale, invalid or across a month close; and the
impact preview that shows a change's effect without writing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.services.closing import close_period
from app.services.impact_preview import preview_change
from app.services.invoices import period_invoices
from app.services.mapping_changes import map_to_team
from app.services.policy import apply_policy_file
from app.services.policy_edits import EditRefused, EditStack, change_of, policy_state
from app.services.unallocated import unallocated_queue
from app.workspace import audit
from app.workspace.schema import policy_versions
from tests.conftest import MONTH_POLICY as POLICY


def _value(workspace, text):
    return next(v for v in unallocated_queue(workspace, "2026-11").values if v.value == text)


def _versions(workspace):
    with workspace.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(policy_versions)).scalar()


def _team_cents(workspace, period="2026-11"):
    allocation = period_invoices(workspace, period).allocation
    found = {i.team: i.total_cents for i in allocation.invoices}
    found["Unallocated"] = allocation.unallocated_cents
    return found


def test_queue_lists_values_with_the_conditions_a_rule_needs(unmapped_month):
    queue = unallocated_queue(unmapped_month, "2026-11")
    assert [(v.dimension, v.value, v.cost, v.conditions) for v in queue.values] == [
        ("API key", "k-big", Decimal(3), (("api_key", "k-big"),)),
        ("user", "ann", Decimal(1), (("user", "ann"),)),
        ("tags", "tag.team = growth", Decimal("0.5"), (("tag.team", "growth"),)),
    ]
    assert queue.unallocated_cost == Decimal("4.5")
    assert queue.total_cost == Decimal("13.5")
    assert queue.allocated_share == Decimal(9) / Decimal("13.5")


def test_mapping_a_value_then_undo_and_redo(unmapped_month):
    stack = EditStack(unmapped_month)
    change = map_to_team(policy_state(unmapped_month), _value(unmapped_month, "k-big"), "Web")
    assert change.description == "Map API key k-big to Web"
    stack.apply(change)
    assert _team_cents(unmapped_month) == {"Data": 900, "Web": 300, "Unallocated": 150}
    assert [v.value for v in unallocated_queue(unmapped_month, "2026-11").values] == [
        "ann",
        "tag.team = growth",
    ]
    assert stack.undo_text == "Map API key k-big to Web"
    with unmapped_month.engine.connect() as conn:
        entry = audit.entries(conn, limit=1)[0]
    assert entry["action"] == "policy.edit"
    assert entry["detail"]["change"] == "Map API key k-big to Web"
    assert entry["detail"]["sections"] == {
        "rules": {
            "removed": [],
            "added": [
                {
                    "when": {"api_key": "k-big"},
                    "match": "exact",
                    "team": "Web",
                    "label": "API key k-big",
                }
            ],
        }
    }
    assert stack.undo() == "Map API key k-big to Web"
    assert _team_cents(unmapped_month) == {"Data": 900, "Unallocated": 450}
    assert not stack.can_undo and stack.redo_text == "Map API key k-big to Web"
    assert stack.redo() == "Map API key k-big to Web"
    assert _team_cents(unmapped_month) == {"Data": 900, "Web": 300, "Unallocated": 150}
    with unmapped_month.engine.connect() as conn:
        actions = [e["action"] for e in audit.entries(conn, limit=3)]
    assert actions == ["policy.redo", "policy.undo", "policy.edit"]
    # The trail names the rule after the value.
    web = next(
        i for i in period_invoices(unmapped_month, "2026-11").allocation.invoices if i.team == "Web"
    )
    assert any("rule: API key k-big" in t for line in web.lines for t in line.trail)


def test_a_new_change_drops_what_was_undone(unmapped_month):
    stack = EditStack(unmapped_month)
    stack.apply(map_to_team(policy_state(unmapped_month), _value(unmapped_month, "k-big"), "Web"))
    stack.undo()
    stack.apply(map_to_team(policy_state(unmapped_month), _value(unmapped_month, "ann"), "Data"))
    assert not stack.can_redo
    assert stack.descriptions() == ["Map user ann to Data"]


def test_undo_is_refused_when_the_policy_changed_elsewhere(unmapped_month, tmp_path):
    stack = EditStack(unmapped_month)
    stack.apply(map_to_team(policy_state(unmapped_month), _value(unmapped_month, "k-big"), "Web"))
    other = tmp_path / "other.toml"
    other.write_text(POLICY + '[[teams]]\nname = "Ops"\n', encoding="utf-8")
    apply_policy_file(unmapped_month, other)
    versions = _versions(unmapped_month)
    with pytest.raises(EditRefused) as refused:
        stack.undo()
    assert refused.value.summary == "Cannot undo “Map API key k-big to Web”"
    from app.workspace.audit import current_actor

    problem = refused.value.problems[0]
    assert f"changed by {current_actor()}" in problem and "(other.toml)" in problem, problem
    assert "Reload" in problem
    assert _versions(unmapped_month) == versions
    assert stack.can_undo  # still there: the user may reload and decide


def test_a_change_prepared_before_another_is_refused(unmapped_month):
    first = map_to_team(policy_state(unmapped_month), _value(unmapped_month, "k-big"), "Web")
    second = map_to_team(policy_state(unmapped_month), _value(unmapped_month, "ann"), "Data")
    EditStack(unmapped_month).apply(first)
    with pytest.raises(EditRefused, match="was not made"):
        EditStack(unmapped_month).apply(second)
    assert _team_cents(unmapped_month)["Unallocated"] == 150  # ann is still unallocated


def test_undo_across_a_month_close_is_refused_with_the_month(unmapped_month):
    stack = EditStack(unmapped_month)
    stack.apply(map_to_team(policy_state(unmapped_month), _value(unmapped_month, "k-big"), "Web"))
    close_period(unmapped_month, "2026-10")
    with pytest.raises(EditRefused) as refused:
        stack.undo()
    assert refused.value.problems[0].startswith("2026-10 was closed at ")
    assert "after this change" in refused.value.problems[0]
    assert _team_cents(unmapped_month)["Web"] == 300


def test_an_invalid_change_is_refused_with_every_problem(unmapped_month):
    state = policy_state(unmapped_month)
    after = dict(state.mapping)
    after["rules"] = [
        *state.mapping["rules"],
        {"when": {"colour": "red"}, "match": "exact", "team": "Web"},
        {"when": {"user": "("}, "match": "regex", "team": "Nobody"},
    ]
    versions = _versions(unmapped_month)
    with pytest.raises(EditRefused) as refused:
        EditStack(unmapped_month).apply(change_of(state, "Two bad rules", after))
    assert len(refused.value.problems) >= 3
    assert any("unknown dimension 'colour'" in p for p in refused.value.problems)
    assert any("invalid regex" in p for p in refused.value.problems)
    assert _versions(unmapped_month) == versions


def test_mapping_needs_a_team_of_the_policy(unmapped_month):
    with pytest.raises(EditRefused, match="No team"):
        map_to_team(policy_state(unmapped_month), _value(unmapped_month, "k-big"), "Nobody")


def test_impact_preview_shows_old_and_new_totals_and_writes_nothing(unmapped_month):
    change = map_to_team(policy_state(unmapped_month), _value(unmapped_month, "k-big"), "Web")
    versions = _versions(unmapped_month)
    with unmapped_month.engine.connect() as conn:
        audited = len(audit.entries(conn))
    preview = preview_change(unmapped_month, change, "2026-11")
    assert [(t.team, t.before_cents, t.after_cents) for t in preview.teams] == [
        ("Web", 0, 300),
        ("Unallocated", 450, 150),
        ("Data", 900, 900),
    ]
    assert [t.team for t in preview.changed] == ["Web", "Unallocated"]
    assert preview.allocated_before == Decimal(9) / Decimal("13.5")
    assert preview.allocated_after == Decimal(12) / Decimal("13.5")
    assert _versions(unmapped_month) == versions
    with unmapped_month.engine.connect() as conn:
        assert len(audit.entries(conn)) == audited
    # The live invoices are still those of the policy in force.
    assert _team_cents(unmapped_month) == {"Data": 900, "Unallocated": 450}


def test_impact_preview_of_a_closed_month_and_of_an_invalid_change(unmapped_month):
    change = map_to_team(policy_state(unmapped_month), _value(unmapped_month, "k-big"), "Web")
    close_period(unmapped_month, "2026-10")
    assert preview_change(unmapped_month, change, "2026-10").closed
    state = policy_state(unmapped_month)
    bad = change_of(state, "Bad", {**state.mapping, "settings": {"true_up": "sometimes"}})
    preview = preview_change(unmapped_month, bad, "2026-11")
    assert preview.problems and not preview.teams


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.one_of(
            st.tuples(
                st.just("map"), st.sampled_from(["k-big", "ann"]), st.sampled_from(["Data", "Web"])
            ),
            st.just(("undo",)),
            st.just(("redo",)),
        ),
        max_size=8,
    )
)
def test_any_sequence_of_edits_keeps_the_policy_and_the_money_right(unmapped_month, steps):
    """Whatever is applied, undone and redone: the policy in force is the one the history
    says, and the month's cost is neither made nor lost (exact totals)."""
    stack = EditStack(unmapped_month)
    base = policy_state(unmapped_month).mapping
    done: list[dict] = []
    undone: list[dict] = []
    allocation = period_invoices(unmapped_month, "2026-11").allocation
    exact_total = sum((i.exact_total for i in allocation.invoices), allocation.unallocated_exact)
    for step in steps:
        if step[0] == "map":
            queue = {v.value: v for v in unallocated_queue(unmapped_month, "2026-11").values}
            if step[1] not in queue:
                continue
            change = map_to_team(policy_state(unmapped_month), queue[step[1]], step[2])
            stack.apply(change)
            done.append(change.after)
            undone.clear()
        elif step[0] == "undo" and done:
            stack.undo()
            undone.append(done.pop())
        elif step[0] == "redo" and undone:
            stack.redo()
            done.append(undone.pop())
        assert policy_state(unmapped_month).mapping == (done[-1] if done else base)
        allocation = period_invoices(unmapped_month, "2026-11").allocation
        assert (
            sum((i.exact_total for i in allocation.invoices), allocation.unallocated_exact)
            == exact_total
        )
    while stack.can_undo:
        stack.undo()
    assert policy_state(unmapped_month).mapping == base
