"""Workspaces opened from the operating system: on macOS a double-clicked ``.cbdesk`` file (or
one dropped on the Dock icon) reaches the app as a file-open event, not as an argument — and it
may arrive before the window exists, so paths are kept until one does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFileOpenEvent

from app.ui.main_window import MainWindow


class WorkspaceOpener(QObject):
    """Installed on the application as soon as it exists: opens each ``.cbdesk`` file the
    system hands it in the window, or keeps it for the window to come."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window: MainWindow | None = None
        self.waiting: list[Path] = []

    def attach(self, window: MainWindow) -> None:
        """The window exists: open what arrived before it (the last one wins)."""
        self.window = window
        if self.waiting:
            window.open_path(self.waiting[-1])
            self.waiting.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = Path(event.file())
            if path.suffix == ".cbdesk":
                if self.window is None:
                    self.waiting.append(path)
                else:
                    self.window.open_path(path)
                return True
        return super().eventFilter(watched, event)
