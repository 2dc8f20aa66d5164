"""Importing a policy file from the window: validated like config apply, previewed with what
else it replaces, applied as one change of the whole document, and undone exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.services.impact_preview import preview_change
from app.services.policy import PolicyRejected, current_document
from app.services.policy_edits import EditRefused, EditStack
from app.services.policy_file_changes import import_change
from app.services.prices import set_price
from tests.conftest import MONTH_POLICY

NEW_POLICY = (
    MONTH_POLICY
    + '[[teams]]\nname = "Ops"\n'
    + '[[rules]]\nwhen = { user = "ann" }\nteam = "Ops"\n'
    + '[[budgets]]\nteam = "Ops"\nmonth = "2026-11"\namount = "50"\n'
    + '[[discounts]]\ndiscount_percent = "10"\neffective_from = "2026-01-01"\n'
    + '[[provider_invoices]]\nperiod = "2026-11"\ntotal = "14.00"\n'
)


def _file(tmp_path, text, name="new.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _state(workspace):
    document = current_document(workspace)
    return (
        [t.name for t in document.policy.teams],
        [(b.team, b.month, b.amount) for b in document.budgets],
        [d["discount_percent"] for d in document.discounts],
        [(i.period, i.total) for i in document.provider_invoices],
    )


@pytest.fixture
def with_october_total(unmapped_month, tmp_path):
    """The workspace's policy also gives October's provider total ($2)."""
    from app.services.policy import apply_policy_file

    path = _file(
        tmp_path,
        MONTH_POLICY + '[[provider_invoices]]\nperiod = "2026-10"\ntotal = "2.00"\n',
        "base.toml",
    )
    apply_policy_file(unmapped_month, path)
    return unmapped_month


def test_import_preview_apply_undo_redo(with_october_total, tmp_path):
    workspace = with_october_total
    before = _state(workspace)
    assert before == (["Data", "Web"], [], [], [("2026-10", Decimal("2.00"))])
    change = import_change(workspace, _file(tmp_path, NEW_POLICY))
    assert change.description == "Import policy new.toml"
    preview = preview_change(workspace, change, "2026-11")
    assert preview.notes == (
        "Adds 1 budgets.",
        "Adds 1 contract discounts.",
        "Replaces the 1 provider totals with 2.",
    )
    assert {t.team: t.after_cents for t in preview.teams}["Ops"] > 0
    stack = EditStack(workspace)
    stack.apply(change)
    after = _state(workspace)
    # October's total is kept (config apply keeps the totals a file does not give).
    assert after == (
        ["Data", "Web", "Ops"],
        [("Ops", "2026-11", Decimal(50))],
        ["10"],
        [("2026-10", Decimal("2.00")), ("2026-11", Decimal("14.00"))],
    )
    stack.undo()
    assert _state(workspace) == before
    stack.redo()
    assert _state(workspace) == after


def test_a_file_with_problems_lists_them_all(unmapped_month, tmp_path):
    bad = MONTH_POLICY + '[[rules]]\nwhen = { colour = "x" }\nteam = "Nobody"\n'
    with pytest.raises(PolicyRejected) as rejected:
        import_change(unmapped_month, _file(tmp_path, bad, "bad.toml"))
    problems = rejected.value.problems
    assert len(problems) == 2 and all(p.startswith("bad.toml: rules[2]") for p in problems)
    with pytest.raises(PolicyRejected) as rejected:
        import_change(unmapped_month, _file(tmp_path, "version = 1\n", "empty.toml"))
    assert "the policy has no teams" in rejected.value.problems[0]


def test_undo_is_refused_when_prices_changed_meanwhile(unmapped_month, tmp_path):
    stack = EditStack(unmapped_month)
    stack.apply(import_change(unmapped_month, _file(tmp_path, NEW_POLICY)))
    set_price(
        unmapped_month,
        {"model": "claude-haiku-4-5", "effective_from": "2026-01-01", "input": "2", "output": "8"},
    )
    with pytest.raises(EditRefused) as refused:
        stack.undo()
    assert refused.value.problems[0].startswith("Budgets, prices, discounts or provider totals")
    assert "Ops" in _state(unmapped_month)[0]


def test_saved_import_profiles_survive_a_policy_without_them(unmapped_month, tmp_path):
    """Review finding: importing (or config-applying) a policy file exported before profiles
    existed deleted every saved profile."""
    from app.services.import_profiles import profiles, save_profile
    from app.services.policy import apply_policy_file
    from importers.mapped_csv import MappingProfile

    save_profile(
        unmapped_month,
        MappingProfile("ERP", (("t", "timestamp"), ("m", "model"), ("i", "input_tokens"))),
    )
    stack = EditStack(unmapped_month)
    stack.apply(import_change(unmapped_month, _file(tmp_path, NEW_POLICY)))
    assert [p.name for p in profiles(unmapped_month)] == ["ERP"]
    stack.undo()
    apply_policy_file(unmapped_month, _file(tmp_path, NEW_POLICY, "again.toml"))
    assert [p.name for p in profiles(unmapped_month)] == ["ERP"]
