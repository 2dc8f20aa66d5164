"""Calendar months as periods: the next month, and where late usage of a closed month is billed.

A closed month's late usage (imported after it closed) is billed once, by the first month after
it that is still open (CHARGEBACK_MATH.md §7); closing that month freezes it there.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def is_month(text: str) -> bool:
    """Whether ``text`` is a month as the app writes them: ``YYYY-MM``."""
    return bool(_MONTH.match(text))


def days_in_month(period: str) -> int:
    """How many days the month ``YYYY-MM`` has."""
    year, month = (int(p) for p in period.split("-"))
    return calendar.monthrange(year, month)[1]


def next_month(period: str) -> str:
    """``YYYY-MM`` of the month after ``period``."""
    year, month = (int(p) for p in period.split("-"))
    return f"{year + month // 12}-{month % 12 + 1:02d}"


def previous_month(period: str) -> str:
    """``YYYY-MM`` of the month before ``period``."""
    year, month = (int(p) for p in period.split("-"))
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def shifted_month(period: str, offset: int) -> str:
    """``YYYY-MM`` of the month ``offset`` months after ``period`` (before, when negative)."""
    year, month = (int(p) for p in period.split("-"))
    index = year * 12 + (month - 1) + offset
    return f"{index // 12}-{index % 12 + 1:02d}"


def months_ending(period: str, count: int) -> list[str]:
    """The ``count`` months up to and including ``period``, oldest first."""
    return [shifted_month(period, -i) for i in range(count - 1, -1, -1)]


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included (none when ``first`` is later)."""
    count = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1
    return months_ending(last, count) if count > 0 else []


def next_open_period(period: str, closed: Collection[str]) -> str:
    """The first month after ``period`` that is not closed."""
    candidate = next_month(period)
    while candidate in closed:
        candidate = next_month(candidate)
    return candidate


def late_usage_sources(period: str, closed: Collection[str]) -> list[str]:
    """The closed months whose unbilled late usage the open ``period`` bills, oldest first."""
    if period in closed:
        return []
    return sorted(q for q in closed if q < period and next_open_period(q, closed) == period)
