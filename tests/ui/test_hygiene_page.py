"""The Hygiene page: coverage, spellings with *Add as aliases* (an undoable policy change made
on the editor's worker), and the model-use rules with their breaches."""

from __future__ import annotations

from app.services.importing import import_file
from app.services.policy import apply_policy_file
from app.services.workspaces import create_workspace
from app.ui.hygiene_page import HygienePage
from app.ui.policy_editor import PolicyEditor
from app.ui.presentation.hygiene import HygienePresenter
from tests.services.test_governance import LOG, POLICY


def test_the_page_shows_findings_and_adds_aliases(qtbot, tmp_path):
    workspace = create_workspace(tmp_path / "h.cbdesk")
    try:
        (tmp_path / "p.toml").write_text(POLICY, encoding="utf-8")
        apply_policy_file(workspace, tmp_path / "p.toml")
        (tmp_path / "log.csv").write_text(LOG, encoding="utf-8")
        import_file(workspace, tmp_path / "log.csv")
        editor = PolicyEditor(workspace)
        presenter = HygienePresenter(workspace)
        presenter.last_month, presenter.months = "2026-10", 1
        page = HygienePage(presenter, editor)
        qtbot.addWidget(page)
        with qtbot.waitSignal(page.loaded, timeout=20_000):
            page.show()  # a page loads when shown
        assert presenter.coverage.rows == [
            ["Oct 26", "gateway", "$36.00", "55.6%", "27.8%", "88.9%"]
        ]
        assert presenter.coverage.alerts == {0: "warning"}
        assert [row[1] for row in presenter.spelling_table.rows] == [
            "Data",
            "Stage (not in the policy)",
        ]
        assert [row[0] for row in presenter.rules.rows] == [
            "Non-production must not use Opus",
            "Development runs in batch",
            "No fast mode outside production",
        ]
        assert presenter.breaches.rows[0] == ["Web", "dev", "claude-opus-4-7", "$10.00", "$6.00"]
        page.spellings.selectRow(1)
        assert not page.add_aliases.isEnabled()  # Stage is not a name in the policy
        page.spellings.selectRow(0)
        assert page.add_aliases.isEnabled()
        with qtbot.waitSignals([editor.changed, page.loaded], timeout=20_000, order="strict"):
            page.add_aliases.click()  # the page on screen reloads after the change
        assert [row[1] for row in presenter.spelling_table.rows] == ["Stage (not in the policy)"]
        assert presenter.coverage.rows[0][3] == "66.7%"  # Data_Team's $4 now reaches Data
        assert editor.edits.can_undo
    finally:
        workspace.dispose()
