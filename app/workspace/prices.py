"""User price-book entries stored in the workspace (they add to and override the built-in),
and the contract discounts on them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, select

from app.domain.price_book import OPTIONAL_RATE_FIELDS, ContractDiscount, PriceEntry
from app.workspace.schema import contract_discounts, line_keys, price_entries


def user_price_entries(conn: Connection) -> list[PriceEntry]:
    from datetime import date
    from decimal import Decimal

    entries = []
    for row in conn.execute(select(price_entries).order_by(price_entries.c.id)).mappings():
        optional = {
            name: None if row[name] is None else Decimal(row[name]) for name in OPTIONAL_RATE_FIELDS
        }
        entries.append(
            PriceEntry(
                model=row["model"],
                effective_from=date.fromisoformat(row["effective_from"]),
                input=Decimal(row["input"]),
                output=Decimal(row["output"]),
                source="user",
                **optional,
            )
        )
    return entries


def save_price_entry(conn: Connection, entry: PriceEntry, note: str = "") -> None:
    """Insert or replace the user entry for ``(model, effective_from)``."""
    conn.execute(
        delete(price_entries)
        .where(price_entries.c.model == entry.model)
        .where(price_entries.c.effective_from == entry.effective_from.isoformat())
    )
    conn.execute(
        price_entries.insert().values(
            model=entry.model,
            effective_from=entry.effective_from.isoformat(),
            input=str(entry.input),
            output=str(entry.output),
            note=note,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            **{
                name: None if getattr(entry, name) is None else str(getattr(entry, name))
                for name in OPTIONAL_RATE_FIELDS
            },
        )
    )


def stored_discounts(conn: Connection) -> list[ContractDiscount]:
    from datetime import date
    from decimal import Decimal

    rows = conn.execute(select(contract_discounts).order_by(contract_discounts.c.id)).mappings()
    return [
        ContractDiscount(
            Decimal(row["percent"]),
            date.fromisoformat(row["effective_from"]),
            row["model"],
            row["note"],
        )
        for row in rows
    ]


def save_discount(conn: Connection, discount: ContractDiscount) -> None:
    """Insert or replace the discount for ``(model, effective_from)``."""
    conn.execute(
        delete(contract_discounts)
        .where(contract_discounts.c.model == discount.model)
        .where(contract_discounts.c.effective_from == discount.effective_from.isoformat())
    )
    conn.execute(
        contract_discounts.insert().values(
            model=discount.model,
            effective_from=discount.effective_from.isoformat(),
            percent=f"{discount.percent:f}",
            note=discount.note,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )


def delete_discounts(conn: Connection) -> None:
    conn.execute(delete(contract_discounts))


def priced_model_days(conn: Connection) -> list[tuple[str, str]]:
    """Distinct (model, day) of usage lines priced from tokens (not carrying their own cost)."""
    rows = conn.execute(
        select(line_keys.c.model, line_keys.c.day)
        .where(line_keys.c.has_usage == 1, line_keys.c.has_provided_cost == 0)
        .distinct()
        .order_by(line_keys.c.model, line_keys.c.day)
    )
    return [(r.model, r.day) for r in rows]
