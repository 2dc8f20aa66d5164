"""The Unallocated queue page and the Edit menu: presenters without Qt, the page with qtbot
(choose a value and a team, preview, apply, undo, redo, refusals, the history view)."""

from __future__ import annotations

from decimal import Decimal

from app.services.closing import close_period
from app.services.impact_preview import ImpactPreview, TeamImpact
from app.ui.main_window import MainWindow
from app.ui.presentation.impact import ImpactPresenter
from app.ui.presentation.unallocated import UnallocatedPresenter


def _window(qtbot, workspace):
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(workspace)
    window.show_page("unallocated")
    page = window.unallocated
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    return window, page


def _values(page):
    return [row[1] for row in page.presenter.table.rows]


def test_presenter_lists_the_queue_biggest_first(unmapped_month):
    presenter = UnallocatedPresenter(unmapped_month)
    presenter.reload()
    assert presenter.period == "2026-11"
    assert presenter.table.rows == [
        ["API key", "k-big", "1", "$3.00", "66.7%"],
        ["user", "ann", "1", "$1.00", "22.2%"],
        ["tags", "tag.team = growth", "1", "$0.50", "11.1%"],
    ]
    assert presenter.table.total == ["Unallocated", "3 values", "3", "$4.50", "100.0%"]
    assert presenter.summary.startswith(
        "66.7% of November 2026's usage cost ($13.50) reaches a team; $4.50 is unallocated."
    )
    assert presenter.teams == ["Data", "Web"]
    assert presenter.first_mappable() == 0


def test_impact_presenter_reads_as_before_and_after():
    presenter = ImpactPresenter()
    preview = ImpactPreview(
        "2026-11",
        "Map API key k-big to Web",
        (
            TeamImpact("Web", 0, 300),
            TeamImpact("Unallocated", 450, 150),
            TeamImpact("Data", 900, 900),
        ),
        Decimal(2) / 3,
        Decimal(8) / 9,
    )
    presenter.show(preview)
    assert presenter.title == "Map API key k-big to Web — effect on November 2026"
    assert presenter.table.rows == [
        ["Web", "$0.00", "$3.00", "+$3.00"],
        ["Data", "$9.00", "$9.00", "—"],
        ["Unallocated (not invoiced)", "$4.50", "$1.50", "−$3.00"],
    ]
    assert presenter.table.total == ["Total invoiced", "$9.00", "$12.00", "+$3.00"]
    assert presenter.summary == (
        "1 of 2 invoices change; invoiced in all $9.00 → $12.00. "
        "Usage cost reaching a team: 66.7% → 88.9%."
    )
    assert presenter.can_apply
    presenter.show(ImpactPreview("2026-11", "Bad", problems=("rules[2]: no team",)))
    assert not presenter.can_apply and presenter.problems == ["rules[2]: no team"]
    presenter.show(ImpactPreview("2026-10", "Map", closed=True))
    assert presenter.can_apply and "October 2026 is closed" in presenter.summary


def test_map_preview_apply_undo_redo_from_the_window(qtbot, unmapped_month):
    window, page = _window(qtbot, unmapped_month)
    assert page.selected_row() == 0 and page.preview_button.isEnabled()
    assert not window.undo_action.isEnabled()
    page.team.setCurrentText("Web")
    page.preview()
    qtbot.waitUntil(lambda: not page.panel.isHidden(), timeout=20_000)
    assert page.panel.presenter.table.rows[0] == ["Web", "$0.00", "$3.00", "+$3.00"]
    assert page.panel.apply_button.isEnabled()
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        page.panel.apply_button.click()
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    assert _values(page) == ["ann", "tag.team = growth"]
    assert page.note.text().startswith("88.9% of November 2026")
    assert page.panel.isHidden()
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo “Map API key k-big to Web”"
    assert "Made “Map API key k-big to Web”" in window.statusBar().currentMessage()

    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        window.undo_action.trigger()
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    assert _values(page) == ["k-big", "ann", "tag.team = growth"]
    assert window.redo_action.text() == "&Redo “Map API key k-big to Web”"
    assert not window.undo_action.isEnabled()

    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        window.redo_action.trigger()
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    assert _values(page) == ["ann", "tag.team = growth"]

    window.show_history()
    view = window.history_view
    assert view.model().rowCount() == 2  # the policy as opened, and the change
    # A click on the first row goes back to the policy as opened.
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        view.setCurrentIndex(view.model().index(0, 0))
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    assert _values(page) == ["k-big", "ann", "tag.team = growth"]
    assert window.editor.edits.position == 0


def test_keyboard_undo_and_redo(qtbot, unmapped_month):
    window, _page = _window(qtbot, unmapped_month)
    keys = [s.toString() for s in window.undo_action.shortcuts()]
    assert "Ctrl+Z" in keys
    assert "Ctrl+Shift+Z" in [s.toString() for s in window.redo_action.shortcuts()]


def test_undo_across_a_month_close_is_refused_and_said(qtbot, unmapped_month):
    window, page = _window(qtbot, unmapped_month)
    page.preview()
    qtbot.waitUntil(lambda: not page.panel.isHidden(), timeout=20_000)
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        page.apply()
    close_period(unmapped_month, "2026-10")
    with qtbot.waitSignal(window.editor.refused, timeout=20_000) as refused:
        window.undo_action.trigger()
    summary, problems = refused.args
    assert summary == "Cannot undo “Map API key k-big to Data”"
    assert problems[0].startswith("2026-10 was closed at ")
    assert window.refusal is not None and not window.refusal.isHidden()
    assert "2026-10 was closed" in window.refusal.informativeText()
    assert window.editor.undo_stack.index() == 1  # still made
    window.refusal.close()


def test_discard_changes_nothing(qtbot, unmapped_month):
    window, page = _window(qtbot, unmapped_month)
    page.select_row(1)
    page.preview()
    qtbot.waitUntil(lambda: not page.panel.isHidden(), timeout=20_000)
    assert page.panel.title.text().startswith("Map user ann to Data")
    page.panel.discard_button.click()
    assert page.panel.isHidden() and page.pending is None
    assert not window.undo_action.isEnabled()
    assert _values(page) == ["k-big", "ann", "tag.team = growth"]


def test_policy_import_and_export_from_the_file_menu(qtbot, unmapped_month, tmp_path):
    from tests.conftest import MONTH_POLICY

    window, page = _window(qtbot, unmapped_month)
    bad = tmp_path / "bad.toml"
    bad.write_text(MONTH_POLICY + '[[rules]]\nwhen = { colour = "x" }\nteam = "Nobody"\n')
    dialog = window.import_policy(bad)
    qtbot.waitUntil(lambda: not dialog.panel.isHidden(), timeout=20_000)
    assert not dialog.panel.apply_button.isEnabled()
    assert dialog.panel.presenter.problems == [
        "bad.toml: rules[2]: unknown team 'Nobody'",
        "bad.toml: rules[2]: unknown dimension 'colour' (use one of api_key, api_key_id, "
        "workspace, workspace_id, user, service_account, model, service_tier, inference_geo, "
        "context_window or tag.<name>)",
    ]
    dialog.panel.discard_button.click()
    assert not dialog.isVisible()

    good = tmp_path / "good.toml"
    good.write_text(MONTH_POLICY + '[[rules]]\nwhen = { user = "ann" }\nteam = "Web"\n')
    dialog = window.import_policy(good)
    qtbot.waitUntil(lambda: not dialog.panel.isHidden(), timeout=20_000)
    assert dialog.panel.presenter.table.rows[0] == ["Web", "$0.00", "$1.00", "+$1.00"]
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        dialog.panel.apply_button.click()
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    assert _values(page) == ["k-big", "tag.team = growth"]
    assert window.undo_action.text() == "&Undo “Import policy good.toml”"

    exported = tmp_path / "out.toml"
    window.export_policy(exported)
    qtbot.waitUntil(lambda: exported.exists() and not window._file_workers, timeout=20_000)
    assert 'user = "ann"' in exported.read_text(encoding="utf-8")


def test_the_history_never_parts_from_the_edit_stack(qtbot, unmapped_month):
    """Review finding: a click in the history while a change was being made moved the Qt
    stack's index; the change's push then dropped the commands above it, and one Ctrl+Z undid
    three changes. Now the history is disabled while a step runs and rebuilt after it."""
    from app.services.mapping_changes import map_to_team
    from app.services.policy_edits import policy_state
    from app.services.unallocated import unallocated_queue

    window, _page = _window(qtbot, unmapped_month)
    editor = window.editor
    window.show_history()

    def mapped(value_text, team):
        value = next(
            v for v in unallocated_queue(unmapped_month, "2026-11").values if v.value == value_text
        )
        with qtbot.waitSignal(editor.changed, timeout=20_000):
            editor.apply(map_to_team(policy_state(unmapped_month), value, team))

    mapped("k-big", "Web")
    mapped("ann", "Data")
    value = next(
        v for v in unallocated_queue(unmapped_month, "2026-11").values if v.value.startswith("tag")
    )
    with qtbot.waitSignal(editor.changed, timeout=20_000):
        editor.apply(map_to_team(policy_state(unmapped_month), value, "Web"))
        assert not window.history_view.isEnabled()
        editor.undo_stack.setIndex(0)  # a click that raced the step
    assert editor.undo_stack.count() == 3 and editor.undo_stack.index() == 3
    assert editor.edits.position == 3 and window.history_view.isEnabled()
    with qtbot.waitSignal(editor.changed, timeout=20_000):
        window.undo_action.trigger()
    assert editor.edits.position == 2 and editor.undo_stack.index() == 2
