"""The screens write money, counts, percentages, months and days in the user's conventions."""

from decimal import Decimal

import pytest

from app.ui.presentation import formatting
from app.ui.presentation.formatting import (
    DisplayStyle,
    count,
    day_label,
    money,
    month_label,
    percent,
    short_month,
    use_style,
)

GERMAN = DisplayStyle(
    decimal_point=",",
    group_separator=".",
    currency_first=False,
    currency_space=True,
    month_names=(
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    month_abbreviations=(
        "Jan",
        "Feb",
        "Mär",
        "Apr",
        "Mai",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Okt",
        "Nov",
        "Dez",
    ),
    date_pattern="dd.MM.yyyy",
)


@pytest.fixture
def style():
    before = formatting.current_style()
    yield use_style
    use_style(before)


def test_us_english_with_iso_days_until_a_locale_is_chosen():
    assert money(Decimal("-1234.565")) == "-$1,234.57"
    assert money(Decimal("0.21004"), 4) == "$0.2100"
    assert count(1234567) == "1,234,567"
    assert percent(Decimal("0.125"), 1) == "12.5%"
    assert percent(Decimal("-0.4"), signed=True) == "-40%"
    assert month_label("2026-10") == "October 2026" and short_month("2026-10") == "Oct 26"
    assert day_label("2026-11-06") == "2026-11-06"


def test_a_german_controller_reads_german_numbers_and_dates(style):
    style(GERMAN)
    assert money(Decimal("-1234.565")) == "-1.234,57\u00a0$"
    assert count(1234567) == "1.234.567"
    assert percent(Decimal("0.125"), 1, signed=True) == "+12,5%"
    assert month_label("2026-03") == "März 2026" and short_month("2026-10") == "Okt 26"
    assert day_label("2026-11-06") == "06.11.2026"
    assert day_label("2026-11-25T23:46:00") == "25.11.2026"


def test_the_style_comes_from_the_locale(monkeypatch, style):
    from PySide6.QtCore import QLocale

    from app.ui.locale_style import style_from_locale, use_system_style

    german = style_from_locale(QLocale("de_DE"))
    assert (german.decimal_point, german.group_separator) == (",", ".")
    assert not german.currency_first and german.currency_space
    assert german.month_names[2] == "März" and german.date_pattern == "dd.MM.yyyy"
    us = style_from_locale(QLocale("en_US"))
    assert us.currency_first and us.date_pattern == "M/d/yyyy"
    assert style_from_locale(QLocale.c()) == DisplayStyle()  # a bare system: as in tests
    monkeypatch.setenv("CHARGEBACK_DESK_LOCALE", "fr_FR")
    use_system_style()
    assert month_label("2026-11") == "novembre 2026"
    assert money(Decimal("1234.5")) == "1\u202f234,50\u00a0$"


def test_the_window_shows_the_locale_s_money(qtbot, style, tmp_path):
    from app.services.demo import build_demo_workspace
    from app.ui.main_window import MainWindow

    style(GERMAN)
    workspace = build_demo_workspace(tmp_path / "demo.cbdesk")
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.set_workspace(workspace)
    page = window.dashboard
    qtbot.waitUntil(lambda: not page.loading and not page.dirty, timeout=20_000)
    assert page.month.currentText() == "November 2026"
    assert page.cards[0].value.text().endswith("\u00a0$") and "," in page.cards[0].value.text()
    total = page.presenter.teams.total[1]
    assert total.endswith("\u00a0$") and total.count(",") == 1
    window.close()
    window.workspace = None
    workspace.dispose()


def test_percentages_round_like_money_and_never_show_minus_zero():
    from app.ui.presentation.formatting import whole_dollars

    assert percent(Decimal("0.125")) == "13%" and percent(Decimal("0.135")) == "14%"
    assert percent(Decimal("-0.0001"), 1) == "0.0%"
    assert percent(Decimal("-0.0001"), 1, signed=True) == "+0.0%"
    assert whole_dollars(-0.3) == "$0" and whole_dollars(20000.0) == "$20,000"


@pytest.mark.parametrize(
    ("name", "month", "day"),
    [
        ("en_US", "November 2026", "11/6/2026"),
        ("es_ES", "noviembre de 2026", "6/11/2026"),
        ("ja_JP", "2026年11月", "2026/11/06"),
        ("hu_HU", "2026. november", "2026. 11. 06."),
        ("bg_BG", "ноември 2026\u202fг", "6.11.2026\u202fг."),
    ],
)
def test_months_and_days_in_the_locale_s_own_order(style, name, month, day):
    from PySide6.QtCore import QLocale

    from app.ui.locale_style import style_from_locale

    style(style_from_locale(QLocale(name)))
    assert month_label("2026-11") == month
    assert day_label("2026-11-06") == day
