"""The welcome view, shown when no workspace is open: new, open (a file or a shared one), or the
demo."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class WelcomeView(QWidget):
    """Four ways in; the main window does the work when a button is pressed."""

    new_requested = Signal()
    open_requested = Signal()
    shared_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Chargeback Desk")
        title.setObjectName("pageTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            "Turn your Claude bill into cost per team.\n"
            "Create a workspace and import your usage exports, or explore the demo."
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        layout.addWidget(text)
        for label, signal in (
            ("New workspace…", self.new_requested),
            ("Open workspace…", self.open_requested),
            ("Open shared workspace…", self.shared_requested),
            ("Open the demo workspace", self.demo_requested),
        ):
            button = QPushButton(label)
            button.setMinimumWidth(260)
            button.clicked.connect(signal.emit)
            layout.addWidget(button, alignment=Qt.AlignmentFlag.AlignCenter)
