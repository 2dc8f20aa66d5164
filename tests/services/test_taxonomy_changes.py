"""The taxonomy editor's changes: every reference follows a rename or a merge (budgets too),
old names stay aliases, teams with history are archived never deleted, and all of it undoes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.services.closing import close_period
from app.services.invoices import period_invoices
from app.services.policy import current_document
from app.services.policy_edits import EditRefused, EditStack, document_state
from app.services.taxonomy_changes import (
    add_named,
    add_team,
    archive_team,
    delete_named,
    delete_team,
    edit_team,
    merge_teams,
    rename_named,
    rename_team,
    restore_team,
    teams_with_history,
)


@pytest.fixture
def month(unmapped_month, tmp_path):
    """The unmapped month with a rule k-big → Web, budgets for both teams and a product."""
    from app.services.policy import apply_policy_file
    from tests.conftest import MONTH_POLICY

    policy = tmp_path / "full.toml"
    policy.write_text(
        MONTH_POLICY
        + '[[products]]\nname = "Search"\n'
        + '[[rules]]\nwhen = { api_key = "k-big" }\nteam = "Web"\nproduct = "Search"\n'
        + '[[budgets]]\nteam = "Data"\nmonth = "2026-11"\namount = "10"\n'
        + '[[budgets]]\nteam = "Web"\nmonth = "2026-11"\namount = "5"\nproduct = "Search"\n',
        encoding="utf-8",
    )
    apply_policy_file(unmapped_month, policy)
    return unmapped_month


def _teams(workspace):
    allocation = period_invoices(workspace, "2026-11").allocation
    return {i.team: i.total_cents for i in allocation.invoices}


def _budgets(workspace):
    return sorted((b.team, b.amount, b.product) for b in current_document(workspace).budgets)


def test_rename_carries_rules_pools_and_budgets_and_keeps_the_old_name(month):
    stack = EditStack(month)
    stack.apply(rename_team(document_state(month), "Web", "Web Apps"))
    assert _teams(month) == {"Data": 900, "Web Apps": 300}
    assert _budgets(month) == [("Data", Decimal(10), ""), ("Web Apps", Decimal(5), "Search")]
    team = current_document(month).policy.team("Web Apps")
    assert team is not None and team.aliases == ("Web",)
    stack.undo()
    assert _teams(month) == {"Data": 900, "Web": 300}
    assert _budgets(month)[1][0] == "Web"


def test_merge_moves_everything_and_removes_a_team_without_history(month):
    stack = EditStack(month)
    stack.apply(merge_teams(document_state(month), "Web", "Data", teams_with_history(month)))
    assert _teams(month) == {"Data": 1200}
    assert _budgets(month) == [("Data", Decimal(5), "Search"), ("Data", Decimal(10), "")]
    policy = current_document(month).policy
    assert policy.team("Web") is None and policy.team("Data").aliases == ("Web",)
    stack.undo()
    assert current_document(month).policy.team("Web") is not None


def test_a_team_with_history_is_archived_never_deleted(month):
    close_period(month, "2026-10")
    close_period(month, "2026-11")
    history = teams_with_history(month)
    assert history == {"Data", "Web"}
    with pytest.raises(EditRefused, match="has invoices in closed months"):
        delete_team(document_state(month), "Web", history)
    with pytest.raises(EditRefused) as refused:
        archive_team(document_state(month), "Web")
    assert refused.value.problems == [
        "rule 2 send cost to it: merge it into another team, or change them."
    ]
    stack = EditStack(month)
    stack.apply(merge_teams(document_state(month), "Web", "Data", history))
    web = current_document(month).policy.team("Web")
    assert web is not None and web.archived and web.aliases == ()
    # November's invoices were frozen with Web's name; they keep it.
    from app.services.invoices import invoice_document

    frozen = invoice_document(month, "2026-11")
    assert {i["team"] for i in frozen["invoices"]} == {"Data", "Web"}
    stack.apply(restore_team(document_state(month), "Web"))
    assert not current_document(month).policy.team("Web").archived


def test_archive_and_delete_when_nothing_refers(month):
    stack = EditStack(month)
    stack.apply(add_team(document_state(month), {"name": "Ops", "owner": "ops@example.com"}))
    stack.apply(
        edit_team(document_state(month), "Ops", {"cost_center": "CC-9", "aliases": ["ops"]})
    )
    ops = current_document(month).policy.team("Ops")
    assert (ops.owner, ops.cost_center, ops.aliases) == ("ops@example.com", "CC-9", ("ops",))
    stack.apply(archive_team(document_state(month), "Ops"))
    assert current_document(month).policy.team("Ops").archived
    stack.apply(delete_team(document_state(month), "Ops", set()))
    assert current_document(month).policy.team("Ops") is None
    assert stack.descriptions() == [
        "Add team 'Ops'",
        "Change team 'Ops'",
        "Archive team 'Ops'",
        "Delete team 'Ops'",
    ]
    with pytest.raises(EditRefused, match="still used"):
        delete_team(document_state(month), "Web", set())


def test_products_and_departments(month):
    stack = EditStack(month)
    stack.apply(rename_named(document_state(month), "products", "Search", "Site search"))
    document = current_document(month)
    assert document.policy.rules[1].product == "Site search"
    assert document.policy.products[0].aliases == ("Search",)
    assert _budgets(month)[1][2] == "Site search"
    stack.apply(add_named(document_state(month), "departments", "Engineering", []))
    stack.apply(edit_team(document_state(month), "Web", {"department": "Engineering"}))
    stack.apply(rename_named(document_state(month), "departments", "Engineering", "Tech"))
    assert current_document(month).policy.team("Web").department == "Tech"
    with pytest.raises(EditRefused, match="still used"):
        delete_named(document_state(month), "departments", "Tech")


def test_a_renamed_team_keeps_its_history(month):
    """Review finding: after a rename, the new name had no history, so the team could be
    deleted (or merged away) although its old name is on closed invoices."""
    close_period(month, "2026-10")
    close_period(month, "2026-11")
    EditStack(month).apply(rename_team(document_state(month), "Web", "Web2"))
    history = teams_with_history(month)
    assert "Web2" in history
    with pytest.raises(EditRefused, match="has invoices in closed months"):
        delete_team(document_state(month), "Web2", history)
