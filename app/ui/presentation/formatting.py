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
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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
    """Days, as a Qt date pattern (see :func:`format_date_pattern`)."""
    month_pattern: str = "MMMM yyyy"
    """A month of a year, as a Qt date pattern."""


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
    value = round(value)
    digits = _number(f"{abs(value):,}")
    sign = "-" if value < 0 else ""
    space = "\u00a0" if _style.currency_space else ""
    return f"{sign}${space}{digits}" if _style.currency_first else f"{sign}{digits}{space}$"


def count(value: int) -> str:
    return _number(f"{value:,}")


def count_or_dash(value: int) -> str:
    """Sources without request counts (API reports) show a dash rather than a false zero."""
    return count(value) if value else "—"


def percent(value: Decimal | float, places: int = 0, signed: bool = False) -> str:
    """``value`` (a fraction: 0.125) as a percentage, rounded half up like money: ``12.5%``,
    ``+13 %``; never ``-0%``."""
    rounded = (Decimal(str(value)) * 100).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    text = _number(f"{rounded:{'+' if signed else ''}.{places}f}")
    space = "\u00a0" if _style.percent_space else ""
    return f"{text}{space}%"


def month_label(period: str) -> str:
    """``2026-10`` → ``October 2026`` (``octobre 2026``, ``2026年10月``)."""
    year, month = period.split("-")
    return format_date_pattern(_style.month_pattern, date(int(year), int(month), 1))


def short_month(period: str) -> str:
    """``2026-10`` → ``Oct 26``: a chart's axis."""
    year, month = period.split("-")
    return f"{_style.month_abbreviations[int(month) - 1]} {year[2:]}"


_DATE_PARTS = re.compile(r"'([^']*)'|yyyy|yy|MMMM|MMM|MM|M|dddd|ddd|dd|d")


def format_date_pattern(pattern: str, day: date, style: DisplayStyle | None = None) -> str:
    """``day`` written in a Qt date ``pattern``: ``d``/``dd``, ``M``/``MM``/``MMM``/``MMMM``,
    ``yy``/``yyyy``, ``'quoted text'`` as it is; weekday names are left out."""
    style = style or _style
    parts = {
        "yyyy": f"{day.year:04d}",
        "yy": f"{day.year % 100:02d}",
        "MMMM": style.month_names[day.month - 1],
        "MMM": style.month_abbreviations[day.month - 1],
        "MM": f"{day.month:02d}",
        "M": str(day.month),
        "dddd": "",
        "ddd": "",
        "dd": f"{day.day:02d}",
        "d": str(day.day),
    }

    def part(match: re.Match[str]) -> str:
        if match.group(0).startswith("'"):
            return match.group(1) or "'"  # '' is a quote mark
        return parts[match.group(0)]

    return _DATE_PARTS.sub(part, pattern).strip(" ,")


def day_label(iso_day: str) -> str:
    """``2026-11-06`` in the style's date pattern (``11/6/2026``, ``06.11.2026``)."""
    return format_date_pattern(_style.date_pattern, date.fromisoformat(iso_day[:10]))


def dimension(value: str) -> str:
    return value if value else "(none)"


def rate_from_percent(text: str) -> str:
    """A percentage as typed → the policy's rate (``12.5`` → ``0.125``); empty stays empty.
    Text that is not a number is kept as typed, so validation names it."""
    text = text.strip().rstrip("%").strip()
    if not text:
        return ""
    try:
        return f"{(Decimal(text.replace(',', '.')) / 100).normalize():f}"
    except InvalidOperation:
        return text
