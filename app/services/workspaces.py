"""Use cases: create and open workspaces, and remember the last one used."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from platformdirs import user_data_dir

from app.workspace.db import Workspace, WorkspaceError, create_workspace, open_workspace
from app.workspace.locations import (
    is_server_location,
    password_in,
    server_label,
    without_password,
)
from app.workspace.postgres_engine import describe_server_error
from app.workspace.server_workspace import PasswordNeeded
from app.workspace.sqlite_engine import describe_file_error

log = logging.getLogger(__name__)

APP_NAME = "Chargeback Desk"

__all__ = [
    "PasswordNeeded",
    "Workspace",
    "WorkspaceError",
    "create_workspace",
    "data_dir",
    "demo_workspace_path",
    "describe_database_error",
    "is_server_location",
    "last_workspace",
    "location_label",
    "open_workspace",
    "password_in",
    "recent_workspaces",
    "remember_workspace",
    "server_label",
    "user_message",
    "without_password",
]


def describe_database_error(exc: BaseException) -> str | None:
    """A sentence for the user about a workspace the database cannot read or write (damaged,
    read-only, busy, unreachable, a right the role lacks), else ``None``."""
    return describe_file_error(exc) or describe_server_error(exc)


DATABASE_FAULT = (
    "The workspace's database reported an error; nothing was changed. The details are in the "
    "log file."
)


def user_message(exc: BaseException) -> str:
    """What the window says about a failed task: a database problem in words (never SQL), or
    the task's own message (checks, refusals)."""
    described = describe_database_error(exc)
    if described is not None:
        return described[0].upper() + described[1:]
    if _from_the_database(exc):
        log.error("Database error in a task", exc_info=exc)
        return DATABASE_FAULT
    return str(exc)


def _from_the_database(exc: BaseException) -> bool:
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, (SQLAlchemyError, sqlite3.Error)):
        return True
    return type(exc).__module__.startswith("psycopg")


def data_dir() -> Path:
    path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_workspace_path() -> Path:
    return data_dir() / "demo.cbdesk"


def _recent_file() -> Path:
    return data_dir() / "recent.json"


RECENT_LIMIT = 8


def _stored_location(location: Path | str) -> str:
    """How a location is remembered: a file's full path, a server URL without its password
    (the app never writes a password down)."""
    if is_server_location(location):
        return without_password(str(location))
    return str(Path(location).resolve())


def _read_recent() -> list[str]:
    try:
        data = json.loads(_recent_file().read_text("utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict):
        return []
    found = data.get("recent")
    recent = [str(x) for x in found] if isinstance(found, list) else []
    last = data.get("last")
    if isinstance(last, str) and last and last not in recent:
        recent.insert(0, last)  # written by an earlier version: the last file only
    return recent


def remember_workspace(location: Path | str) -> None:
    """Put ``location`` first in the recent list (it is also the one opened next time)."""
    stored = _stored_location(location)
    recent = [stored, *(r for r in _read_recent() if r != stored)][:RECENT_LIMIT]
    try:
        _recent_file().write_text(json.dumps({"last": stored, "recent": recent}), "utf-8")
    except OSError as exc:
        log.warning("Cannot remember the last workspace: %s", exc)


def location_label(location: Path | str) -> str:
    """How a recent workspace is listed: a file's name and folder; a shared one's database,
    server and the role it is opened as."""
    if not is_server_location(location):
        path = Path(location)
        return f"{path.name} — {path.parent}"
    from sqlalchemy.engine import make_url

    user = make_url(str(location)).username
    return f"{server_label(str(location))}{f' as {user}' if user else ''} (shared)"


def recent_workspaces() -> list[Path | str]:
    """Recently opened workspaces, newest first: files that still exist, and server URLs."""
    found: list[Path | str] = []
    for item in _read_recent():
        if is_server_location(item):
            found.append(item)
        elif Path(item).is_file():
            found.append(Path(item))
    return found


def last_workspace() -> Path | str | None:
    """The workspace opened last (a file that still exists, or a server URL)."""
    recent = _read_recent()
    if not recent:
        return None
    last = recent[0]
    if is_server_location(last):
        return last
    return Path(last) if Path(last).is_file() else None
