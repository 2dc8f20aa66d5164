"""Use cases: create and open workspaces, and remember the last one used."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from platformdirs import user_data_dir

from app.workspace.db import Workspace, WorkspaceError, create_workspace, open_workspace
from app.workspace.sqlite_engine import describe_database_error

log = logging.getLogger(__name__)

APP_NAME = "Chargeback Desk"

__all__ = [
    "Workspace",
    "WorkspaceError",
    "create_workspace",
    "data_dir",
    "demo_workspace_path",
    "describe_database_error",
    "last_workspace",
    "open_workspace",
    "remember_workspace",
]


def data_dir() -> Path:
    path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_workspace_path() -> Path:
    return data_dir() / "demo.cbdesk"


def _recent_file() -> Path:
    return data_dir() / "recent.json"


def remember_workspace(path: Path) -> None:
    try:
        _recent_file().write_text(json.dumps({"last": str(Path(path).resolve())}), "utf-8")
    except OSError as exc:
        log.warning("Cannot remember the last workspace: %s", exc)


def last_workspace() -> Path | None:
    try:
        data = json.loads(_recent_file().read_text("utf-8"))
    except (OSError, ValueError):
        return None
    path = Path(data.get("last", ""))
    return path if path.is_file() else None
