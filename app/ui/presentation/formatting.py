"""Display formats for the screens: money, counts, months."""

from __future__ import annotations

import calendar
from decimal import Decimal

from app.domain.money import format_money_display
from app.domain.rounding import cents_to_decimal


def money_from_cents(cents: int) -> str:
    return format_money_display(cents_to_decimal(cents))


def money(amount: Decimal | None) -> str:
    return "" if amount is None else format_money_display(amount)


def count(value: int) -> str:
    return f"{value:,}"


def count_or_dash(value: int) -> str:
    """Sources without request counts (API reports) show a dash rather than a false zero."""
    return f"{value:,}" if value else "—"


def month_label(period: str) -> str:
    """``2026-10`` → ``October 2026``."""
    year, month = period.split("-")
    return f"{calendar.month_name[int(month)]} {year}"


def dimension(value: str) -> str:
    return value if value else "(none)"
