"""Unexpected errors in the window: written to the log file with their traceback, and shown
in a dialog that says what happened and where the log is — a windowed build has no console,
so an error must never just vanish (nor quit the window)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QThread, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from app.logging_setup import current_log_file

log = logging.getLogger(__name__)

_shown: list[QMessageBox] = []
"""The dialogs on screen (kept referenced while open)."""


def crash_text(error: BaseException, log_file: Path | None) -> str:
    """What the dialog says about ``error``."""
    what = str(error) or type(error).__name__
    where = (
        f"The details are in the log file:\n{log_file}"
        if log_file is not None
        else "The log file could not be written (the log folder is not writable)."
    )
    return (
        f"Chargeback Desk hit an unexpected error: {what}\n\n"
        f"Everything saved before is kept; nothing is ever saved half-way. {where}\n\n"
        f"Please send the log file with a short note of what you were doing."
    )


def report(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> QMessageBox | None:
    """Log an unexpected error and show it (returns the dialog, for tests)."""
    log.error("Unexpected error", exc_info=(kind, error, trace))
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return None  # off the UI thread: logged only (no widget may be made there)
    if _shown:
        return None  # one dialog at a time: an error that repeats (a paint) is logged only
    log_file = current_log_file()
    box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error", crash_text(error, log_file))
    if log_file is not None:
        folder = box.addButton("Open the log folder", QMessageBox.ButtonRole.ActionRole)
        folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file.parent)))
        )
    box.addButton(QMessageBox.StandardButton.Close)
    box.finished.connect(lambda _result: _shown.remove(box) if box in _shown else None)
    _shown.append(box)
    box.open()
    return box


def report_now(error: BaseException) -> None:
    """Show an error that ends the program before its window runs (a windowed build has no
    console to print it to): logged, and shown in a dialog the user closes."""
    log.error("The program could not start", exc_info=error)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if QThread.currentThread() is not app.thread():
        return
    QMessageBox.critical(
        None, "Chargeback Desk could not start", crash_text(error, current_log_file())
    )


def install() -> None:
    """Route unexpected errors of the UI thread (Qt's slots included) to :func:`report`."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        report(kind, error, trace)

    sys.excepthook = hook
