"""Use cases: read the workspace's price book and add or change the controller's own entries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.price_book import (
    ContractDiscount,
    PriceBookError,
    PriceEntry,
    discount_from_mapping,
    entry_from_mapping,
)
from app.services.price_list_files import read_price_list, write_price_list
from app.services.pricing import builtin_price_entries, workspace_price_book
from app.workspace import audit
from app.workspace.db import Workspace
from app.workspace.prices import (
    save_discount,
    save_price_entry,
    stored_discounts,
    user_price_entries,
)


class PriceEntryError(ValueError):
    """A price entry the user typed is not valid; the message says why."""


@dataclass(frozen=True)
class PriceBookView:
    """Every entry in force or scheduled, built-in and the user's, newest last per model."""

    entries: list[PriceEntry]
    overridden: set[tuple[str, str]]
    """``(model, effective_from)`` of built-in entries a user entry replaces."""
    discounts: list[ContractDiscount] = field(default_factory=list)


def price_book_entries(workspace: Workspace) -> PriceBookView:
    with workspace.engine.connect() as conn:
        book = workspace_price_book(conn)
    builtin = {(e.model, e.effective_from.isoformat()) for e in builtin_price_entries()}
    user = {(e.model, e.effective_from.isoformat()) for e in book.entries() if e.source == "user"}
    return PriceBookView(
        entries=book.entries(), overridden=builtin & user, discounts=book.discounts()
    )


def set_price(workspace: Workspace, values: Mapping[str, object], note: str = "") -> PriceEntry:
    """Add (or replace, same model and date) a user entry; written to the audit log."""
    try:
        entry = entry_from_mapping(values, source="user")
    except PriceBookError as exc:
        raise PriceEntryError(str(exc)) from None
    with workspace.write() as conn:
        save_price_entry(conn, entry, note)
        audit.record(
            conn,
            "price.set",
            model=entry.model,
            effective_from=entry.effective_from.isoformat(),
            input=str(entry.input),
            output=str(entry.output),
            note=note,
        )
    return entry


def set_discount(
    workspace: Workspace, values: Mapping[str, object], note: str = ""
) -> ContractDiscount:
    """Add (or replace, same model and date) a contract discount: ``discount_percent``,
    optional ``model`` (empty: every model) and ``effective_from``; written to the audit log.
    Closed months keep the invoices they were closed with."""
    try:
        discount = discount_from_mapping(values)
    except PriceBookError as exc:
        raise PriceEntryError(str(exc)) from None
    discount = ContractDiscount(discount.percent, discount.effective_from, discount.model, note)
    with workspace.write() as conn:
        save_discount(conn, discount)
        audit.record(
            conn,
            "price.discount",
            model=discount.model or "(every model)",
            effective_from=discount.effective_from.isoformat(),
            percent=f"{discount.percent:f}",
            note=note,
        )
    return discount


def contract_discounts(workspace: Workspace) -> list[ContractDiscount]:
    with workspace.engine.connect() as conn:
        return stored_discounts(conn)


@dataclass(frozen=True)
class PriceListImport:
    """What importing a price list did."""

    added: int
    replaced: int
    """Entries that replaced one of yours with the same model and date."""
    discounts: int = 0


def import_price_list(workspace: Workspace, path: Path) -> PriceListImport:
    """Add or replace every entry of a price list file in one transaction, all checked first
    (:class:`PriceListError` names the first problem; then nothing is changed). Closed
    months keep the invoices they were closed with."""
    price_list = read_price_list(path)
    listed = price_list.prices
    with workspace.write() as conn:
        mine = {(e.model, e.effective_from) for e in user_price_entries(conn)}
        replaced = 0
        for item in listed:
            replaced += (item.entry.model, item.entry.effective_from) in mine
            save_price_entry(conn, item.entry, item.note)
        for discount in price_list.discounts:
            save_discount(conn, discount)
        audit.record(
            conn,
            "price.import",
            file=path.name,
            entries=len(listed),
            replaced=replaced,
            discounts=len(price_list.discounts),
        )
    return PriceListImport(len(listed) - replaced, replaced, len(price_list.discounts))


def export_price_list(workspace: Workspace, path: Path) -> int:
    """Write the price book in force (built-in and your entries) as a price list file."""
    view = price_book_entries(workspace)
    write_price_list(path, view.entries, view.discounts)
    return len(view.entries)
