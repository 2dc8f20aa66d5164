"""Price list files: read a whole list (TOML like the built-in book, or CSV) and check every
entry before anything is kept; write the price book in force in either shape.

CSV: a header row naming the columns, then one entry per row. ``model``, ``input`` and
``output`` are required; ``effective_from`` (YYYY-MM-DD, default: always), the cache, long-
context, fast-mode and prompt-band columns of :data:`PRICE_LIST_COLUMNS`, ``citation`` and
``note`` are optional. Rates are USD per million tokens, written as decimals (``0.30``).

A contract discount is a row with ``discount_percent`` and no rates (CSV), or a
``[[discounts]]`` entry (TOML): the percentage off every token rate from ``effective_from`` on,
on ``model`` or — without one — on every model.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.domain.price_book import (
    OPTIONAL_RATE_FIELDS,
    ContractDiscount,
    PriceBookError,
    PriceEntry,
    discount_from_mapping,
    entry_from_mapping,
)

PRICE_LIST_COLUMNS = ("model", "effective_from", "input", "output", *OPTIONAL_RATE_FIELDS)
DISCOUNT = "discount_percent"
TEXT_COLUMNS = ("citation", "note")
KNOWN_COLUMNS = {*PRICE_LIST_COLUMNS, DISCOUNT, *TEXT_COLUMNS, "source", "checked_on"}
RATE_NAMES = {"input", "output", *OPTIONAL_RATE_FIELDS}


class PriceListError(ValueError):
    """A price list file cannot be imported; the message names the file, entry and field."""


@dataclass(frozen=True)
class ListedPrice:
    """One entry of a price list, with the note it is kept with."""

    entry: PriceEntry
    note: str


@dataclass(frozen=True)
class PriceList:
    """The entries and contract discounts of a price list file."""

    prices: list[ListedPrice]
    discounts: list[ContractDiscount]


def read_price_list(path: Path) -> PriceList:
    """Every entry and discount of ``path`` (``.toml`` or ``.csv``), each checked; the first
    problem raises :class:`PriceListError` naming where it is."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PriceListError(f"{path.name}: cannot read the file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PriceListError(f"{path.name}: not UTF-8 text (byte {exc.start})") from None
    if path.suffix.lower() == ".toml":
        rows = _toml_rows(path.name, text)
    elif path.suffix.lower() == ".csv":
        rows = _csv_rows(path.name, text)
    else:
        raise PriceListError(f"{path.name}: a price list is a .toml or .csv file")
    listed: list[ListedPrice] = []
    discounts: list[ContractDiscount] = []
    seen: dict[tuple[str, str, object], str] = {}
    for where, row in rows:
        if DISCOUNT in row:
            discount = _discount(path.name, where, row)
            discounts.append(discount)
            key = ("discount", discount.model, discount.effective_from)
            what = f"a discount on {discount.model or 'every model'}"
        else:
            item = _listed(path.name, where, row)
            listed.append(item)
            key = ("price", item.entry.model, item.entry.effective_from)
            what = item.entry.model
        if key in seen:
            raise PriceListError(
                f"{path.name}, {where}: {what} from {key[2]} is also in {seen[key]}"
            )
        seen[key] = where
    if not listed and not discounts:
        raise PriceListError(f"{path.name}: no price entries")
    return PriceList(listed, discounts)


def _toml_rows(name: str, text: str) -> list[tuple[str, dict[str, object]]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PriceListError(f"{name}: not valid TOML: {exc}") from None
    items = data.get("prices", [])
    discounts = data.get("discounts", [])
    for found in (items, discounts):
        if not isinstance(found, list) or not all(isinstance(i, dict) for i in found):
            raise PriceListError(
                f"{name}: expected [[prices]] and [[discounts]] entries (see 'prices export')"
            )
    for n, item in enumerate(discounts, start=1):
        if DISCOUNT not in item:
            raise PriceListError(f"{name}, discount {n}: no {DISCOUNT}")
    return [(f"entry {n}", dict(item)) for n, item in enumerate(items, start=1)] + [
        (f"discount {n}", dict(item)) for n, item in enumerate(discounts, start=1)
    ]


def _csv_rows(name: str, text: str) -> list[tuple[str, dict[str, object]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("model", "input", "output") if c not in header]
    if missing and DISCOUNT in header:
        missing = []  # a list of discounts only
    if missing:
        raise PriceListError(f"{name}, row 1: no column {', '.join(missing)}")
    unknown = [h for h in header if h not in KNOWN_COLUMNS]
    if unknown:
        raise PriceListError(f"{name}, row 1, column {unknown[0]}: not a price list column")
    rows = []
    for line, values in enumerate(csv.reader(io.StringIO(text)), start=1):
        if line == 1 or not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise PriceListError(
                f"{name}, row {line}: {len(values)} values for {len(header)} columns"
            )
        row = {h: v.strip() for h, v in zip(header, values, strict=True) if v.strip()}
        rows.append((f"row {line}", dict(row)))
    return rows


def _discount(name: str, where: str, row: dict[str, object]) -> ContractDiscount:
    rates = sorted(k for k in row if k in RATE_NAMES)
    if rates:
        raise PriceListError(
            f"{name}, {where}, {rates[0]}: a row is a price or a discount, not both"
        )
    try:
        found = discount_from_mapping(row)
    except PriceBookError as exc:
        raise PriceListError(f"{name}, {where}: {exc}") from None
    note = " ".join(str(row[k]) for k in TEXT_COLUMNS if row.get(k))
    return ContractDiscount(found.percent, found.effective_from, found.model, note)


def _listed(name: str, where: str, row: dict[str, object]) -> ListedPrice:
    unknown = [k for k in row if k not in KNOWN_COLUMNS]
    if unknown:
        raise PriceListError(f"{name}, {where}, {unknown[0]}: not a price list field")
    try:
        entry = entry_from_mapping(row, source="user")
    except PriceBookError as exc:
        raise PriceListError(f"{name}, {where}: {exc}") from None
    note = " ".join(str(row[k]) for k in TEXT_COLUMNS if row.get(k))
    return ListedPrice(entry, note)


def write_price_list(
    path: Path, entries: Iterable[PriceEntry], discounts: Iterable[ContractDiscount] = ()
) -> None:
    """``entries`` and ``discounts`` as a price list that :func:`read_price_list` reads back
    (``.toml`` or ``.csv`` by the file's suffix), each entry with its source (built-in or
    yours)."""
    rows = [_row(e) for e in entries]
    discount_rows = [
        {
            "model": d.model,
            "effective_from": d.effective_from.isoformat(),
            DISCOUNT: f"{d.percent:f}",
            "note": d.note,
        }
        for d in discounts
    ]
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(
                handle,
                fieldnames=[*PRICE_LIST_COLUMNS, DISCOUNT, "note", "source"],
                restval="",
            )
            writer.writeheader()
            writer.writerows(rows)
            writer.writerows(discount_rows)
        return
    if path.suffix.lower() != ".toml":
        raise PriceListError(f"{path.name}: a price list is a .toml or .csv file")
    lines = ["# Price list exported by Chargeback Desk: USD per million tokens.", "version = 1"]
    for table, found in (("prices", rows), ("discounts", discount_rows)):
        for row in found:
            lines += ["", f"[[{table}]]"]
            lines += [f"{k} = {json.dumps(v)}" for k, v in row.items() if v != ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _row(entry: PriceEntry) -> dict[str, str]:
    values = {"model": entry.model, "effective_from": entry.effective_from.isoformat()}
    for name in ("input", "output", *OPTIONAL_RATE_FIELDS):
        value = getattr(entry, name)
        values[name] = "" if value is None else f"{value:f}"
    values["source"] = entry.source
    return values
