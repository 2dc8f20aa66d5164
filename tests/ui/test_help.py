"""The Help menu: the user guide from the package, every shortcut of the window, About."""

from __future__ import annotations

from app import __version__
from app.ui.help_dialogs import window_commands
from app.ui.main_window import MainWindow
from app.ui.presentation.help import (
    Command,
    about_text,
    component_versions,
    guide_text,
    shortcuts_table,
)


def test_the_guide_covers_the_editors_and_undo():
    text = guide_text()
    assert text.startswith("# Chargeback Desk — user guide")
    for words in ("**Rules**", "**Unallocated**", "Edit → Undo", "Test this rule"):
        assert words in text


def test_shortcuts_list_commands_with_keys_only():
    table = shortcuts_table(
        [Command("Edit", "Undo", ("Ctrl+Z",)), Command("File", "Export policy…", ())]
    )
    assert table.rows == [["Edit", "Undo", "Ctrl+Z"]]


def test_about_names_the_versions():
    versions = component_versions()
    assert versions[0] == ("Chargeback Desk", __version__)
    assert {name for name, _ in versions} >= {"Python", "SQLAlchemy", "pandas", "openpyxl"}
    text = about_text(versions, "6.9.0")
    assert f"Chargeback Desk {__version__}" in text and "<td>Qt</td>" in text


def test_help_menu_opens_its_windows(qtbot):
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    commands = window_commands(window)
    keys = {c.name: c.keys for c in commands}
    assert "Ctrl+Z" in keys["Undo"] and "Ctrl+Shift+Z" in keys["Redo"]
    assert keys["Back"][0] == "Alt+Left"
    assert "F1" in keys["User guide"]
    window.guide_action.trigger()
    assert window.help_window is not None
    assert (
        "Test this rule"
        in window.help_window.findChild(
            __import__("PySide6.QtWidgets", fromlist=["QTextBrowser"]).QTextBrowser
        ).toPlainText()
    )
    window.help_window.close()
