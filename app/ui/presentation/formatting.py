"""Display formats for the screens: money, counts, percentages, months and days — in the
user's own conventions (separators, where the currency sign goes, month names, date order).

The conventions are a plain :class:`DisplayStyle` (Qt-free); the window derives one from the
system locale at start-up (see ``app.ui.locale_style``) and sets it with :func:`use_style`.
Until then, and in tests, the style is US English with ISO dates. Amounts are always US dollars
(the bill's currency); only how they are written follows the locale. Documents that leave the
building (PDF, Excel, CSV) keep their own fixed formats.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.domain.money import round_cents
from app.domain.rounding import cents_to_decimal


@dataclass(frozen=True)
class DisplayStyle:
    """How numbers and dates are written on screen."""

    decimal_point: str = "."
    group_separator: str = ","
    currency_first: bool = True
    """``$1.00`` (True) or ``1,00 $`` (False)."""
    currency_space: bool = False
    percent_space: bool = False
    """``12 %`` (French) rather than ``12%``."""
    month_names: tuple[str, ...] = tuple(calendar.month_name[1:])
    month_abbreviations: tuple[str, ...] = tuple(calendar.month_abbr[1:])
    date_pattern: str = "yyyy-MM-dd"
    """Days as Qt writes date patterns: ``d``/``dd``, ``M``/``MM``, ``yy``/``yyyy``."""


_style = DisplayStyle()


def use_style(style: DisplayStyle) -> None:
    """Write everything shown from now on in ``style``."""
    global _style
    _style = style


def current_style() -> DisplayStyle:
    return _style


def _number(text: str) -> str:
    """``1,234.56`` (Python's format) in the style's separators."""
    if _style.decimal_point == "." and _style.group_separator == ",":
        return text
    return (
        text.replace(",", "\0")
        .replace(".", _style.decimal_point)
        .replace("\0", _style.group_separator)
    )


def money(amount: Decimal | None, places: int = 2) -> str:
    """US dollars to the cent (or to ``places``), signed, with the dollar sign where the
    locale puts a currency sign: ``-$1,234.56``, ``-1.234,56 $``."""
    if amount is None:
        return ""
    value = (
        round_cents(amount)
        if places == 2
        else amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    )
    digits = _number(f"{abs(value):,.{places}f}")
    sign = "-" if value < 0 else ""
    space = "\u00a0" if _style.currency_space else ""
    if _style.currency_first:
        return f"{sign}${space}{digits}"
    return f"{sign}{digits}{space}$"


def money_from_cents(cents: int) -> str:
    return money(cents_to_decimal(cents))


def whole_dollars(value: float) -> str:
    """A chart axis tick: whole dollars (an axis position, not an amount of money)."""
    digits = _number(f"{abs(value):,.0f}")
    sign = "-" if value < 0 else ""
    space = "\u00a0" if _style.currency_space else ""
    return f"{sign}${space}{digits}" if _style.currency_first else f"{sign}{digits}{space}$"


def count(value: int) -> str:
    return _number(f"{value:,}")


def count_or_dash(value: int) -> str:
    """Sources without request counts (API reports) show a dash rather than a false zero."""
    return count(value) if value else "—"


def percent(value: Decimal | float, places: int = 0, signed: bool = False) -> str:
    """``value`` (a fraction: 0.125) as a percentage: ``12.5%``, ``+12,5 %``."""
    text = _number(f"{value * 100:{'+' if signed else ''}.{places}f}")
    space = "\u00a0" if _style.percent_space else ""
    return f"{text}{space}%"


def month_label(period: str) -> str:
    """``2026-10`` → ``October 2026`` (``octobre 2026``)."""
    year, month = period.split("-")
    return f"{_style.month_names[int(month) - 1]} {year}"


def short_month(period: str) -> str:
    """``2026-10`` → ``Oct 26``: a chart's axis."""
    year, month = period.split("-")
    return f"{_style.month_abbreviations[int(month) - 1]} {year[2:]}"


_DATE_PARTS = re.compile(r"yyyy|yy|MM|M|dd|d")


def day_label(iso_day: str) -> str:
    """``2026-11-06`` in the style's date pattern (``11/6/2026``, ``06.11.2026``)."""
    day = date.fromisoformat(iso_day[:10])
    parts = {
        "yyyy": f"{day.year:04d}",
        "yy": f"{day.year % 100:02d}",
        "MM": f"{day.month:02d}",
        "M": str(day.month),
        "dd": f"{day.day:02d}",
        "d": str(day.day),
    }
    return _DATE_PARTS.sub(lambda m: parts[m.group(0)], _style.date_pattern)


def dimension(value: str) -> str:
    return value if value else "(none)"
