"""Workers deliver on the UI thread whatever is connected: a lambda that touches a widget must
never run on the worker's thread (Qt would paint from two threads)."""

from __future__ import annotations

import threading

from app.domain.progress import Cancelled
from app.ui.workers import TaskWorker


def _run(qtbot, task):
    worker = TaskWorker(task)
    seen = []
    for name in ("finished", "failed", "cancelled", "progressed"):
        getattr(worker, name).connect(
            lambda *args, name=name: seen.append((name, threading.current_thread().name))
        )
    worker.start()
    qtbot.waitUntil(lambda: any(n != "progressed" for n, _ in seen), timeout=10_000)
    worker.wait()
    return seen


def test_results_of_every_kind_arrive_on_the_ui_thread(qtbot):
    main = threading.current_thread().name

    def fine(progress, _cancel):
        progress(0.5, "half")
        return 1

    def broken(_progress, _cancel):
        raise ValueError("no")

    def stopped(_progress, _cancel):
        raise Cancelled()

    assert _run(qtbot, fine) == [("progressed", main), ("finished", main)]
    assert _run(qtbot, broken) == [("failed", main)]
    assert _run(qtbot, stopped) == [("cancelled", main)]


def test_a_worker_ends_only_once_its_result_is_delivered(qtbot):
    """A page lets its workers go when they end; a worker let go with its result still queued
    would drop it (a page left loading nothing). ``ended`` comes after the result."""
    order = []
    worker = TaskWorker(lambda _progress, _cancel: 1)
    worker.finished.connect(lambda _result: order.append("finished"))
    worker.ended.connect(lambda: order.append("ended"))
    worker.start()
    qtbot.waitUntil(lambda: "ended" in order, timeout=10_000)
    assert order == ["finished", "ended"] and worker.is_ended
    worker.wait()


def test_a_database_error_is_told_in_words_never_as_sql(qtbot):
    """A page load or import that meets a database error (a dropped connection, a server's
    statement timeout) shows a sentence, not SQLAlchemy's text with the statement."""
    import sqlite3

    from sqlalchemy.exc import OperationalError, ProgrammingError

    from app.services.workspaces import DATABASE_FAULT

    cases = [
        (
            OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked")),
            "Another process is writing to the workspace",
        ),
        (ProgrammingError("SELECT secret FROM usage_lines", {}, Exception("boom")), DATABASE_FAULT),
        (ValueError("period must be YYYY-MM, not '2026-13'"), "period must be YYYY-MM"),
    ]
    for error, expected in cases:
        messages = []
        worker = TaskWorker(lambda _p, _c, error=error: (_ for _ in ()).throw(error))
        worker.failed.connect(messages.append)
        worker.start()
        qtbot.waitUntil(lambda messages=messages: bool(messages), timeout=10_000)
        worker.wait()
        assert messages[0].startswith(expected), messages
        assert "SELECT" not in messages[0] and "sqlalche.me" not in messages[0]
