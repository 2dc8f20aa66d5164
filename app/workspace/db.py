"""Opening, creating and upgrading a workspace file (SQLite, WAL, foreign keys, migrations).

A file is looked at read-only before anything else, so a file that is refused (not ours, newer,
damaged) is never modified. A file or folder the user cannot write is opened read-only: every
page and report works, every write is refused with a clear message, and no -wal/-shm files are
left behind.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, select, text

from app.workspace.locations import is_server_location
from app.workspace.schema import settings
from app.workspace.sqlite_engine import database_uri, make_engine
from app.workspace.write_lock import WRITE_OPTION, WorkspaceBusy, WriteWait

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
OUR_TABLES = {"alembic_version", "settings", "import_batches"}
"""Tables every workspace has had since its first schema: without them a file is not ours."""
WRITE_WAIT_SECONDS = 600.0


class WorkspaceError(Exception):
    """A workspace cannot be created, opened or written; the message says why, for the user."""


class WorkspaceReadOnly(WorkspaceError):
    """The workspace was opened read-only (file or folder not writable)."""


def _log_wait(elapsed: float) -> None:
    log.info("Waiting %.1f s for another process writing to the workspace", elapsed)


@dataclass
class Workspace:
    """An open workspace: its file (or server URL) and engine. Pass it between layers."""

    path: Path | None
    """The workspace file; None for a workspace on a server (see :attr:`url`)."""
    engine: Engine
    read_only: bool = False
    on_wait: Callable[[float], None] = field(default=_log_wait)
    """Told the seconds waited so far while another process holds the write lock."""
    write_wait_seconds: float = WRITE_WAIT_SECONDS
    url: str | None = None
    """The server's ``postgresql://`` URL, without password; None for a file."""
    read_only_reason: str = ""
    """Why the workspace is read-only, for the user (empty: file permissions)."""
    role: str = ""
    """The database role a shared workspace is used as ('' for a file)."""

    @property
    def location(self) -> str:
        """Where it lives, as ``--workspace`` takes it: the file's path or the server URL."""
        return self.url if self.url is not None else str(self.path)

    @property
    def label(self) -> str:
        """A short name for messages: the file's name, or ``database on host``."""
        if self.path is not None:
            return self.path.name
        from app.workspace.locations import server_label

        return server_label(self.url or "")

    @property
    def shared(self) -> bool:
        """Whether the workspace is on a server (shared by a team)."""
        return self.url is not None

    @property
    def name(self) -> str:
        return self.setting("name") or (self.path.stem if self.path else self.label)

    @contextmanager
    def write(self, on_wait: Callable[[float], None] | None = None) -> Iterator[Connection]:
        """One write transaction holding the workspace's write lock from its first statement.

        While another process holds the lock, :attr:`on_wait` and ``on_wait`` are told how long
        this one has waited (``on_wait`` may raise to give up, e.g. on cancel).
        """
        if self.read_only:
            raise WorkspaceReadOnly(
                self.read_only_reason
                or f"{self.label} is read-only (file or folder permissions); you can look at it "
                f"but not change it — copy it to a folder you can write to"
            )

        def notify(elapsed: float) -> None:
            self.on_wait(elapsed)
            if on_wait is not None:
                on_wait(elapsed)

        with _write_connection(self.engine, WriteWait(self.write_wait_seconds, notify)) as c:
            try:
                with c.begin():
                    yield c
            except WorkspaceBusy as exc:
                raise WorkspaceError(str(exc)) from None

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute(settings.delete().where(settings.c.key == key))
            conn.execute(settings.insert().values(key=key, value=value))

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _write_connection(engine: Engine, wait: WriteWait) -> Iterator[Connection]:
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: wait})
        yield conn


def _alembic_config(connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "app.workspace:migrations")
    config.attributes["connection"] = connection
    return config


def known_revision(current: str | None) -> bool:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(None))
    if current is None:
        return True
    try:
        script.get_revision(current)
    except Exception:
        return False
    return True


SCHEMA_HEAD = "0023"
"""The newest migration's revision (a test holds it to the migrations): a workspace at it
opens without loading Alembic and the migration scripts."""


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(_alembic_config(None)).get_heads()
    return heads[0]


def newer_schema(current: str) -> WorkspaceError:
    return WorkspaceError(
        f"This workspace was written by a newer version of Chargeback Desk "
        f"(schema {current}); update the app to open it."
    )


def upgrade_schema(engine: Engine, and_then: Callable[[Connection], None] | None = None) -> None:
    """Bring the schema to head inside one write transaction (another process may race us);
    ``and_then`` fills the new schema in the same transaction (creating a workspace)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    wait = WriteWait(WRITE_WAIT_SECONDS, _log_wait)
    with _write_connection(engine, wait) as connection, connection.begin():
        current = MigrationContext.configure(connection).get_current_revision()
        if not known_revision(current):
            raise newer_schema(str(current))
        if current != head_revision():
            log.info("Upgrading workspace schema from %s to %s", current, head_revision())
            command.upgrade(_alembic_config(connection), "head")
        if and_then is not None:
            and_then(connection)


def remove_workspace(workspace: Workspace) -> None:
    """Delete a workspace made moments ago that must not stay (a copy that failed its check):
    the file, or every table of it in the server's database (migrations down to none)."""
    if workspace.path is not None:
        workspace.dispose()
        _remove_files(workspace.path)
        return
    from alembic import command

    wait = WriteWait(WRITE_WAIT_SECONDS, _log_wait)
    with _write_connection(workspace.engine, wait) as connection, connection.begin():
        command.downgrade(_alembic_config(connection), "base")
        connection.execute(text("DROP TABLE alembic_version"))
    workspace.dispose()


def schema_revision(workspace: Workspace) -> str | None:
    with workspace.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _remove_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def first_settings(name: str) -> Callable[[Connection], None]:
    """Fills a new workspace: its name, when it was made and its currency."""

    def fill(conn: Connection) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        conn.execute(
            settings.insert(),
            [
                {"key": "name", "value": name},
                {"key": "created_at", "value": now},
                {"key": "currency", "value": "USD"},
            ],
        )

    return fill


def create_workspace(
    path: Path | str,
    name: str | None = None,
    *,
    password: str | None = None,
    fill: Callable[[Connection], None] | None = None,
) -> Workspace:
    """Create a new workspace: a file (refuses to overwrite one) or, for a ``postgresql://``
    URL, in an empty database on the server. Its schema and ``fill`` (default: the first
    settings) are one transaction: a failure leaves no workspace behind."""
    if is_server_location(path):
        from app.workspace.server_workspace import create_server_workspace

        return create_server_workspace(str(path), name, password=password, fill=fill)
    path = Path(path)
    if path.exists():
        raise WorkspaceError(f"{path} already exists; choose a new file name.")
    if not path.parent.exists():
        raise WorkspaceError(f"The folder {path.parent} does not exist.")
    if not os.access(path.parent, os.W_OK):
        raise WorkspaceError(f"The folder {path.parent} is read-only; choose another folder.")
    engine = make_engine(path)
    workspace = Workspace(path, engine)
    try:
        upgrade_schema(engine, fill or first_settings(name or path.stem))
    except BaseException:
        engine.dispose()
        _remove_files(path)
        raise
    return workspace


def _probe_revision(path: Path, immutable: bool) -> str | None:
    """The schema revision, read without changing the file; refuses foreign or damaged files."""
    uri = database_uri(path, read_only=True, immutable=immutable)
    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=5)) as conn:
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables >= OUR_TABLES:
                raise WorkspaceError(
                    f"{path} is an SQLite file but not a Chargeback Desk workspace."
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(
            f"{path} is damaged or truncated (SQLite: {exc}); restore it from a backup."
        ) from None
    return row[0] if row else None


def open_workspace(path: Path | str, *, password: str | None = None) -> Workspace:
    """Open an existing workspace (a file, or a ``postgresql://`` URL), upgrading an older
    schema; refuses newer or foreign files and databases."""
    if is_server_location(path):
        from app.workspace.server_workspace import open_server_workspace

        return open_server_workspace(str(path), password=password)
    path = Path(path)
    if not path.is_file():
        raise WorkspaceError(f"No workspace at {path}; create one with 'chargeback-desk init'.")
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise WorkspaceError(f"Cannot read {path}: {exc.strerror}.") from None
    if head != SQLITE_MAGIC:
        raise WorkspaceError(f"{path} is not a Chargeback Desk workspace (not SQLite).")
    read_only = not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
    # Without write access SQLite cannot share the WAL index; with no -wal file there is
    # nothing in it to miss, so the file is read as it is on disk.
    immutable = read_only and not Path(f"{path}-wal").exists()
    current = _probe_revision(path, immutable)
    if current == SCHEMA_HEAD:  # the usual case: no need to load the migrations
        engine = make_engine(path, read_only=read_only, immutable=immutable)
        return Workspace(path, engine, read_only)
    if not known_revision(current):
        raise newer_schema(str(current))
    if read_only:
        if current != head_revision():
            raise WorkspaceError(
                f"{path} was written by an older version and needs an upgrade, but it is "
                f"read-only; copy it to a folder you can write to and open the copy."
            )
        return Workspace(path, make_engine(path, read_only=True, immutable=immutable), True)
    engine = make_engine(path)
    if current != head_revision():
        try:
            upgrade_schema(engine)
        except Exception:
            engine.dispose()
            raise
    return Workspace(path, engine)
