"""Starting the GUI: the application object, which workspace to open, screenshots."""

from __future__ import annotations

import logging
import os
import sys
from importlib import resources
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app.services.workspaces import (
    Workspace,
    WorkspaceError,
    is_server_location,
    last_workspace,
    open_workspace,
)
from app.ui import crash_report
from app.ui.file_open import WorkspaceOpener
from app.ui.locale_style import use_system_style
from app.ui.main_window import MainWindow
from app.ui.presentation.navigation import PAGE_NAMES

log = logging.getLogger(__name__)

SCREENSHOT_SIZE = tuple(
    int(v) for v in os.environ.get("CHARGEBACK_DESK_SCREENSHOT_SIZE", "1280x800").split("x")
)
"""Size of --screenshot renders (CHARGEBACK_DESK_SCREENSHOT_SIZE=1024x700 for the small one)."""


LINUX_PACKAGES = (
    "libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0 "
    "libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 "
    "libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1"
)
"""What a Debian or Ubuntu desktop needs for Qt's window system plugin (README, Linux)."""


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    """Qt's own chatter goes to the log file, not the user's terminal — except why it cannot
    start, which the user must see before Qt ends the process."""
    level = (
        logging.WARNING
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        else logging.DEBUG
    )
    log.log(level, "Qt: %s", message)
    if kind == QtMsgType.QtFatalMsg:
        hint = (
            f"\nOn Linux, install the system packages Qt needs (Debian/Ubuntu: {LINUX_PACKAGES}), "
            "or run headless with QT_QPA_PLATFORM=offscreen."
            if sys.platform.startswith("linux")
            else ""
        )
        print(f"chargeback-desk: the window cannot start: {message}{hint}", file=sys.stderr)


def _application() -> QApplication:
    qInstallMessageHandler(_qt_message)
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Chargeback Desk")
        app.setOrganizationName("Chargeback Desk")
        app.setWindowIcon(QIcon(str(resources.files("resources").joinpath("icon.png"))))
    return app  # type: ignore[return-value]


def _settle(app: QApplication, window: MainWindow, seconds: float = 120.0) -> None:
    """Run the event loop until the page on screen has loaded its data (and painted). The loop
    blocks between events: spinning would take the interpreter from the worker."""
    page = window.stack.currentWidget()
    if getattr(page, "loading", False):
        loop = QEventLoop()
        page.loaded.connect(loop.quit)
        page.load_failed.connect(loop.quit)
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        if getattr(page, "loading", False):
            loop.exec()
    for _ in range(5):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def run_gui(workspace: Path | str | None, demo: bool, page: str, screenshot: Path | None) -> int:
    """Open the window; with ``screenshot``, render it to a PNG and return instead."""
    app = _application()
    use_system_style()
    opener = WorkspaceOpener(app)
    app.installEventFilter(opener)
    if screenshot is None:
        crash_report.install()  # a windowed build has no console: errors get a dialog
        app.processEvents()  # a workspace double-clicked in the Finder arrives now (macOS)
    path = workspace
    if demo:
        from app.services.demo import ensure_demo_workspace

        path = ensure_demo_workspace()
    elif path is None and screenshot is None and not opener.waiting:
        path = last_workspace()
    opened: Workspace | None = None
    shared_later = None
    if path is not None and is_server_location(path) and screenshot is None:
        shared_later = str(path)  # connected on a worker once the window shows
    elif path is not None:
        try:
            opened = open_workspace(path)
        except WorkspaceError as exc:
            if screenshot is not None:
                print(f"chargeback-desk: {exc}", file=sys.stderr)
                return 2
            QMessageBox.warning(None, "Cannot open workspace", str(exc))
    window = MainWindow(remember=screenshot is None)
    if opened is not None:
        window.set_workspace(opened)
        window.show_page(page if page in PAGE_NAMES else "dashboard")
    if screenshot is not None:
        window.resize(*SCREENSHOT_SIZE)
        window.show()
        _settle(app, window)
        saved = window.grab().save(str(screenshot), "PNG")
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents()
        return 0 if saved else 1
    window.resize(1280, 800)
    window.show()
    if shared_later is not None:
        window.open_location(shared_later)
    opener.attach(window)
    return app.exec()
