"""The audit log: what changed in a workspace, and when."""

from __future__ import annotations

import getpass
import json
import socket
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from app.workspace.schema import audit_log


def current_actor() -> str:
    """Who is changing the workspace: ``user@machine`` as the operating system knows them."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "unknown user"
    return f"{user}@{socket.gethostname() or 'unknown machine'}"


def record(conn: Connection, action: str, **detail: object) -> int:
    """Add an entry in the caller's transaction; returns its id (entries are in id order)."""
    return int(
        conn.execute(
            audit_log.insert().values(
                at=datetime.now(UTC).isoformat(timespec="seconds"),
                action=action,
                detail=json.dumps(detail, sort_keys=True, default=str),
                actor=current_actor(),
            )
        ).inserted_primary_key[0]
    )


def first_after(conn: Connection, entry_id: int, action: str) -> dict | None:
    """The first ``action`` entry recorded after entry ``entry_id``, or ``None``."""
    row = conn.execute(
        select(audit_log)
        .where(audit_log.c.id > entry_id, audit_log.c.action == action)
        .order_by(audit_log.c.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    return {"id": row.id, "at": row.at, "action": row.action, "detail": json.loads(row.detail)}


def entries(conn: Connection, limit: int = 200) -> list[dict]:
    """The newest ``limit`` entries, newest first."""
    rows = conn.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(limit))
    return [
        {
            "id": r.id,
            "at": r.at,
            "action": r.action,
            "detail": json.loads(r.detail),
            "actor": r.actor,
        }
        for r in rows
    ]
