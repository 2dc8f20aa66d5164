"""Pools, settings and provider totals changed as undoable changes, validated as config apply
validates them (a fixed pool must add up to 100 %)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.services.invoices import period_invoices
from app.services.policy import current_document
from app.services.policy_edits import EditRefused, EditStack, document_state, policy_state
from app.services.pool_changes import (
    change_settings,
    delete_pool,
    delete_provider_total,
    move_pool,
    save_pool,
    set_provider_total,
    weights_total,
)


def _teams(workspace):
    allocation = period_invoices(workspace, "2026-11").allocation
    return {i.team: i.total_cents for i in allocation.invoices}


def test_a_pool_shares_a_team_and_a_fixed_pool_must_add_up(unmapped_month):
    """Data's $9 shared to Web by a pool targeting Web alone: Web pays $9 (and Data $0)."""
    stack = EditStack(unmapped_month)
    stack.apply(save_pool(policy_state(unmapped_month), None, {"team": "Data", "targets": ["Web"]}))
    assert _teams(unmapped_month) == {"Web": 900}
    bad = save_pool(
        policy_state(unmapped_month),
        1,
        {"team": "Data", "method": "fixed", "targets": ["Web"], "weights": {"Web": "90"}},
    )
    with pytest.raises(EditRefused) as refused:
        stack.apply(bad)
    assert refused.value.problems == ["pools[1]: fixed percentages sum to 90, not 100"]
    assert weights_total({"Web": "90", "Data": "10,5"}) == Decimal("100.5")
    assert weights_total({"Web": "x"}) is None
    stack.apply(delete_pool(policy_state(unmapped_month), 1))
    assert _teams(unmapped_month) == {"Data": 900}
    stack.undo()
    stack.undo()
    assert _teams(unmapped_month) == {"Data": 900}


def test_pools_move_in_order(unmapped_month):
    stack = EditStack(unmapped_month)
    stack.apply(save_pool(policy_state(unmapped_month), None, {"team": "Data"}))
    stack.apply(save_pool(policy_state(unmapped_month), None, {"team": "Web"}))
    stack.apply(move_pool(policy_state(unmapped_month), 2, 1))
    assert [p.team for p in current_document(unmapped_month).policy.pools] == ["Web", "Data"]
    with pytest.raises(EditRefused):
        move_pool(policy_state(unmapped_month), 1, 1)


def test_settings_change_and_say_what_changed(unmapped_month):
    stack = EditStack(unmapped_month)
    change = change_settings(policy_state(unmapped_month), {"overhead_rate": "0.1"})
    assert change.description == "Change the overhead rate"
    stack.apply(change)
    assert _teams(unmapped_month) == {"Data": 990}
    with pytest.raises(EditRefused, match="Nothing to save"):
        change_settings(policy_state(unmapped_month), {"overhead_rate": "0.1"})
    with pytest.raises(EditRefused) as refused:
        stack.apply(change_settings(policy_state(unmapped_month), {"overhead_rate": "2"}))
    assert "overhead_rate must be between 0 and 1" in refused.value.problems[0]


def test_provider_totals(unmapped_month):
    stack = EditStack(unmapped_month)
    stack.apply(set_provider_total(document_state(unmapped_month), "2026-11", "14.00", "INV-9"))
    totals = current_document(unmapped_month).provider_invoices
    assert [(t.period, t.total, t.invoice_number) for t in totals] == [
        ("2026-11", Decimal("14.00"), "INV-9")
    ]
    stack.apply(delete_provider_total(document_state(unmapped_month), "2026-11"))
    assert current_document(unmapped_month).provider_invoices == []
    stack.undo()
    assert len(current_document(unmapped_month).provider_invoices) == 1


def test_a_provider_total_is_previewed_as_applied(unmapped_month):
    """Review finding: the preview trued up to the workspace's provider total, not the one
    being entered. By hand: usage $13.50 in November, total $27.00, proportional true-up
    doubles every amount: Data $9 → $18, Unallocated $4.50 → $9."""
    from app.services.impact_preview import preview_change

    stack = EditStack(unmapped_month)
    stack.apply(change_settings(policy_state(unmapped_month), {"true_up": "proportional"}))
    change = set_provider_total(document_state(unmapped_month), "2026-11", "27.00", "")
    preview = preview_change(unmapped_month, change, "2026-11")
    assert {t.team: (t.before_cents, t.after_cents) for t in preview.teams} == {
        "Data": (900, 1800),
        "Unallocated": (450, 900),
    }
    stack.apply(change)
    assert _teams(unmapped_month) == {"Data": 1800}
