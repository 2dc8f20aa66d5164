"""The audit log page: entries in words with who made them, filters, and a change's before and
after readable; the page reads on a worker and follows changes."""

from __future__ import annotations

from app.services.closing import close_period
from app.services.mapping_changes import map_to_team
from app.services.policy_edits import EditStack, policy_state
from app.services.unallocated import unallocated_queue
from app.ui.main_window import MainWindow
from app.ui.presentation.audit import AuditPresenter
from app.workspace.audit import current_actor


def _map_k_big(workspace):
    value = next(v for v in unallocated_queue(workspace, "2026-11").values if v.value == "k-big")
    stack = EditStack(workspace)
    stack.apply(map_to_team(policy_state(workspace), value, "Web"))
    return stack


def test_entries_read_as_who_what_and_the_change(unmapped_month):
    stack = _map_k_big(unmapped_month)
    stack.undo()
    close_period(unmapped_month, "2026-10")
    presenter = AuditPresenter(unmapped_month)
    presenter.reload()
    rows = presenter.table.rows
    assert [r[2] for r in rows] == [
        "Month closed",
        "Change undone",
        "Policy changed",
        "File imported",
        "Policy file applied",
    ]
    assert rows[0][3] == "2026-10: 0 invoices, total $0.00"
    assert rows[2][3] == "Map API key k-big to Web"
    assert all(r[1] == current_actor() for r in rows)
    details = presenter.details_of(2)
    assert details[0].startswith("Policy changed on ")
    assert details[0].endswith(f"by {current_actor()}.")
    assert details[1].startswith("Made “Map API key k-big to Web” (policy version ")
    assert details[2] == "Added rule: when api_key is k-big → team Web (“API key k-big”)"
    undone = presenter.details_of(1)
    assert undone[2] == "Removed rule: when api_key is k-big → team Web (“API key k-big”)"


def test_filters_by_kind_and_words(unmapped_month):
    _map_k_big(unmapped_month)
    presenter = AuditPresenter(unmapped_month)
    presenter.reload()
    presenter.set_filter("Policy", "")
    assert [r[2] for r in presenter.table.rows] == ["Policy changed", "Policy file applied"]
    presenter.set_filter("Every change", "k-big web")
    assert [r[3] for r in presenter.table.rows] == ["Map API key k-big to Web"]
    assert presenter.note.startswith("1 of 3 changes")
    presenter.set_filter("Month closes", "")
    assert presenter.table.rows == [] and presenter.details_of(0) == []


def test_the_page_follows_changes_and_shows_details(qtbot, unmapped_month):
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(unmapped_month)
    window.show_page("audit")
    page = window.audit
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    assert len(page.presenter.table.rows) == 2
    _map_k_big(unmapped_month)
    window.workspace_changed.emit()
    qtbot.waitUntil(lambda: not page.dirty and not page.loading, timeout=20_000)
    assert page.presenter.table.rows[0][3] == "Map API key k-big to Web"
    page.words.setText("k-big")
    assert len(page.presenter.table.rows) == 1
    page.table.selectRow(0)
    assert "Added rule: when api_key is k-big" in page.detail.toPlainText()
