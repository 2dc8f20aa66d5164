"""Storing the applied policy (as a versioned JSON document), budgets, price overrides and
provider invoice totals, all in the caller's transaction."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, select

from app.workspace.schema import budgets, policy_versions, price_entries, provider_invoices


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def current_policy_mapping(conn: Connection) -> dict[str, Any] | None:
    row = conn.execute(
        select(policy_versions.c.document).order_by(policy_versions.c.id.desc()).limit(1)
    ).scalar()
    return None if row is None else json.loads(row)


def current_policy_version(conn: Connection) -> tuple[int, str, str]:
    """``(id, source, applied_at)`` of the policy in force; ``(0, "", "")`` before any."""
    row = conn.execute(
        select(policy_versions.c.id, policy_versions.c.source, policy_versions.c.applied_at)
        .order_by(policy_versions.c.id.desc())
        .limit(1)
    ).first()
    return (0, "", "") if row is None else (int(row.id), row.source, row.applied_at)


def save_policy_mapping(conn: Connection, document: dict[str, Any], source: str) -> int:
    return conn.execute(
        policy_versions.insert().values(
            applied_at=_now(),
            source=source,
            document=json.dumps(document, sort_keys=True, ensure_ascii=False),
        )
    ).inserted_primary_key[0]


def replace_budgets(conn: Connection, rows: list[dict[str, str]]) -> None:
    conn.execute(delete(budgets))
    if rows:
        conn.execute(budgets.insert(), rows)


def budget_rows(conn: Connection) -> list[dict[str, str]]:
    query = select(budgets).order_by(budgets.c.month, budgets.c.team, budgets.c.product)
    return [dict(r) for r in conn.execute(query).mappings()]


def delete_user_prices(conn: Connection) -> None:
    conn.execute(delete(price_entries))


def delete_provider_invoices(conn: Connection) -> None:
    conn.execute(delete(provider_invoices))


def upsert_provider_invoice(conn: Connection, period: str, total: str, invoice_number: str) -> None:
    conn.execute(delete(provider_invoices).where(provider_invoices.c.period == period))
    conn.execute(
        provider_invoices.insert().values(
            period=period,
            total=total,
            invoice_number=invoice_number,
            currency="USD",
            entered_at=_now(),
        )
    )


def provider_invoice_rows(conn: Connection) -> list[dict[str, Any]]:
    query = select(provider_invoices).order_by(provider_invoices.c.period)
    return [dict(r) for r in conn.execute(query).mappings()]


def provider_total(conn: Connection, period: str) -> str | None:
    return conn.execute(
        select(provider_invoices.c.total).where(provider_invoices.c.period == period)
    ).scalar()
