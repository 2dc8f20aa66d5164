"""Storing mapping profiles (as their policy-file documents), in the caller's transaction."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, select

from app.workspace.schema import import_profiles


def profile_documents(conn: Connection) -> list[dict[str, Any]]:
    """Every profile's document, by name."""
    rows = conn.execute(select(import_profiles.c.document).order_by(import_profiles.c.name))
    return [json.loads(row.document) for row in rows]


def save_profile_document(conn: Connection, document: dict[str, Any]) -> None:
    """Add the profile, or replace the one of the same name."""
    conn.execute(delete(import_profiles).where(import_profiles.c.name == document["name"]))
    conn.execute(
        import_profiles.insert().values(
            name=document["name"],
            document=json.dumps(document, sort_keys=True, ensure_ascii=False),
            saved_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )


def replace_profile_documents(conn: Connection, documents: list[dict[str, Any]]) -> None:
    conn.execute(delete(import_profiles))
    for document in documents:
        save_profile_document(conn, document)


def delete_profile_document(conn: Connection, name: str) -> bool:
    return bool(
        conn.execute(delete(import_profiles).where(import_profiles.c.name == name)).rowcount
    )
