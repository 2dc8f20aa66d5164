"""The forecast chart: actual monthly spend, then the as-is and optimised forecasts, each with
its prediction interval as a band; month ticks, a dollar axis, exact amounts on hover."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor

from app.ui.bar_chart import BarChart
from app.ui.presentation.forecast import ChartSeries

ACTUAL, AS_IS, OPTIMISED = "#1f3a5f", "#3b6ea8", "#2f8f5b"


def _band_brush(colour: str) -> QColor:
    band = QColor(colour)
    band.setAlpha(45)
    return band


class ForecastChart(BarChart):
    def __init__(self) -> None:
        super().__init__("Spend (USD)", "Month")

    def show_series(self, series: ChartSeries) -> None:
        plot = self.getPlotItem()
        self.clear_items()
        if not series.labels:
            return
        x_all = list(range(len(series.labels)))
        history = pg.PlotDataItem(
            x_all[: len(series.history)],
            series.history,
            pen=pg.mkPen(ACTUAL, width=2.5),
            symbol="o",
            symbolSize=6,
            symbolBrush=ACTUAL,
            symbolPen=None,
            name="Actual",
        )
        self._add(history)
        for (point, low, high), colour, name, style in (
            (series.as_is, AS_IS, "As-is", pg.QtCore.Qt.PenStyle.DashLine),
            (series.optimised, OPTIMISED, "Optimised", pg.QtCore.Qt.PenStyle.SolidLine),
        ):
            lower = pg.PlotDataItem(series.forecast_x, low, pen=pg.mkPen(None))
            upper = pg.PlotDataItem(series.forecast_x, high, pen=pg.mkPen(None))
            band = pg.FillBetweenItem(lower, upper, brush=_band_brush(colour))
            for item in (lower, upper, band):
                self._add(item)
            line = pg.PlotDataItem(
                series.forecast_x,
                point,
                pen=pg.mkPen(colour, width=2.5, style=style),
                name=f"{name} (band: 90 % interval)",
            )
            self._add(line)
        self.tips = list(series.tips)
        step = 2 if len(series.labels) > 12 else 1
        plot.getAxis("bottom").setTicks(
            [[(x, label) for x, label in enumerate(series.labels) if x % step == 0]]
        )
        plot.setXRange(-0.4, len(series.labels) - 0.6, padding=0)
        top = max([*series.history, *series.as_is[2], *series.optimised[2], 1.0])
        plot.setYRange(0, top * 1.3, padding=0)  # room for the legend above the lines

    def _add(self, item: pg.GraphicsObject) -> None:
        self.getPlotItem().addItem(item)
        self.items.append(item)
