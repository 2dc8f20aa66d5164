"""Stored exchange rates: one per month and currency, with its source."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, select

from app.workspace.schema import exchange_rates


def stored_rates(conn: Connection) -> list[dict[str, str]]:
    """Every rate, by month then currency."""
    rows = conn.execute(
        select(exchange_rates).order_by(exchange_rates.c.period, exchange_rates.c.currency)
    ).mappings()
    return [dict(row) for row in rows]


def rate_of(conn: Connection, period: str, currency: str) -> dict[str, str] | None:
    row = (
        conn.execute(
            select(exchange_rates).where(
                exchange_rates.c.period == period, exchange_rates.c.currency == currency
            )
        )
        .mappings()
        .first()
    )
    return None if row is None else dict(row)


def save_rate(conn: Connection, period: str, currency: str, rate: str, source: str) -> None:
    """Set the month's rate (replacing an earlier one) in the caller's write transaction."""
    conn.execute(
        delete(exchange_rates).where(
            exchange_rates.c.period == period, exchange_rates.c.currency == currency
        )
    )
    conn.execute(
        exchange_rates.insert().values(
            period=period,
            currency=currency,
            rate=rate,
            source=source,
            entered_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )
