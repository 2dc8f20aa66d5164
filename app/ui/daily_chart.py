"""Daily cost bar chart of a month (pyqtgraph): one BarGraphItem, dollar axis, day ticks."""

from __future__ import annotations

import pyqtgraph as pg

from app.ui.presentation.dashboard import DailySeries

BAR_COLOUR = "#3b6ea8"
AXIS_TEXT = "#39424e"


class DollarAxis(pg.AxisItem):
    """Left axis in whole dollars with thousands separators."""

    def tickStrings(self, values, scale, spacing):
        return [f"${v:,.0f}" for v in values]


class DailyCostChart(pg.PlotWidget):
    """Bars of cost per day; values are converted to float for drawing only."""

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(
            parent=parent, background="w", axisItems={"left": DollarAxis(orientation="left")}
        )
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        plot = self.getPlotItem()
        plot.showGrid(x=False, y=True, alpha=0.25)
        for name in ("left", "bottom"):
            plot.getAxis(name).setTextPen(AXIS_TEXT)
            plot.getAxis(name).setPen("#9aa5b1")
        plot.setLabel("left", "Cost (USD)", color=AXIS_TEXT)
        plot.setLabel("bottom", "Day of month", color=AXIS_TEXT)
        self._bars: pg.BarGraphItem | None = None

    def show_series(self, series: DailySeries, month: str) -> None:
        plot = self.getPlotItem()
        if self._bars is not None:
            plot.removeItem(self._bars)
            self._bars = None
        plot.setLabel("bottom", f"Day of {month}" if month else "Day of month", color=AXIS_TEXT)
        if not series.days:
            return
        heights = [cents / 100 for cents in series.cents]
        self._bars = pg.BarGraphItem(
            x=series.days, height=heights, width=0.7, brush=BAR_COLOUR, pen=pg.mkPen(None)
        )
        plot.addItem(self._bars)
        ticks = [(d, str(d)) for d in series.days if d == 1 or d % 5 == 0]
        plot.getAxis("bottom").setTicks([ticks])
        plot.setXRange(0.3, len(series.days) + 0.7, padding=0)
        top = max(heights) if max(heights) > 0 else 1
        plot.setYRange(0, top * 1.12, padding=0)
        plot.getAxis("left").setStyle(tickTextOffset=6)
