"""The audit log: what changed in a workspace, and when."""

from __future__ import annotations

import getpass
import json
import socket
from datetime import UTC, datetime

from sqlalchemy import Connection, select, text

from app.workspace.portable_sql import on_server
from app.workspace.schema import audit_log


def current_actor() -> str:
    """Who is changing the workspace: ``user@machine`` as the operating system knows them."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "unknown user"
    return f"{user}@{socket.gethostname() or 'unknown machine'}"


def actor_of(conn: Connection) -> str:
    """Who is changing the workspace through ``conn``: :func:`current_actor`, and on a server
    the database role the change is made as (what the server's own log and rights know)."""
    if not on_server(conn):
        return current_actor()
    role = conn.execute(text("SELECT current_user")).scalar()
    return f"{current_actor()} (database role {role})"


def last_actor(conn: Connection, action_prefix: str) -> str:
    """Who made the newest change whose action starts with ``action_prefix`` ('' if none)."""
    row = conn.execute(
        select(audit_log.c.actor)
        .where(audit_log.c.action.startswith(action_prefix))
        .order_by(audit_log.c.id.desc())
        .limit(1)
    ).first()
    return "" if row is None else str(row.actor)


def record(conn: Connection, action: str, **detail: object) -> int:
    """Add an entry in the caller's transaction; returns its id (entries are in id order)."""
    return int(
        conn.execute(
            audit_log.insert().values(
                at=datetime.now(UTC).isoformat(timespec="seconds"),
                action=action,
                detail=json.dumps(detail, sort_keys=True, default=str),
                actor=actor_of(conn),
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


def first_close_billings(conn: Connection) -> dict[str, str]:
    """:func:`first_close_billing` of every month ever closed, read at once."""
    found: dict[str, str] = {}
    rows = conn.execute(
        select(audit_log.c.detail)
        .where(audit_log.c.action == "period.close")
        .order_by(audit_log.c.id)
    ).scalars()
    for detail in rows:
        entry = json.loads(detail)
        found.setdefault(str(entry.get("period")), str(entry.get("billing") or "chargeback"))
    return found


def first_close_billing(conn: Connection, period: str) -> str | None:
    """How ``period`` was billed when it was first closed (``showback`` or ``chargeback``;
    closes recorded before showback months existed were chargeback), or ``None`` if it never
    was: a month keeps that, whatever the go-live month says later."""
    rows = conn.execute(
        select(audit_log.c.detail)
        .where(audit_log.c.action == "period.close")
        .order_by(audit_log.c.id)
    ).scalars()
    for detail in rows:
        found = json.loads(detail)
        if found.get("period") == period:
            return str(found.get("billing") or "chargeback")
    return None
