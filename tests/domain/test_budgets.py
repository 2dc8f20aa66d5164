"""Budget status and run-rate forecast, by hand (CHARGEBACK_MATH.md §8)."""

from decimal import Decimal
from fractions import Fraction

from app.domain.budgets import forecast, status_of, suggest


def test_forecast_uses_the_last_seven_days_with_data():
    # Days 1..10 cost 10 each except day 10 = 80; no data on day 4. Last 7 days with data:
    # 5,6,7,8,9,10 and 3 → (10×6 + 80) / 7 = 20 a day; 20 days remain.
    daily = {d: Fraction(10) for d in (1, 2, 3, 5, 6, 7, 8, 9)} | {10: Fraction(80)}
    direct = sum(daily.values(), Fraction(0))
    assert direct == 160
    # Charged amount so far 176 (10 % overhead): markup 1.1.
    assert forecast(Fraction(176), daily, direct, 10, 30) == 176 + 20 * 20 * Fraction(11, 10)


def test_complete_month_forecast_is_actual():
    assert forecast(Fraction(50), {31: Fraction(50)}, Fraction(50), 31, 31) == 50


def test_status_thresholds():
    assert status_of(Fraction(79), Decimal(100), Decimal("0.80")) == (Decimal("0.7900"), "under")
    assert status_of(Fraction(80), Decimal(100), Decimal("0.80")) == (Decimal("0.8000"), "warning")
    assert status_of(Fraction(100), Decimal(100), Decimal("0.80"))[1] == "over"
    assert status_of(Fraction(5), None, Decimal("0.80")) == (None, None)


def test_suggest_adds_the_buffer():
    assert suggest({"Data": Decimal("8800")}, Decimal("0.20")) == {"Data": Decimal(10560)}
