"""Business metrics (period, team, metric, value) for cost per unit of value."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, delete, select

from app.workspace.schema import business_metrics


def metric_rows(conn: Connection, period: str) -> dict[tuple[str, str], Decimal]:
    rows = conn.execute(
        select(business_metrics.c.team, business_metrics.c.metric, business_metrics.c.value).where(
            business_metrics.c.period == period
        )
    )
    return {(team, metric): Decimal(value) for team, metric, value in rows}


def replace_metrics(conn: Connection, rows: list[dict[str, str]]) -> None:
    for row in rows:
        conn.execute(
            delete(business_metrics)
            .where(business_metrics.c.period == row["period"])
            .where(business_metrics.c.team == row["team"])
            .where(business_metrics.c.metric == row["metric"])
        )
    if rows:
        conn.execute(business_metrics.insert(), rows)
