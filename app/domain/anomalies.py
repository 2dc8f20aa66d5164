"""Daily cost anomalies: a day far above its trailing baseline (median + k·MAD over 14 days)."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

BASELINE_DAYS = 14
MIN_HISTORY = 7
K = Decimal(5)
MAD_SCALE = Decimal("1.4826")
"""Makes the median absolute deviation comparable to a standard deviation."""
MIN_EXCESS = Decimal(10)
"""A day must also be at least $10 above its baseline: cents are never an anomaly."""


@dataclass(frozen=True)
class Anomaly:
    subject: str
    day: str
    cost: Decimal
    baseline: Decimal
    threshold: Decimal
    driver: str
    driver_cost: Decimal


def find_anomalies(
    subject: str,
    daily: Mapping[str, Decimal],
    drivers: Mapping[str, Mapping[str, Decimal]],
    days: list[str],
) -> list[Anomaly]:
    """Days of ``days`` whose cost exceeds median + K × scaled MAD of the 14 days before.

    ``daily`` maps every day with data to its cost; ``drivers[day]`` splits a day's cost by
    key or model, and the largest part is named as the driver.
    """
    ordered = sorted(daily)
    found = []
    for day in days:
        if day not in daily:
            continue
        history = [daily[d] for d in ordered if d < day][-BASELINE_DAYS:]
        if len(history) < MIN_HISTORY:
            continue
        median = statistics.median(history)
        mad = statistics.median([abs(v - median) for v in history])
        threshold = median + max(K * MAD_SCALE * mad, MIN_EXCESS)
        if daily[day] > threshold:
            parts = drivers.get(day, {})
            driver, driver_cost = max(parts.items(), key=lambda i: i[1]) if parts else ("", 0)
            found.append(
                Anomaly(subject, day, daily[day], median, threshold, driver, Decimal(driver_cost))
            )
    return found
