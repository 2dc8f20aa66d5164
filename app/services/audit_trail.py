"""Use case: the audit log as the window reads it — who changed what and when, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.services.workspaces import Workspace
from app.workspace import audit

SHOWN = 5000
"""Entries read at most (the newest); older ones stay in the workspace."""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    """When, in UTC (ISO 8601)."""
    actor: str
    """``user@machine``; empty for entries made before the app recorded it."""
    action: str
    detail: dict[str, Any]


def audit_entries(workspace: Workspace, limit: int = SHOWN) -> list[AuditEntry]:
    """The newest ``limit`` entries, newest first."""
    with workspace.engine.connect() as conn:
        rows = audit.entries(conn, limit=limit)
    return [AuditEntry(r["id"], r["at"], r["actor"], r["action"], r["detail"]) for r in rows]
