"""Opening, creating and upgrading a workspace file (SQLite, WAL, foreign keys, migrations)."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.pool import NullPool

from app.domain.money import MONEY_CONTEXT, format_exact
from app.workspace.schema import settings

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"


class WorkspaceError(Exception):
    """A workspace cannot be created or opened; the message says why, for the user."""


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


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.create_aggregate("dec_sum", 1, DecimalSum)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    event.listen(engine, "connect", _on_connect)
    return engine


@dataclass
class Workspace:
    """An open workspace: its file and engine. Pass it (or its path) between layers."""

    path: Path
    engine: Engine

    @property
    def name(self) -> str:
        return self.setting("name") or self.path.stem

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(settings.delete().where(settings.c.key == key))
            conn.execute(settings.insert().values(key=key, value=value))

    def dispose(self) -> None:
        self.engine.dispose()


def _alembic_config(connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "app.workspace:migrations")
    config.attributes["connection"] = connection
    return config


def _upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with engine.begin() as connection:
        config = _alembic_config(connection)
        script = ScriptDirectory.from_config(config)
        current = MigrationContext.configure(connection).get_current_revision()
        if current is not None:
            try:
                script.get_revision(current)
            except Exception:
                raise WorkspaceError(
                    f"This workspace was written by a newer version of Chargeback Desk "
                    f"(schema {current}); update the app to open it."
                ) from None
        heads = script.get_heads()
        if current not in heads:
            log.info("Upgrading workspace schema from %s to %s", current, heads)
            command.upgrade(config, "head")


def schema_revision(workspace: Workspace) -> str | None:
    with workspace.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def create_workspace(path: Path, name: str | None = None) -> Workspace:
    """Create a new, empty workspace file; refuses to overwrite an existing file."""
    path = Path(path)
    if path.exists():
        raise WorkspaceError(f"{path} already exists; choose a new file name.")
    if not path.parent.exists():
        raise WorkspaceError(f"The folder {path.parent} does not exist.")
    engine = make_engine(path)
    try:
        _upgrade(engine)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with engine.begin() as conn:
            conn.execute(
                settings.insert(),
                [
                    {"key": "name", "value": name or path.stem},
                    {"key": "created_at", "value": now},
                    {"key": "currency", "value": "USD"},
                ],
            )
    except Exception:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    return Workspace(path, engine)


def open_workspace(path: Path) -> Workspace:
    """Open an existing workspace, upgrading an older schema; refuses newer or foreign files."""
    path = Path(path)
    if not path.is_file():
        raise WorkspaceError(f"No workspace at {path}; create one with 'chargeback-desk init'.")
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise WorkspaceError(f"{path} is not a Chargeback Desk workspace (not SQLite).")
    engine = make_engine(path)
    with engine.connect() as conn:
        has_version = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).scalar()
    if not has_version:
        engine.dispose()
        raise WorkspaceError(f"{path} is an SQLite file but not a Chargeback Desk workspace.")
    try:
        _upgrade(engine)
    except Exception:
        engine.dispose()
        raise
    return Workspace(path, engine)
