"""Several real processes writing one workspace file: serialized, waiting visibly, never double.

Regression tests for issue 8, cases 2 (usage imported while ``close`` runs was billed nowhere) and
3 (concurrent imports: both overlapping exports kept, UNIQUE tracebacks, "database is locked").
Each test holds the workspace's write lock itself, starts ``chargeback-desk`` processes that must
wait for it (and say so), then lets them go at once.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest

from app.services.closing import close_period
from app.services.importing import import_file
from app.services.invoices import invoice_document
from app.services.policy import apply_policy_file
from app.services.reporting import cost_report

HEADER = "timestamp,request_id,team,model,input_tokens,output_tokens\n"
CONSOLE_HEADER = (
    "usage_date_utc,model_version,api_key,workspace,usage_type,context_window,"
    "usage_input_tokens_no_cache,usage_input_tokens_cache_write_5m,"
    "usage_input_tokens_cache_write_1h,usage_input_tokens_cache_read,usage_output_tokens,"
    "web_search_count,inference_geo,speed\n"
)


class Process:
    """A ``chargeback-desk`` process whose stderr is read as it comes."""

    def __init__(self, *args: str) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "app", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.err: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.popen.stderr:
            self.err.append(line)

    def wait_for(self, text: str, timeout: float = 60) -> bool:
        """True once stderr says ``text``; False if the process ended first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.err):
                return True
            if self.popen.poll() is not None:
                self._reader.join(5)
                return any(text in line for line in self.err)
            time.sleep(0.05)
        raise AssertionError(f"no {text!r} after {timeout} s: {self.err}")

    def finish(self) -> tuple[int, str, str]:
        out, _ = self.popen.communicate(timeout=120)
        self._reader.join(5)
        return self.popen.returncode, out, "".join(self.err)


class WriteLock:
    """Holds the workspace's write lock, as another writer in the middle of its work would:
    a file's ``BEGIN IMMEDIATE``, or a server's transaction-level advisory lock."""

    def __init__(self, workspace) -> None:
        if workspace.shared:
            import psycopg

            from app.workspace.postgres_engine import WRITE_LOCK_KEY, sqlalchemy_url

            url = sqlalchemy_url(workspace.url).set(drivername="postgresql")
            self.conn = psycopg.connect(url.render_as_string(hide_password=False))
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        else:
            self.conn = sqlite3.connect(workspace.path, isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.close()


def _gateway(tmp_path, name, day, request_id, dollars):
    path = tmp_path / name
    path.write_text(
        HEADER + f"{day}T10:00:00Z,{request_id},data-team,claude-haiku-4-5,{dollars}000000,0\n"
    )
    return path


def _imports_released_together(workspace, paths):
    """Start one import process per path while a lock holds them all waiting, then let them
    race; ``(exit code, stdout, stderr)`` of each."""
    lock = WriteLock(workspace)
    importers = [Process("-w", workspace.location, "import", str(p)) for p in paths]
    try:
        for process in importers:
            assert process.wait_for("Waiting")
    finally:
        lock.release()
    return [process.finish() for process in importers]


def test_a_second_writer_waits_and_says_so_instead_of_failing(workspace, tmp_path):
    path = _gateway(tmp_path, "a.csv", "2026-10-05", "r1", 3)
    lock = WriteLock(workspace)
    importer = Process("-w", workspace.location, "import", str(path))
    try:
        assert importer.wait_for("Waiting")
        if not workspace.shared:
            time.sleep(6)  # longer than SQLite's default busy timeout of 5 s
    finally:
        lock.release()
    code, _out, err = importer.finish()
    assert code == 0, err
    assert "Traceback" not in err and "locked" not in err
    assert cost_report(workspace, "2026-10").total == 3


def test_the_same_file_imported_three_times_at_once_is_kept_once(workspace, tmp_path):
    path = _gateway(tmp_path, "a.csv", "2026-10-05", "r1", 3)
    results = _imports_released_together(workspace, [path, path, path])
    assert [code for code, _, _ in results] == [0, 0, 0], results
    assert sum("already imported" in out for _, out, _ in results) == 2
    assert all("Traceback" not in err and "UNIQUE" not in err for _, _, err in results)
    assert cost_report(workspace, "2026-10").total == 3


def test_overlapping_exports_imported_at_once_are_not_both_kept(workspace, tmp_path):
    rows = [
        "2026-07-03 01:00,claude-haiku-4-5,key-a,Default,standard,≤ 200k,1000000,0,0,0,0,0,global,",
        "2026-07-03 02:00,claude-haiku-4-5,key-a,Default,standard,≤ 200k,2000000,0,0,0,0,0,global,",
    ]
    part = tmp_path / "part.csv"
    part.write_text(CONSOLE_HEADER + rows[0] + "\n")
    whole = tmp_path / "whole.csv"
    whole.write_text(CONSOLE_HEADER + "\n".join(rows) + "\n")
    results = _imports_released_together(workspace, [part, whole])
    assert all("Traceback" not in err for _, _, err in results), results
    # Whichever came first, the whole export's $3 is there once.
    assert cost_report(workspace, "2026-07").total == 3


POLICY = """
version = 1
[[teams]]
name = "Data"
aliases = ["data-team"]
"""


@pytest.mark.slow
def test_usage_imported_while_close_runs_is_billed_once(workspace, tmp_path, monkeypatch):
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY)
    apply_policy_file(workspace, policy)
    import_file(workspace, _gateway(tmp_path, "oct.csv", "2026-10-05", "r1", 10))
    late = _gateway(tmp_path, "late.csv", "2026-10-06", "r2", 2)

    import app.services.invoices as invoices

    real_allocate = invoices.allocate
    started: list[Process] = []

    def allocate_while_an_import_runs(*args, **kwargs):
        if not started:
            started.append(Process("-w", workspace.location, "import", str(late)))
            # Either the import waits for the close (fixed) or it has finished already.
            started[0].wait_for("Waiting")
        return real_allocate(*args, **kwargs)

    monkeypatch.setattr(invoices, "allocate", allocate_while_an_import_runs)
    closed = close_period(workspace, "2026-10")
    code, _, err = started[0].finish()
    assert code == 0, err
    november = invoice_document(workspace, "2026-11")
    billed = Decimal(closed["grand_total"]) + Decimal(november["grand_total"])
    assert billed == Decimal("12")


def test_an_import_waiting_for_the_lock_says_so_and_can_be_cancelled(workspace, tmp_path):
    from app.domain.progress import Cancelled, CancelToken

    path = _gateway(tmp_path, "a.csv", "2026-10-05", "r1", 3)
    messages: list[str] = []
    token = CancelToken()

    def progress(_fraction, message):
        messages.append(message)
        if message.startswith("Waiting"):
            token.cancel()

    lock = WriteLock(workspace)
    try:
        with pytest.raises(Cancelled):
            import_file(workspace, path, progress=progress, cancel=token)
    finally:
        lock.release()
    assert any(m.startswith("Waiting for another process writing to") for m in messages)
    assert cost_report(workspace, "2026-10").total == 0
