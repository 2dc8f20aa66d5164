"""The Disputes page: record a dispute in its dialog, accept one, filter, and see the move in
words; refusals stay in the dialog; read-only workspaces grey the buttons."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from app.services.closing import close_period
from app.services.disputes import list_disputes, record_dispute
from app.services.importing import import_file
from app.services.policy import apply_policy_file
from app.services.workspaces import create_workspace
from app.ui.dispute_dialogs import AcceptDisputeDialog, RecordDisputeDialog
from app.ui.disputes_page import DisputesPage
from app.ui.presentation.disputes import DisputesPresenter
from tests.services.test_disputes import POLICY, USAGE


@pytest.fixture
def september_closed(tmp_path):
    workspace = create_workspace(tmp_path / "d.cbdesk")
    (tmp_path / "p.toml").write_text(POLICY, encoding="utf-8")
    apply_policy_file(workspace, tmp_path / "p.toml")
    (tmp_path / "u.csv").write_text(USAGE, encoding="utf-8")
    import_file(workspace, tmp_path / "u.csv")
    close_period(workspace, "2026-09")
    yield workspace
    workspace.dispose()


def _page(qtbot, workspace):
    page = DisputesPage(DisputesPresenter(workspace))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.load()
    return page


def _save(qtbot, dialog):
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        dialog.ok.click()


def test_a_dispute_is_recorded_in_the_dialog_then_accepted(qtbot, september_closed):
    page = _page(qtbot, september_closed)
    assert page.presenter.table.rows == []
    assert page.record_button.isEnabled() and not page.accept_button.isEnabled()
    dialog = RecordDisputeDialog(page.presenter, page)
    qtbot.addWidget(dialog)
    assert dialog.month.currentData() == "2026-09"
    dialog.team.setCurrentText("Web")
    assert dialog.line.currentText() == "claude-haiku-4-5 — $5.00"
    assert dialog.amount.text() == "5.00"
    dialog.amount.setText("1.25")
    dialog.raised_by.setText("Dana (Web lead)")
    dialog.reason.setPlainText("staging traffic")
    _save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.message == "D-1 recorded: Web contests $1.25 of claude-haiku-4-5"
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.load()
    assert page.presenter.table.rows[0][:6] == [
        "D-1",
        "Open",
        "Sep 26",
        "Web",
        "claude-haiku-4-5",
        "$1.25",
    ]
    assert page.accept_button.isEnabled()
    assert "Raised by Dana (Web lead): staging traffic" in page.detail.toPlainText()
    accept = AcceptDisputeDialog(page.presenter, page.presenter.shown[0], page)
    qtbot.addWidget(accept)
    assert [accept.move_to.itemText(i) for i in range(accept.move_to.count())] == [
        "Data",
        "Ops",
        "Unallocated",
    ]
    accept.move_to.setCurrentText("Data")
    _save(qtbot, accept)
    assert accept.message == "D-1 accepted: $1.25 moves from Web to Data in October 2026"
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.load()
    assert page.presenter.table.rows[0][1:] == [
        "Accepted",
        "Sep 26",
        "Web",
        "claude-haiku-4-5",
        "$1.25",
        "$1.25",
        "Data",
        "October 2026 draft",
    ]
    assert not page.accept_button.isEnabled()


def test_a_refusal_stays_in_the_dialog_with_what_was_typed(qtbot, september_closed):
    page = _page(qtbot, september_closed)
    dialog = RecordDisputeDialog(page.presenter, page)
    qtbot.addWidget(dialog)
    dialog.team.setCurrentText("Web")
    dialog.amount.setText("9")
    dialog.raised_by.setText("Dana")
    dialog.reason.setPlainText("why")
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.problem.isVisibleTo(dialog), timeout=20_000)
    assert dialog.ok.isEnabled()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.problem.text().startswith("amount: 9.00 is more than is left to contest")
    assert dialog.amount.text() == "9"
    assert list_disputes(september_closed) == []


def test_the_filters_narrow_the_list(qtbot, september_closed):
    for team, amount in (("Web", "1"), ("Data", "1"), ("Web", "2")):
        record_dispute(september_closed, "2026-09", team, "1", amount, "lead", "why")
    page = _page(qtbot, september_closed)
    dialog = RecordDisputeDialog(page.presenter, page)
    qtbot.addWidget(dialog)
    dialog.team.setCurrentText("Web")
    assert dialog.amount.text() == "2.00"  # $5.00, less the $3.00 already contested
    assert [r[0] for r in page.presenter.table.rows] == ["D-3", "D-2", "D-1"]
    page.team_filter.setCurrentText("Web")
    assert [r[0] for r in page.presenter.table.rows] == ["D-3", "D-1"]
    assert "3 open, $4.00 contested · 2 of 3 shown" in page.note.text()
    page.status_filter.setCurrentText("Rejected")
    assert page.presenter.table.rows == []
