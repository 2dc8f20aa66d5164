"""The Taxonomy page with qtbot: edit and rename a team with a preview and undo, merge,
archive refused while a rule sends cost to the team, and the named lists."""

from __future__ import annotations

from app.ui.main_window import MainWindow
from app.ui.presentation.formatting import rate_from_percent as overhead_rate
from app.ui.presentation.taxonomy import TaxonomyPresenter


def _window(qtbot, workspace):
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(workspace)
    window.show_page("taxonomy")
    page = window.taxonomy
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    return window, page


def _apply(qtbot, window, page):
    qtbot.waitUntil(lambda: not page.panel.isHidden(), timeout=20_000)
    assert page.panel.apply_button.isEnabled(), page.panel.presenter.problems
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        page.panel.apply_button.click()
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)


def test_presenter_and_overhead_text(unmapped_month):
    presenter = TaxonomyPresenter(unmapped_month)
    presenter.reload()
    assert presenter.table.rows == [
        ["Data", "", "", "", "active"],
        ["Web", "", "", "", "active"],
    ]
    assert presenter.period == "2026-11"
    assert overhead_rate("12.5") == "0.125" and overhead_rate("") == ""
    assert overhead_rate("7,5 %") == "0.075" and overhead_rate("lots") == "lots"


def test_edit_rename_merge_and_undo(qtbot, unmapped_month):
    window, page = _window(qtbot, unmapped_month)
    assert page.original == "Data"
    page.cost_center.setText("CC-1")
    page.overhead.setText("10")
    page.name.setText("Data Platform")
    page.save()
    _apply(qtbot, window, page)
    assert page.presenter.table.rows[0] == ["Data Platform", "", "CC-1", "10.0%", "active"]
    assert page.original == "Data Platform" and page.aliases.text() == "Data"
    assert window.undo_action.text() == "&Undo “Change team 'Data' and rename it 'Data Platform'”"
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        window.undo_action.trigger()
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    assert page.presenter.table.rows[0][0] == "Data"
    page.select_team("Web")
    page.merge_into.setCurrentText("Data")
    page.merge()
    qtbot.waitUntil(lambda: not page.panel.isHidden(), timeout=20_000)
    assert page.panel.title.text().startswith("Merge team 'Web' into 'Data'")
    _apply(qtbot, window, page)
    assert [r[0] for r in page.presenter.table.rows] == ["Data"]


def test_archive_is_refused_while_a_rule_sends_cost(qtbot, unmapped_month):
    window, page = _window(qtbot, unmapped_month)
    page.select_team("Data")
    page.archive()
    qtbot.waitUntil(lambda: not page.panel.isHidden(), timeout=20_000)
    assert not page.panel.apply_button.isEnabled()
    assert page.panel.presenter.problems == [
        "rule 1 send cost to it: merge it into another team, or change them."
    ]
    page.select_team("Web")
    page.archive()
    _apply(qtbot, window, page)
    assert page.presenter.table.rows[1] == ["Web", "", "", "", "archived"]
    assert page.archive_button.text() == "Restore…"


def test_products_departments_and_environments(qtbot, unmapped_month):
    window, page = _window(qtbot, unmapped_month)
    products = page.lists["products"]
    products.name.setText("Search")
    products.add.click()
    _apply(qtbot, window, page)
    assert page.presenter.lists["products"] == ["Search"]
    products.items.setCurrentRow(0)
    products.name.setText("Site search")
    products.rename.click()
    _apply(qtbot, window, page)
    assert page.presenter.lists["products"] == ["Site search"]
    products.items.setCurrentRow(0)
    products.delete.click()
    _apply(qtbot, window, page)
    assert page.presenter.lists["products"] == []
