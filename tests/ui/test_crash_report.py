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


def test_one_dialog_at_a_time_and_none_off_the_ui_thread(qtbot):
    import threading

    error = RuntimeError("paint failed")
    first = report(RuntimeError, error, None)
    assert first is not None
    assert report(RuntimeError, error, None) is None  # a repeating error: logged only
    first.close()
    qtbot.waitUntil(lambda: report.__globals__["_shown"] == [], timeout=5_000)
    found = []
    worker = threading.Thread(target=lambda: found.append(report(RuntimeError, error, None)))
    worker.start()
    worker.join()
    assert found == [None]


def test_an_error_before_the_window_runs_is_shown_when_there_is_no_console(
    qtbot, monkeypatch, capsys
):
    """A windowed build has no stderr: a failure before the window runs gets a dialog."""
    from app import cli

    shown = []
    monkeypatch.setattr(
        "app.ui.crash_report.QMessageBox.critical", lambda *args: shown.append(args[1:])
    )
    monkeypatch.setattr(sys, "stderr", None)

    def broken(_args):
        raise RuntimeError("no window today")

    monkeypatch.setitem(cli.COMMANDS, "formats", broken)
    assert cli.main(["formats"]) == cli.EXIT_ERROR
    assert shown and shown[0][0] == "Chargeback Desk could not start"
    assert "no window today" in shown[0][1]
