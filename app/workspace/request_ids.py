"""Stored request ids (64-bit hashes per import and day) of sources whose rows identify calls."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sqlalchemy import Connection, select

from app.workspace.schema import request_ids


def known_hashes(conn: Connection, source: str, day: str) -> np.ndarray:
    """Sorted, unique hashes of the requests earlier imports of ``source`` added on ``day``."""
    blobs = conn.execute(
        select(request_ids.c.hashes)
        .where(request_ids.c.source == source)
        .where(request_ids.c.day == day)
    ).scalars()
    parts = [np.frombuffer(blob, dtype="<u8") for blob in blobs]
    if not parts:
        return np.zeros(0, dtype=np.uint64)
    return np.unique(np.concatenate(parts)).astype(np.uint64)


def store(
    conn: Connection, batch_id: int, source: str, kept_by_day: Iterable[tuple[str, np.ndarray]]
) -> None:
    """Store the hashes an import kept, one day at a time (ten million ids are 80 MB)."""
    for day, hashes in kept_by_day:
        if len(hashes):
            conn.execute(
                request_ids.insert(),
                {
                    "batch_id": batch_id,
                    "day": day,
                    "source": source,
                    "count": len(hashes),
                    "hashes": np.asarray(hashes, dtype="<u8").tobytes(),
                },
            )
