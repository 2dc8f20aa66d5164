"""The Rules page: the presenter and the rule form without Qt, and the page with qtbot (choose,
test, save with a preview, apply, undo; add; move by button and by drop; delete; problems
flagged while typing)."""

from __future__ import annotations

from app.services.policy_edits import policy_state
from app.services.rule_usage import try_rule
from app.ui.main_window import MainWindow
from app.ui.presentation.rules import RuleForm, RulesPresenter, form_problems, trial_text


def _window(qtbot, workspace):
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(workspace)
    window.show_page("rules")
    page = window.rules
    _loaded(qtbot, page)
    return window, page


def _loaded(qtbot, page):
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)


def _apply_preview(qtbot, window, page):
    qtbot.waitUntil(lambda: not page.panel.isHidden(), timeout=20_000)
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        page.panel.apply_button.click()
    _loaded(qtbot, page)


def test_presenter_lists_rules_with_what_they_decide(unmapped_month):
    presenter = RulesPresenter(unmapped_month)
    presenter.reload()
    assert presenter.table.rows == [
        ["1", "", "api_key is k-data", "Data", "", "", "every month", "1", "$9.00"]
    ]
    assert presenter.teams == ["Data", "Web"]
    assert "tag.team" in presenter.fields and "api_key" in presenter.fields
    form = presenter.form_at(0)
    assert form == RuleForm([("api_key", "k-data")], "exact", "Data", position=1)
    assert form.rule() == {"when": {"api_key": "k-data"}, "match": "exact", "team": "Data"}
    assert presenter.form_at(5).position is None


def test_form_problems_name_the_field_at_fault(unmapped_month):
    mapping = policy_state(unmapped_month).mapping
    good = RuleForm([("user", "ann")], "exact", "Web")
    assert form_problems(good, mapping) == []
    bad = RuleForm([("colour", "red"), ("user", "")], "regex", "Nobody", valid_from="2026-13")
    problems = form_problems(bad, mapping)
    assert "unknown team 'Nobody'" in problems
    assert any(p.startswith("unknown dimension 'colour'") for p in problems)
    assert any("valid_from must be YYYY-MM" in p for p in problems)
    assert "a condition has no value to match" in problems
    unsafe = RuleForm([("user", r"(a)\1")], "regex", "Web")
    assert any("invalid regex" in p for p in form_problems(unsafe, mapping))
    nothing = RuleForm([("user", "ann")], "exact")
    assert form_problems(nothing, mapping) == [
        "assigns nothing (give team, product or environment)"
    ]


def test_trial_text_reads_like_a_sentence(unmapped_month):
    mapping = policy_state(unmapped_month).mapping
    rule = {"when": {"api_key": "k-*"}, "match": "glob", "team": "Web"}
    text, table = trial_text(try_rule(unmapped_month, "2026-11", mapping, rule, 2, replace=False))
    assert text == (
        "In November 2026 it matches 2 lines ($12.00) and decides 1 of them ($3.00) where it "
        "stands; earlier rules decide the rest."
    )
    assert table.rows == [["api_key = k-data", "1", "$9.00"], ["api_key = k-big", "1", "$3.00"]]


def test_change_a_rule_with_test_preview_apply_and_undo(qtbot, unmapped_month):
    window, page = _window(qtbot, unmapped_month)
    page.select_row(0)
    assert page.form_view.position == 1
    assert page.save_button.text() == "Save changes…"
    row = page.form_view.conditions.cellWidget(0, 1)
    row.setText("k-*")
    page.form_view.match.setCurrentText("glob")
    page.form_view.team.setCurrentText("Web")
    page.test_rule()
    qtbot.waitUntil(lambda: not page.trial.isHidden(), timeout=20_000)
    assert page.trial_text.text().startswith("In November 2026 it matches 2 lines ($12.00)")
    page.save()
    qtbot.waitUntil(lambda: not page.panel.isHidden(), timeout=20_000)
    assert page.panel.title.text().startswith("Change rule 1 — effect on November 2026")
    assert page.panel.presenter.table.rows[0] == ["Web", "$0.00", "$12.00", "+$12.00"]
    _apply_preview(qtbot, window, page)
    assert page.presenter.table.rows[0][2] == "api_key is like k-*"
    assert window.undo_action.text() == "&Undo “Change rule 1”"
    with qtbot.waitSignal(window.editor.changed, timeout=20_000):
        window.undo_action.trigger()
    _loaded(qtbot, page)
    assert page.presenter.table.rows[0][2] == "api_key is k-data"


def test_add_move_and_delete(qtbot, unmapped_month):
    window, page = _window(qtbot, unmapped_month)
    page.new_rule()
    assert page.form_view.position is None and page.save_button.text() == "Add rule…"
    page.form_view.conditions.cellWidget(0, 0).setCurrentText("user")
    page.form_view.conditions.cellWidget(0, 1).setText("ann")
    page.form_view.team.setCurrentText("Web")
    page.form_view.label.setText("Ann's scripts")
    page.save()
    _apply_preview(qtbot, window, page)
    assert [r[1] for r in page.presenter.table.rows] == ["", "Ann's scripts"]
    # Move up with the button…
    page.select_row(1)
    page.up_button.click()
    _apply_preview(qtbot, window, page)
    assert [r[1] for r in page.presenter.table.rows] == ["Ann's scripts", ""]
    # The moved rule stays chosen.
    assert page.selected_row() == 0 and page.form_view.label.text() == "Ann's scripts"
    # …and back by a drop (what the table does when a row is dragged onto another).
    page.select_row(0)
    page.table.moved.emit(0, 1)
    _apply_preview(qtbot, window, page)
    assert [r[1] for r in page.presenter.table.rows] == ["", "Ann's scripts"]
    page.select_row(1)
    page.delete()
    qtbot.waitUntil(lambda: not page.panel.isHidden(), timeout=20_000)
    assert page.panel.title.text().startswith("Delete rule “Ann's scripts”")
    _apply_preview(qtbot, window, page)
    assert len(page.presenter.table.rows) == 1
    assert window.editor.edits.descriptions() == [
        "Add rule “Ann's scripts”",
        "Move rule “Ann's scripts” to position 1",
        "Move rule “Ann's scripts” to position 2",
        "Delete rule “Ann's scripts”",
    ]


def test_problems_are_flagged_while_typing_and_block_saving(qtbot, unmapped_month):
    window, page = _window(qtbot, unmapped_month)
    page.new_rule()
    qtbot.wait(300)
    assert page.form_view.problems.text() == ""  # nothing typed yet: nothing flagged
    page.form_view.conditions.cellWidget(0, 1).setText("(")
    page.form_view.match.setCurrentText("regex")
    page.form_view.team.setCurrentText("Web")
    qtbot.waitUntil(lambda: "invalid regex" in page.form_view.problems.text(), timeout=5_000)
    page.save()
    qtbot.waitUntil(lambda: not page.panel.isHidden(), timeout=20_000)
    assert not page.panel.apply_button.isEnabled()
    assert any("invalid regex" in p for p in page.panel.presenter.problems)
    assert window.editor.edits.position == 0


def test_a_change_made_from_a_page_shown_before_another_change_is_refused(unmapped_month):
    """Review finding: the page built its change from the policy of the moment it was saved,
    so a rule inserted elsewhere in between was silently replaced."""
    import pytest

    from app.services.policy_edits import EditRefused, EditStack
    from app.services.rule_changes import add_rule

    presenter = RulesPresenter(unmapped_month)
    presenter.reload()
    form = presenter.form_at(0)
    form.team = "Web"
    elsewhere = EditStack(unmapped_month)
    other = {"when": {"user": "ann"}, "match": "exact", "team": "Web", "label": "ann"}
    elsewhere.apply(add_rule(policy_state(unmapped_month), other, 1))
    change, _preview = presenter.save_task(form)()
    with pytest.raises(EditRefused) as refused:
        EditStack(unmapped_month).apply(change)
    assert "The policy was changed by" in refused.value.problems[0]
    from app.services.policy import current_document

    assert [r.label for r in current_document(unmapped_month).policy.rules] == ["ann", ""]
