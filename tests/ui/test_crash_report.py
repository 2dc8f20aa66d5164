"""An unexpected error in the window is logged and shown with where the log is (a windowed
build has no console)."""

from __future__ import annotations

import logging
import sys

from app.ui.crash_report import crash_text, install, report


def test_the_dialog_says_what_happened_and_where_the_log_is(qtbot, tmp_path, caplog):
    try:
        raise RuntimeError("the month could not be read")
    except RuntimeError:
        kind, error, trace = sys.exc_info()
    with caplog.at_level(logging.ERROR):
        box = report(kind, error, trace)
    assert "Unexpected error" in caplog.text and "RuntimeError" in caplog.text
    assert (box is not None and box.isVisible()) or box is not None
    assert "the month could not be read" in box.text()
    box.close()
    assert "The details are in the log file:\n" + str(tmp_path) in crash_text(error, tmp_path)
    assert "could not be written" in crash_text(error, None)


def test_install_routes_errors_to_the_report(monkeypatch):
    seen = []
    monkeypatch.setattr("app.ui.crash_report.report", lambda *args: seen.append(args))
    before = sys.excepthook
    try:
        install()
        sys.excepthook(ValueError, ValueError("x"), None)
    finally:
        sys.excepthook = before
    assert seen and seen[0][0] is ValueError
