"""The price book page's use cases: every entry (built-in with its source, or yours), the models
the usage has no price for (first), and your entries added, replaced, removed or imported from
a price list — each a change of the whole document that the Edit menu undoes. Closed months
keep the invoices they were closed with, whatever the prices become."""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import resources
from app.domain.price_book import OPTIONAL_RATE_FIELDS, PriceBookError, entry_from_mapping
from app.services.policy import discount_mapping, price_mapping
from app.services.policy_edits import EditRefused, PolicyChange, PolicyState, change_of
from app.services.price_list_files import PriceListError, read_price_list
from app.services.pricing import workspace_price_book
from app.services.workspaces import Workspace
from app.workspace.prices import priced_model_days

RATE_FIELDS = ("input", "output", *OPTIONAL_RATE_FIELDS)


@dataclass(frozen=True)
class Unpriced:
    """A model the usage has no price for, and the days it was used without one."""

    model: str
    first_day: str
    last_day: str
    days: int


@dataclass(frozen=True)
class PriceRow:
    model: str
    effective_from: str
    rates: dict[str, str]
    yours: bool
    source: str
    """In a few words: ``built-in, checked 2026-11-25`` or ``yours``."""
    citation: str = ""
    """Where a built-in entry's rates were read, and when that was checked."""


@dataclass(frozen=True)
class PriceBookState:
    rows: list[PriceRow]
    unpriced: list[Unpriced]


def _citations() -> dict[tuple[str, str], tuple[str, str]]:
    """(model, from) → (where the rates were read, when that was checked)."""
    data = tomllib.loads(resources.read_text("price_book.toml"))
    return {
        (str(item["model"]), str(item.get("effective_from", "2000-01-01"))): (
            str(item.get("citation", "")),
            str(item.get("checked_on", "")),
        )
        for item in data["prices"]
    }


def price_book_state(workspace: Workspace) -> PriceBookState:
    with workspace.engine.connect() as conn:
        book = workspace_price_book(conn)
        model_days = priced_model_days(conn)
    citations = _citations()
    rows = []
    for entry in sorted(book.entries(), key=lambda e: (e.model, e.effective_from)):
        day = entry.effective_from.isoformat()
        rates = {
            name: f"{getattr(entry, name):f}"
            for name in RATE_FIELDS
            if getattr(entry, name) is not None
        }
        yours = entry.source == "user"
        where, checked = citations.get((entry.model, day), ("", ""))
        source = "yours" if yours else (f"built-in, checked {checked}" if checked else "built-in")
        rows.append(PriceRow(entry.model, day, rates, yours, source, "" if yours else where))
    missing: dict[str, list[str]] = {}
    for model, day in model_days:
        if book.entry_for(model, date.fromisoformat(day)) is None:
            missing.setdefault(model, []).append(day)
    unpriced = [Unpriced(m, days[0], days[-1], len(days)) for m, days in sorted(missing.items())]
    return PriceBookState(rows, unpriced)


def _prices(mapping: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(p) for p in mapping.get("prices", [])]


def set_price(state: PolicyState, values: dict[str, str]) -> PolicyChange:
    """Add your entry (or replace yours of the same model and date); checked first."""
    try:
        entry = entry_from_mapping(values, source="user")
    except PriceBookError as exc:
        raise EditRefused("The price cannot be saved", [str(exc)]) from None
    mapped = price_mapping(entry)
    after = copy.deepcopy(state.mapping)
    prices = [
        p
        for p in _prices(after)
        if (p.get("model"), p.get("effective_from")) != (mapped["model"], mapped["effective_from"])
    ]
    replaced = len(prices) != len(_prices(after))
    after["prices"] = sorted([*prices, mapped], key=lambda p: (p["model"], p["effective_from"]))
    verb = "Change" if replaced else "Add"
    return change_of(
        state, f"{verb} the price of {entry.model} from {mapped['effective_from']}", after
    )


def remove_price(state: PolicyState, model: str, effective_from: str) -> PolicyChange:
    after = copy.deepcopy(state.mapping)
    prices = _prices(after)
    kept = [
        p for p in prices if (p.get("model"), p.get("effective_from")) != (model, effective_from)
    ]
    if len(kept) == len(prices):
        raise EditRefused(
            "Only your own prices can be removed",
            ["Built-in prices stay; add one of yours with a later date to change them."],
        )
    after["prices"] = kept
    if not kept:
        del after["prices"]
    return change_of(state, f"Remove your price of {model} from {effective_from}", after)


def import_prices(state: PolicyState, path: Path) -> PolicyChange:
    """Your entries and discounts from a price list file, added or replacing yours with the
    same model and date; refused with the file's problem."""
    try:
        price_list = read_price_list(path)
    except PriceListError as exc:
        raise EditRefused(f"{path.name} cannot be imported", [str(exc)]) from None
    after = copy.deepcopy(state.mapping)
    prices = {(p["model"], p["effective_from"]): p for p in _prices(after)}
    for item in price_list.prices:
        mapped = price_mapping(item.entry)
        prices[(mapped["model"], mapped["effective_from"])] = mapped
    after["prices"] = [prices[k] for k in sorted(prices)]
    if price_list.discounts:
        discounts = {
            (d.get("model", ""), d["effective_from"]): d for d in after.get("discounts", [])
        }
        for discount in price_list.discounts:
            mapped = discount_mapping(discount)
            discounts[(mapped.get("model", ""), mapped["effective_from"])] = mapped
        after["discounts"] = [discounts[k] for k in sorted(discounts)]
    return change_of(state, f"Import the price list {path.name}", after)
