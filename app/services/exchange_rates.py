"""Use case: the monthly rates into the company's own currency — entered one by one or read
from a small CSV (period, currency, rate, source), each with where it was read; audited."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.domain.currency import RateError, is_currency_code, parse_rate
from app.domain.money import format_exact
from app.domain.periods import is_month
from app.services.small_tables import TableFileRejected, read_table
from app.workspace import audit
from app.workspace.db import Workspace
from app.workspace.rates import save_rate, stored_rates

MAX_SOURCE = 200


class RatesRejected(TableFileRejected):
    """A rate (or a rates file) has problems; nothing changed. ``problems`` says where."""


@dataclass(frozen=True)
class ExchangeRate:
    period: str
    currency: str
    rate: str
    """Units of ``currency`` per unit of the bill's currency, exact."""
    source: str
    entered_at: str


def _checked(
    where: str, period: str, currency: str, rate: str, source: str
) -> tuple[tuple[str, str, str, str] | None, list[str]]:
    problems = []
    if not is_month(period):
        problems.append(f"{where}'period': not YYYY-MM: {period!r}")
    if not is_currency_code(currency):
        problems.append(f"{where}'currency': a three-letter code such as EUR: {currency!r}")
    exact = ""
    try:
        exact = format_exact(parse_rate(rate))
    except RateError as exc:
        problems.append(f"{where}'rate': {exc}")
    if not source.strip():
        problems.append(f"{where}'source': say where the rate comes from")
    elif len(source) > MAX_SOURCE:
        problems.append(f"{where}'source': at most {MAX_SOURCE} characters")
    if problems:
        return None, problems
    return (period, currency, exact, source.strip()), []


def _save(workspace: Workspace, rates: list[tuple[str, str, str, str]], origin: str) -> None:
    with workspace.write() as conn:
        for period, currency, rate, source in rates:
            save_rate(conn, period, currency, rate, source)
        audit.record(
            conn,
            "rates.set",
            origin=origin,
            rates=[{"period": p, "currency": c, "rate": r, "source": s} for p, c, r, s in rates],
        )


def set_rate(workspace: Workspace, period: str, currency: str, rate: str, source: str) -> str:
    """Set one month's rate; the exact rate stored. A closed month keeps the rate it closed
    with (frozen in its document)."""
    checked, problems = _checked("", period, currency.strip().upper(), rate, source)
    if checked is None:
        raise RatesRejected([p.replace("'", "", 2) for p in problems])
    _save(workspace, [checked], "entered")
    return checked[2]


def import_rates_csv(workspace: Workspace, path: Path) -> int:
    """``period, currency, rate, source`` rows, all checked first; all saved or none."""
    found, problems = [], []
    seen: dict[tuple[str, str], str] = {}
    try:
        rows = list(read_table(path, ("period", "currency", "rate", "source")))
    except TableFileRejected as exc:
        raise RatesRejected(exc.problems) from None
    for where, row in rows:
        key = (row["period"], row["currency"].upper())
        if key in seen:
            problems.append(
                f"{where}: {key[0]} {key[1]} is already given on {seen[key].split(': ')[-1]}; "
                f"one rate per month and currency"
            )
            continue
        seen[key] = where
        checked, wrong = _checked(
            f"{where}, column ",
            row["period"],
            row["currency"].upper(),
            row["rate"],
            row["source"],
        )
        problems += wrong
        if checked is not None:
            found.append(checked)
    if problems:
        raise RatesRejected(problems)
    _save(workspace, found, path.name)
    return len(found)


def list_rates(workspace: Workspace) -> list[ExchangeRate]:
    with workspace.engine.connect() as conn:
        return [ExchangeRate(**row) for row in stored_rates(conn)]
