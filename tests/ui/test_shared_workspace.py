"""File → Open shared workspace…, the recent list, and a read-only role's greyed window."""

from __future__ import annotations

import pytest

from app.services.importing import import_file
from app.services.workspaces import open_workspace, recent_workspaces, remember_workspace
from app.ui.main_window import MainWindow
from app.workspace.server_workspace import PasswordNeeded


@pytest.fixture
def shared_month(server_databases, data_dir):
    """A shared workspace with October's gateway usage; its URL."""
    url = server_databases.new_workspace_url()
    workspace = open_workspace(url)
    import_file(workspace, data_dir / "gateway_requests.csv")
    workspace.dispose()
    yield url
    server_databases.drop(url)


def _reader_url(server_databases, url):
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'team_lead') "
            "THEN CREATE ROLE team_lead LOGIN; END IF; END $$"
        )
        admin.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO team_lead")
    return url.replace("postgres@", "team_lead@")


def _window(qtbot):
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    return window


def _open_through_the_dialog(qtbot, window, url):
    dialog = window.open_shared()
    dialog.address.setText(url)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.buttons.accepted.emit()
    return dialog


def test_a_shared_workspace_opens_from_its_address_on_a_worker(qtbot, shared_month):
    window = _window(qtbot)
    _open_through_the_dialog(qtbot, window, shared_month)
    assert window.workspace is not None and window.workspace.shared
    assert window.statusBar().currentMessage().startswith("postgresql://postgres@")
    assert not window.read_only_banner.isVisible()
    assert window.windowTitle() == "test (shared: " + window.workspace.label + ") — Chargeback Desk"
    assert window.workspace.label.endswith(" on this computer")
    assert window.file_actions["_import_files"].isEnabled()
    window.show_page("dashboard")
    qtbot.waitUntil(
        lambda: not window.dashboard.loading and not window.dashboard.dirty, timeout=20_000
    )
    assert window.dashboard.month.currentText() == "October 2026"


def test_a_wrong_address_is_said_in_the_dialog_and_can_be_corrected(qtbot, tmp_path):
    window = _window(qtbot)
    dialog = window.open_shared()
    dialog.address.setText("/tmp/a.cbdesk")
    assert "starts with postgresql://" in dialog.status.text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Open).isEnabled()
    dialog.address.setText(f"postgresql://nobody@/nothing?host={tmp_path}")
    dialog.connect_now()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=20_000)
    assert "cannot reach the workspace's database server" in dialog.status.text()
    assert dialog.address.isEnabled() and dialog.isVisible() and window.workspace is None


def test_a_server_asking_for_a_password_gets_it_asked_in_the_dialog(qtbot, monkeypatch):
    import app.ui.shared_workspace_dialog as module

    asked = []

    def open_with(url, password=None):
        asked.append(password)
        raise PasswordNeeded("finance on db asks for a password", url)

    monkeypatch.setattr(module, "open_workspace", open_with)
    window = _window(qtbot)
    dialog = window.open_shared("postgresql://anna@db/finance")
    dialog.connect_now()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=20_000)
    assert "asks for a password: type it above" in dialog.status.text() and dialog.isVisible()
    dialog.password.setText("s3cret")
    dialog.connect_now()
    qtbot.waitUntil(lambda: dialog.worker is None and len(asked) == 2, timeout=20_000)
    assert asked == [None, "s3cret"]


def test_the_recent_list_keeps_shared_workspaces_without_their_password(tmp_path):
    file = tmp_path / "mine.cbdesk"
    file.write_bytes(b"")
    remember_workspace("postgresql://anna:s3cret@db.example.com:5432/finance")
    remember_workspace(file)
    assert recent_workspaces() == [file, "postgresql://anna@db.example.com:5432/finance"]
    from app.services.workspaces import data_dir

    assert "s3cret" not in (data_dir() / "recent.json").read_text("utf-8")


def test_a_read_only_role_sees_every_page_with_what_it_cannot_do_greyed(
    qtbot, server_databases, shared_month
):
    window = _window(qtbot)
    _open_through_the_dialog(qtbot, window, _reader_url(server_databases, shared_month))
    assert window.workspace.read_only
    assert window.read_only_banner.text() == (
        "Read-only (role team_lead): showback and exports only"
    )
    reason = window.read_only_banner.toolTip()
    assert "team_lead" in reason and "editor role" in reason
    assert not window.file_actions["_import_files"].isEnabled()
    assert not window.undo_action.isEnabled()
    window.show_page("invoices")
    page = window.invoices
    qtbot.waitUntil(lambda: not page.loading and not page.dirty, timeout=20_000)
    assert page.presenter.can_close  # the month could be closed by an editor…
    assert not page.close_button.isEnabled()  # …but not by this role, and it says why
    assert page.close_button.toolTip() == reason
    page.close_button.setEnabled(True)  # the page's own logic cannot turn it back on
    assert not page.close_button.isEnabled()
    assert page.lines.model().rowCount() > 0  # showback is all there
    for name in ("imports", "rules", "taxonomy", "pools", "prices", "budgets", "unallocated"):
        window.show_page(name)
        widget = window.stack.currentWidget()
        assert all(not control.isEnabled() for control in widget.write_controls()), name


def test_a_password_in_the_address_goes_to_the_password_field(qtbot):
    window = _window(qtbot)
    dialog = window.open_shared("postgresql://anna@db.example.com/finance?password=s3cret")
    assert dialog.address.text() == "postgresql://anna@db.example.com/finance"
    assert dialog.password.text() == "s3cret"
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password


def test_the_recent_menu_names_each_shared_workspace_with_its_role(qtbot, tmp_path):
    remember_workspace("postgresql://team_lead@db.example.com/finance")
    remember_workspace("postgresql://anna:pw@db.example.com/finance")
    window = _window(qtbot)
    window._fill_recent_menu()
    labels = [action.text() for action in window.recent_menu.actions()]
    assert labels == [
        "finance on db.example.com as anna (shared)",
        "finance on db.example.com as team_lead (shared)",
    ]
