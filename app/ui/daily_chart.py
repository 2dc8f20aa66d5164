"""Daily cost bar chart of a month: one bar per day, dollar axis, day ticks; hovering a day
shows its exact cost."""

from __future__ import annotations

import pyqtgraph as pg

from app.ui.bar_chart import BarChart
from app.ui.presentation.dashboard import DailySeries
from app.ui.presentation.formatting import money_from_cents

BAR_COLOUR = "#3b6ea8"


class DailyCostChart(BarChart):
    """Bars of cost per day; values are converted to float for drawing only."""

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__("Cost (USD)", "Day of month", first_x=1)
        if parent is not None:
            self.setParent(parent)
        self.legend.hide()
        self._bars: pg.BarGraphItem | None = None

    def show_series(self, series: DailySeries, month: str) -> None:
        plot = self.getPlotItem()
        self.clear_items()
        self._bars = None
        plot.setLabel(
            "bottom", f"Day of {month}" if month else "Day of month", color=self.axis_text
        )
        if not series.days:
            return
        heights = [cents / 100 for cents in series.cents]
        self._bars = pg.BarGraphItem(
            x=series.days, height=heights, width=0.7, brush=BAR_COLOUR, pen=pg.mkPen(None)
        )
        plot.addItem(self._bars)
        self.items.append(self._bars)
        self.tips = [
            f"Day {day}: {money_from_cents(cents)}"
            for day, cents in zip(series.days, series.cents, strict=True)
        ]
        ticks = [(d, str(d)) for d in series.days if d == 1 or d % 5 == 0]
        plot.getAxis("bottom").setTicks([ticks])
        plot.setXRange(0.3, len(series.days) + 0.7, padding=0)
        top = max(heights) if max(heights) > 0 else 1
        plot.setYRange(0, top * 1.12, padding=0)
        plot.getAxis("left").setStyle(tickTextOffset=6)
