"""The budgets grid: typed cells checked as amounts, suggested from a month plus a buffer, read
from a CSV file, saved as one previewed change that undoes; product budgets untouched."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.services.budget_changes import set_budgets, team_budgets
from app.services.policy import current_document
from app.services.policy_edits import EditRefused, EditStack, document_state
from app.ui.main_window import MainWindow
from app.ui.presentation.budget_grid import parse_cell


def test_cells_and_changes(unmapped_month):
    assert parse_cell(" $1,200.50 ") == (Decimal("1200.50"), "")
    assert parse_cell("") == (None, "")
    assert parse_cell("-5")[1] == "must not be negative"
    assert parse_cell("lots")[1] == "not an amount: 'lots'"
    stack = EditStack(unmapped_month)
    stack.apply(
        set_budgets(
            document_state(unmapped_month),
            {("Data", "2026-11"): Decimal(10), ("Web", "2026-12"): Decimal(5)},
            "Set budgets",
        )
    )
    assert team_budgets(document_state(unmapped_month)) == {
        ("Data", "2026-11"): Decimal(10),
        ("Web", "2026-12"): Decimal(5),
    }
    stack.apply(set_budgets(document_state(unmapped_month), {("Web", "2026-12"): None}, "Clear"))
    assert [(b.team, b.month) for b in current_document(unmapped_month).budgets] == [
        ("Data", "2026-11")
    ]
    with pytest.raises(EditRefused, match="Nothing to save"):
        set_budgets(document_state(unmapped_month), {("Data", "2026-11"): Decimal(10)}, "Same")
    stack.undo()
    stack.undo()
    assert current_document(unmapped_month).budgets == []


def _grid(qtbot, workspace):
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(workspace)
    window.show_page("budgets")
    page = window.budgets
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    grid = window.edit_budgets()
    qtbot.waitUntil(lambda: grid.grid.rowCount() == 2, timeout=20_000)
    return window, grid


def _cell(grid, team, month):
    return grid.grid.item(grid.presenter.teams.index(team), grid.presenter.months.index(month))


def test_type_suggest_import_and_save(qtbot, unmapped_month, tmp_path):
    window, grid = _grid(qtbot, unmapped_month)
    assert grid.presenter.months[0] == "2026-08" and len(grid.presenter.months) == 12
    assert not grid.save_button.isEnabled()
    _cell(grid, "Web", "2026-11").setText("lots")
    assert "Web, November 2026: not an amount: 'lots'" in grid.problems.text()
    assert not grid.save_button.isEnabled()
    _cell(grid, "Web", "2026-11").setText("50")
    assert grid.save_button.isEnabled() and _cell(grid, "Web", "2026-11").font().bold()
    # Suggested from November's invoices (Data $9.00) + 20 % = $10.80, in whole dollars,
    # for the chosen December column only.
    grid.grid.selectColumn(grid.presenter.months.index("2026-12"))
    grid.basis.setCurrentIndex(grid.basis.findData("2026-11"))
    grid.suggest()
    qtbot.waitUntil(lambda: _cell(grid, "Data", "2026-12").text() != "", timeout=20_000)
    assert _cell(grid, "Data", "2026-12").text() == "11"
    assert _cell(grid, "Data", "2027-01").text() == ""
    csv = tmp_path / "budgets.csv"
    csv.write_text("team,month,amount\nData,2027-01,12\n", encoding="utf-8")
    grid.read_csv(csv)
    qtbot.waitUntil(lambda: _cell(grid, "Data", "2027-01").text() == "12", timeout=20_000)
    grid.save()
    qtbot.waitUntil(lambda: not grid.panel.isHidden(), timeout=20_000)
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        grid.panel.apply_button.click()
    qtbot.waitUntil(lambda: not _cell(grid, "Web", "2026-11").font().bold(), timeout=20_000)
    budgets = {(b.team, b.month): b.amount for b in current_document(unmapped_month).budgets}
    assert budgets == {
        ("Web", "2026-11"): Decimal(50),
        ("Data", "2026-12"): Decimal(11),
        ("Data", "2027-01"): Decimal(12),
    }
    bad = tmp_path / "bad.csv"
    bad.write_text("team,month,amount\nNobody,2027-01,12\n", encoding="utf-8")
    grid.read_csv(bad)
    qtbot.waitUntil(lambda: "unknown team 'Nobody'" in grid.problems.text(), timeout=20_000)
    grid.done(0)


def test_the_warning_threshold(qtbot, unmapped_month):
    window, grid = _grid(qtbot, unmapped_month)
    assert grid.warn.text() == "80"
    grid.warn.setText("90")
    grid.save_threshold()
    qtbot.waitUntil(lambda: not grid.panel.isHidden(), timeout=20_000)
    assert grid.panel.title.text() == "Budget warning at 90 % (was 80 %)"
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        grid.panel.apply_button.click()
    assert current_document(unmapped_month).policy.settings.warn_threshold == Decimal("0.9")
    qtbot.waitUntil(lambda: grid.warn.text() == "90", timeout=20_000)
    grid.done(0)


def test_at_go_live_budgets_are_offered_from_the_last_shadow_month(qtbot, unmapped_month, tmp_path):
    """October is a shadow month and November goes live: the grid says so, suggests from
    October and fills in November on (not the shadow months)."""
    from app.services.policy import apply_policy_file
    from tests.conftest import MONTH_POLICY

    policy = tmp_path / "go-live.toml"
    policy.write_text(
        MONTH_POLICY.replace("version = 1\n", 'version = 1\n[settings]\ngo_live = "2026-11"\n')
        + '[[rules]]\nwhen = { api_key = "k-big" }\nteam = "Web"\n',
        encoding="utf-8",
    )
    apply_policy_file(unmapped_month, policy)
    window, grid = _grid(qtbot, unmapped_month)
    assert grid.presenter.shadow_month == "2026-10"
    assert grid.go_live_note.isVisibleTo(grid)
    assert grid.go_live_note.text().startswith("Chargeback starts in November 2026.")
    assert grid.basis.currentData() == "2026-10"
    grid.suggest()
    qtbot.waitUntil(lambda: _cell(grid, "Web", "2026-11").text() != "", timeout=20_000)
    # October's Web invoice $2.00 + 20 % = $2.40 → whole dollars: 3
    assert _cell(grid, "Web", "2026-11").text() == _cell(grid, "Web", "2026-12").text()
    assert _cell(grid, "Web", "2026-10").text() == ""  # no budget for a shadow month
    window.workspace = None


def test_the_go_live_offer_ends_once_go_live_has_budgets(unmapped_month, tmp_path):
    from app.services.budgets import import_budget_csv
    from app.services.policy import apply_policy_file
    from app.ui.presentation.budget_grid import BudgetGridPresenter
    from tests.conftest import MONTH_POLICY

    policy = tmp_path / "go-live.toml"
    policy.write_text(
        MONTH_POLICY.replace("version = 1\n", 'version = 1\n[settings]\ngo_live = "2026-11"\n'),
        encoding="utf-8",
    )
    apply_policy_file(unmapped_month, policy)
    presenter = BudgetGridPresenter(unmapped_month)
    presenter.apply(presenter.fetch())
    assert presenter.go_live_offer
    budgets = tmp_path / "b.csv"
    budgets.write_text("team,month,amount\nData,2026-11,100\n", encoding="utf-8")
    import_budget_csv(unmapped_month, budgets)
    presenter.apply(presenter.fetch())
    assert presenter.go_live_offer == ""
    assert presenter.months_to_suggest([]) == presenter.months  # every month shown, as before
