"""The user's conventions for numbers and dates, read from the system locale through Qt.

``CHARGEBACK_DESK_LOCALE`` (e.g. ``de_DE``, ``fr_FR``, ``en_GB``) overrides the system's. The
"C" locale of a bare system (CI, containers) writes like US English.
"""

from __future__ import annotations

import os
import re

from PySide6.QtCore import QLocale

from app.ui.presentation.formatting import DisplayStyle, use_style

ENVIRONMENT = "CHARGEBACK_DESK_LOCALE"


_TOKENS = re.compile(r"'(?:[^']|'')*'|yyyy|yy|MMMM|MMM|MM|M|dddd|ddd|dd|d|[^'yMd]+")
_FIELD = re.compile(r"^(yyyy|yy|MMMM|MMM|MM|M)$")
_SEPARATOR = re.compile(r"^[\s,.;:/\-\u060c]+$")


def month_pattern(long_date: str) -> str:
    """A month-and-year pattern from a locale's long date pattern: its weekday and day of the
    month left out with what follows each ("dddd, MMMM d, yyyy" → "MMMM yyyy", "yyyy年M月d日" →
    "yyyy年M月", "d 'de' MMMM 'de' yyyy" → "MMMM 'de' yyyy")."""
    kept: list[str] = []
    skip_next = False
    for token in _TOKENS.findall(long_date):
        if token.startswith("d") and token.strip("d") == "":
            skip_next = True  # the day (or weekday) and the separator after it
            continue
        if skip_next and not _FIELD.match(token):
            skip_next = False
            continue
        skip_next = False
        kept.append(token)
    while kept and not _FIELD.match(kept[0]):
        kept.pop(0)
    while kept and _SEPARATOR.match(kept[-1]):
        kept.pop()
    pattern = "".join(kept).strip()
    has_month = any(t.startswith("M") for t in kept)
    has_year = any(t.startswith("y") for t in kept)
    return pattern if has_month and has_year else "MMMM yyyy"


def style_from_locale(locale: QLocale) -> DisplayStyle:
    """The display conventions of ``locale`` (its separators, currency placement, month names
    and short date order — years always in four digits)."""
    if locale.language() == QLocale.Language.C:
        return DisplayStyle()
    written = locale.toCurrencyString(1234.5, "$")
    pattern = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "yyyy")
    percent = locale.toString(12) + locale.percent()
    return DisplayStyle(
        decimal_point=locale.decimalPoint() or ".",
        group_separator=locale.groupSeparator() or ",",
        currency_first=written.lstrip("-\u2212").startswith("$"),
        currency_space=any(c in written for c in (" ", "\u00a0", "\u202f")),
        percent_space=not percent.endswith("2" + locale.percent()),
        month_names=tuple(
            locale.standaloneMonthName(m, QLocale.FormatType.LongFormat) for m in range(1, 13)
        ),
        month_abbreviations=tuple(
            locale.standaloneMonthName(m, QLocale.FormatType.ShortFormat) for m in range(1, 13)
        ),
        date_pattern=pattern,
        month_pattern=month_pattern(locale.dateFormat(QLocale.FormatType.LongFormat)),
    )


def use_system_style() -> DisplayStyle:
    """Write the screens in the user's locale (or ``CHARGEBACK_DESK_LOCALE``'s)."""
    name = os.environ.get(ENVIRONMENT)
    style = style_from_locale(QLocale(name) if name else QLocale.system())
    use_style(style)
    return style
