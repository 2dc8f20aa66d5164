"""Stored disputes: recorded, decided, and which month's close billed an accepted one."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from app.domain.disputes import (
    ACCEPTED,
    OPEN,
    DisputeMove,
    adjustment_month,
    dispute_code,
    is_showback_document,
)
from app.domain.rounding import cents_of
from app.workspace.schema import disputes


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def insert_dispute(conn: Connection, actor: str, **values: str) -> int:
    """Record an open dispute in the caller's write transaction; its number."""
    result = conn.execute(
        disputes.insert().values(status=OPEN, recorded_at=_now(), recorded_by=actor, **values)
    )
    return int(result.inserted_primary_key[0])


def dispute_rows(conn: Connection) -> list[dict[str, Any]]:
    """Every dispute, by number."""
    return [dict(r) for r in conn.execute(select(disputes).order_by(disputes.c.id)).mappings()]


def dispute_row(conn: Connection, number: int) -> dict[str, Any] | None:
    row = conn.execute(select(disputes).where(disputes.c.id == number)).mappings().first()
    return None if row is None else dict(row)


def decide(conn: Connection, number: int, actor: str, status: str, **values: str | None) -> bool:
    """Accept or reject an open dispute; ``False`` when it was no longer open."""
    result = conn.execute(
        update(disputes)
        .where(disputes.c.id == number, disputes.c.status == OPEN)
        .values(status=status, decided_at=_now(), decided_by=actor, **values)
    )
    return result.rowcount == 1


def accepted_rows(conn: Connection) -> list[dict[str, Any]]:
    """Accepted disputes, by number: the ones that move an amount."""
    query = select(disputes).where(disputes.c.status == ACCEPTED).order_by(disputes.c.id)
    return [dict(r) for r in conn.execute(query).mappings()]


def mark_billed(conn: Connection, period: str, numbers: list[int]) -> None:
    """The close of ``period`` bills these disputes' adjustments (in its transaction)."""
    if numbers:
        conn.execute(
            update(disputes)
            .where(disputes.c.id.in_(numbers), disputes.c.billed_in.is_(None))
            .values(billed_in=period)
        )


def unmark_billed(conn: Connection, period: str) -> None:
    """``period`` reopened: the adjustments it billed wait for its next close."""
    conn.execute(update(disputes).where(disputes.c.billed_in == period).values(billed_in=None))


def moves_billed_by(
    conn: Connection,
    period: str,
    closed: Collection[str],
    is_chargeback: Callable[[str], bool],
) -> list[DisputeMove]:
    """The accepted disputes whose amounts ``period``'s invoices move: for a closed month the
    ones its close billed; for an open one those not yet billed whose adjustment month it is
    (the first open chargeback month after the disputed one).
    Disputes of showback statements move nothing: those statements charged nothing."""
    moves = []
    for row in accepted_rows(conn):
        if is_showback_document(row["document_number"]) or row["move_to"] is None:
            continue
        if period in closed:
            if row["billed_in"] != period:
                continue
        elif (
            row["billed_in"] is not None
            or adjustment_month(row["period"], closed, is_chargeback) != period
        ):
            continue
        moves.append(
            DisputeMove(
                code=dispute_code(row["id"]),
                period=row["period"],
                document_number=row["document_number"],
                line_label=row["line_label"],
                team=row["team"],
                move_to=row["move_to"],
                cents=cents_of(row["accepted_amount"]),
                reason=row["reason"],
            )
        )
    return moves
