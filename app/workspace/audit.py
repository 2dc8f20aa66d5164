"""The audit log: what changed in a workspace, and when."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from app.workspace.schema import audit_log


def record(conn: Connection, action: str, **detail: object) -> None:
    conn.execute(
        audit_log.insert().values(
            at=datetime.now(UTC).isoformat(timespec="seconds"),
            action=action,
            detail=json.dumps(detail, sort_keys=True, default=str),
        )
    )


def entries(conn: Connection, limit: int = 200) -> list[dict]:
    rows = conn.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(limit))
    return [{"at": r.at, "action": r.action, "detail": json.loads(r.detail)} for r in rows]
