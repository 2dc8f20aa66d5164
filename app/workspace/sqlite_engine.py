"""The SQLite engine of a workspace: exact decimal sums, WAL, and one writer at a time.

Every write runs in ``BEGIN IMMEDIATE``: the writer holds the workspace's single write lock from
its first read, so what it decides (replace, duplicate, which lines a close bills) cannot be
changed under it by another process. A second writer waits for the lock, polling, and says so
through a callback instead of failing after SQLite's busy timeout. Readers never wait (WAL).
"""

from __future__ import annotations

import sqlite3
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

from app.domain.money import MONEY_CONTEXT, format_exact
from app.workspace.write_lock import WRITE_OPTION, WriteWait

BUSY_TIMEOUT_MS = 5000
"""How long one statement waits for a lock SQLite holds only briefly (checkpoints)."""
POLL_MS = 250
"""How long one attempt to take the write lock waits before the waiting callback is told."""


class DecimalSum:
    """SQLite aggregate ``dec_sum(text)``: the exact sum of decimal TEXT values."""

    def __init__(self) -> None:
        self.total: Decimal | None = None

    def step(self, value: object) -> None:
        if value is None or value == "":
            return
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return
        self.total = amount if self.total is None else MONEY_CONTEXT.add(self.total, amount)

    def finalize(self) -> str | None:
        return None if self.total is None else format_exact(self.total)


def database_uri(path: Path, *, read_only: bool = False, immutable: bool = False) -> str:
    uri = Path(path).resolve().as_uri()
    if immutable:
        return uri + "?mode=ro&immutable=1"
    return uri + "?mode=ro" if read_only else uri


def _begin_immediate(raw: sqlite3.Connection, wait: WriteWait) -> None:
    start = time.monotonic()
    raw.execute(f"PRAGMA busy_timeout = {POLL_MS}")
    try:
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
            wait.waited(time.monotonic() - start)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def make_engine(path: Path, *, read_only: bool = False, immutable: bool = False) -> Engine:
    """An engine on ``path``; reads begin deferred, writes (``WRITE_OPTION``) immediate."""
    uri = database_uri(path, read_only=read_only, immutable=immutable)

    def connect() -> sqlite3.Connection:
        raw = sqlite3.connect(
            uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
        raw.isolation_level = None  # transactions are begun explicitly, below
        raw.create_aggregate("dec_sum", 1, DecimalSum)
        raw.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("PRAGMA synchronous=NORMAL")
        raw.execute("PRAGMA temp_store=MEMORY")
        # 64 MB of page cache (SQLite's default is 2 MB): index pages of a large import stay in
        # memory instead of being written and read back.
        raw.execute("PRAGMA cache_size=-65536")
        return raw

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        wait = conn.get_execution_options().get(WRITE_OPTION)
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        if wait is None:
            raw.execute("BEGIN")
        else:
            _begin_immediate(raw, wait)

    return engine


def describe_file_error(exc: BaseException) -> str | None:
    """A sentence for the user about a damaged, read-only or busy workspace, else ``None``
    (also for any error that is not the database's own, whatever its message says)."""
    database_error = getattr(exc, "orig", exc)
    if not isinstance(database_error, sqlite3.Error):
        return None
    text = str(database_error)
    if "malformed" in text or "not a database" in text or "disk I/O error" in text:
        return (
            f"the workspace file is damaged or truncated (SQLite: {text}); restore it from a "
            f"backup or the copy you exported"
        )
    if "readonly database" in text or "read-only" in text:
        return "the workspace file is read-only; you can look at it but not change it"
    if "locked" in text:
        return "another process is writing to the workspace; try again in a moment"
    return None
