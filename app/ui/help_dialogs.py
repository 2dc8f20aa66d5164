"""The Help menu's windows: the user guide, the keyboard shortcuts, About."""

from __future__ import annotations

from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.ui.presentation.help import (
    Command,
    about_text,
    component_versions,
    guide_text,
    shortcuts_table,
)
from app.ui.widgets import FinanceTable


def _dialog(parent: QWidget, title: str, body: QWidget, size: tuple[int, int]) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.resize(*size)
    layout = QVBoxLayout(dialog)
    layout.addWidget(body, 1)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return dialog


def guide_dialog(parent: QWidget) -> QDialog:
    """The user guide, as Markdown rendered; links to other documents are not followed."""
    browser = QTextBrowser()
    browser.setOpenLinks(False)
    browser.setMarkdown(guide_text())
    return _dialog(parent, "Chargeback Desk — user guide", browser, (760, 640))


def window_commands(window: QMainWindow) -> list[Command]:
    """The commands of the window's menus, with their keys."""
    found = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        for action in menu.actions():
            if isinstance(action, QAction) and not action.isSeparator():
                keys = tuple(s.toString(s.SequenceFormat.NativeText) for s in action.shortcuts())
                name = action.text().replace("&", "").split(" “")[0].strip("←→ ")
                found.append(Command(menu_action.text().replace("&", ""), name, keys))
    return found


def shortcuts_dialog(window: QMainWindow) -> QDialog:
    table = FinanceTable(shortcuts_table(window_commands(window)), stretch_column=1)
    return _dialog(window, "Keyboard shortcuts", table, (560, 460))


def show_about(parent: QWidget) -> None:
    QMessageBox.about(parent, "About Chargeback Desk", about_text(component_versions(), qVersion()))
