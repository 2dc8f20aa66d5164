"""The PostgreSQL engine of a shared workspace: one writer at a time, consistent readers.

Writes hold the workspace's write lock — a transaction-level advisory lock — from their first
statement, as SQLite's ``BEGIN IMMEDIATE`` does for a file: what a writer decides (replace,
duplicate, which lines a close bills) cannot change under it, whichever machine the other
writer runs on. A second writer polls for the lock and says how long it has waited. Writers run
at READ COMMITTED, so after the lock each statement sees every earlier commit; readers run at
REPEATABLE READ, READ ONLY: a page or report reads one state from its first query to its last.

Passwords come from libpq's usual places (``~/.pgpass``, ``PGPASSWORD``, a service file) or
from the caller (the window asks); the app never writes one down.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from app.workspace.write_lock import WRITE_OPTION, WriteWait

WRITE_LOCK_KEY = 0x43424445534B  # "CBDESK": one lock per database, whichever schema
POLL_SECONDS = 0.05
"""How long a waiting writer sleeps between two tries of the write lock."""
CONNECT_TIMEOUT_SECONDS = 10
KEEPALIVE_IDLE_SECONDS = 30


def _server_keepalives(url: str) -> dict[str, str]:
    """The server's side of the keepalives, as session settings (unless the URL sets its
    own ``options``, which are kept as they are)."""
    if "options" in make_url(url).query:
        return {}
    return {
        "options": (
            f"-c tcp_keepalives_idle={KEEPALIVE_IDLE_SECONDS} -c tcp_keepalives_interval=10 "
            "-c tcp_keepalives_count=3"
        )
    }


def sqlalchemy_url(url: str, password: str | None = None):  # type: ignore[no-untyped-def]
    """The URL with the driver named (psycopg 3) and ``password`` set when given. A password
    given as a parameter (?password=…) moves where SQLAlchemy masks it in every repr."""
    parsed = make_url(url).set(drivername="postgresql+psycopg")
    in_query = parsed.query.get("password")
    if in_query is not None:
        parsed = parsed.difference_update_query(["password"]).set(password=str(in_query))
    return parsed.set(password=password) if password is not None else parsed


def _take_write_lock(raw, wait: WriteWait) -> None:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    while True:
        taken = raw.execute("SELECT pg_try_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,)).fetchone()
        if taken[0]:
            return
        wait.waited(time.monotonic() - start)
        time.sleep(POLL_SECONDS)


def make_engine(url: str, *, password: str | None = None) -> Engine:
    """An engine on the database at ``url``; reads are snapshots, writes (``WRITE_OPTION``)
    hold the write lock."""
    engine = create_engine(
        sqlalchemy_url(url, password),
        pool_size=2,
        max_overflow=14,  # pages load on workers of their own, a few at once
        pool_pre_ping=True,
        connect_args={
            "application_name": "Chargeback Desk",
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            # A machine that drops off the network mid-write must not hold the write lock
            # for hours: both ends probe an idle connection and give it up within a minute.
            "keepalives": 1,
            "keepalives_idle": KEEPALIVE_IDLE_SECONDS,
            "keepalives_interval": 10,
            "keepalives_count": 3,
            **_server_keepalives(url),
        },
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        wait = conn.get_execution_options().get(WRITE_OPTION)
        raw = conn.connection.driver_connection
        if wait is None:
            raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        else:
            raw.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            _take_write_lock(raw, wait)

    return engine


def describe_server_error(exc: BaseException) -> str | None:
    """A sentence for the user about a server that refuses, is unreachable or denies a right,
    else ``None`` (no SQL text: the server's own first line at most)."""
    import psycopg

    error = getattr(exc, "orig", exc)
    if not isinstance(error, psycopg.Error):
        return None
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if isinstance(error, psycopg.errors.InsufficientPrivilege):
        return (
            "your database role may read this workspace but not change it; ask the workspace's "
            "administrator for the editor role"
        )
    if isinstance(error, psycopg.errors.ReadOnlySqlTransaction):
        return "the database server is read-only (a standby); connect to the primary server"
    if isinstance(error, psycopg.OperationalError):
        if "password" in first_line or "authentication" in first_line:
            return f"the server refused the login ({first_line})"
        return f"cannot reach the workspace's database server ({first_line})"
    return None
