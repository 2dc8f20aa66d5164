"""Greying what a read-only workspace cannot do, and saying why.

A role that may only read a shared workspace (or a file the user cannot write) sees every page
and export; the controls that would change it — import, close, edit, apply — stay greyed with
the reason as their tooltip, however the page's own logic would enable them.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget


class WriteControlsLock(QObject):
    """Keeps ``widgets`` disabled with ``reason`` as their tooltip while it lives."""

    def __init__(self, reason: str, widgets: Iterable[QWidget], parent: QObject) -> None:
        super().__init__(parent)
        self.reason = reason
        self.widgets = list(widgets)
        for widget in self.widgets:
            widget.setToolTip(reason)
            widget.setEnabled(False)
            widget.setProperty("lockedReadOnly", True)  # pages leave its tooltip alone
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.EnabledChange
            and isinstance(watched, QWidget)
            and watched.isEnabled()
        ):
            watched.setEnabled(False)
        return False


def lock_actions(reason: str, actions: Iterable[QAction]) -> None:
    """Grey menu actions that would change the workspace, with the reason as their tip."""
    for action in actions:
        action.setEnabled(False)
        action.setToolTip(reason)
        action.setStatusTip(reason)
