"""The user's conventions for numbers and dates, read from the system locale through Qt.

``CHARGEBACK_DESK_LOCALE`` (e.g. ``de_DE``, ``fr_FR``, ``en_GB``) overrides the system's. The
"C" locale of a bare system (CI, containers) writes like US English.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QLocale

from app.ui.presentation.formatting import DisplayStyle, use_style

ENVIRONMENT = "CHARGEBACK_DESK_LOCALE"


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
    )


def use_system_style() -> DisplayStyle:
    """Write the screens in the user's locale (or ``CHARGEBACK_DESK_LOCALE``'s)."""
    name = os.environ.get(ENVIRONMENT)
    style = style_from_locale(QLocale(name) if name else QLocale.system())
    use_style(style)
    return style
