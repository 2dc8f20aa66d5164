"""Workspaces opened from the operating system: on macOS a double-clicked ``.cbdesk`` file (or
one dropped on the Dock icon) reaches the app as a file-open event, not as an argument."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFileOpenEvent

from app.ui.main_window import MainWindow


class WorkspaceOpener(QObject):
    """Installed on the application: opens each ``.cbdesk`` file the system hands it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = Path(event.file())
            if path.suffix == ".cbdesk":
                self.window.open_path(path)
                return True
        return super().eventFilter(watched, event)
