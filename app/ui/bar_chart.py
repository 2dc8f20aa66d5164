"""The bar chart every chart of the window is made from (pyqtgraph): a dollar axis, no mouse
zoom, a legend, and a tooltip with the exact amounts of the bar under the mouse."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QToolTip

from app.ui import theme
from app.ui.presentation.formatting import whole_dollars


class DollarAxis(pg.AxisItem):
    """Left axis in whole dollars with thousands separators."""

    def tickStrings(self, values, scale, spacing):  # type: ignore[no-untyped-def]
        return [whole_dollars(v) for v in values]


class BarChart(pg.PlotWidget):
    """Bars at x = ``first_x``, ``first_x`` + 1, …; ``tips`` holds each bar's tooltip."""

    def __init__(self, left_label: str, bottom_label: str = "", first_x: int = 0) -> None:
        colours = theme.current()
        self.axis_text = colours.axis_text
        super().__init__(
            background=colours.chart_background,
            axisItems={"left": DollarAxis(orientation="left")},
        )
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.first_x = first_x
        plot = self.getPlotItem()
        plot.showGrid(x=False, y=True, alpha=0.25)
        for name in ("left", "bottom"):
            plot.getAxis(name).setTextPen(self.axis_text)
            plot.getAxis(name).setPen("#9aa5b1")
        plot.setLabel("left", left_label, color=self.axis_text)
        if bottom_label:
            plot.setLabel("bottom", bottom_label, color=self.axis_text)
        self.legend = plot.addLegend(
            offset=(8, 2), labelTextColor=self.axis_text, labelTextSize="8pt", colCount=4
        )
        self.items: list[pg.GraphicsObject] = []
        self.tips: list[str] = []
        """The tooltip of each bar, in x order."""
        self.scene().sigMouseMoved.connect(self._hover)

    def clear_items(self) -> None:
        plot = self.getPlotItem()
        for item in self.items:
            plot.removeItem(item)
        self.items = []
        self.legend.clear()
        self.tips = []

    def column_at(self, scene_position: QPointF) -> int | None:
        """The bar under a scene position (its index in ``tips``), or ``None``."""
        plot = self.getPlotItem()
        if not self.tips or not plot.sceneBoundingRect().contains(scene_position):
            return None
        x = plot.vb.mapSceneToView(scene_position).x() - self.first_x
        column = round(x)
        return column if 0 <= column < len(self.tips) and abs(x - column) <= 0.4 else None

    def _hover(self, position: QPointF) -> None:
        column = self.column_at(position)
        if column is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(QCursor.pos(), self.tips[column], self)
