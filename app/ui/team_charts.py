"""The dashboard's team charts (pyqtgraph): invoiced cost by team over the last months, stacked,
and budget vs actual per team with budget markers and status colours. Hovering a bar shows its
exact amounts; amounts are floats for drawing only.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Signal

from app.ui import theme
from app.ui.bar_chart import BarChart
from app.ui.presentation.dashboard import STATUS_COLOURS, BudgetBar, StackedMonths
from app.ui.presentation.formatting import money_from_cents


def _money(cents: int) -> str:
    return money_from_cents(cents)


class StackedMonthsChart(BarChart):
    """Invoiced cost per month, one colour per team, stacked; a team's part of a bar can be
    clicked."""

    chosen = Signal(str, str)
    """A team's part of a month's bar was clicked (the month, the team)."""

    def __init__(self) -> None:
        super().__init__("Invoiced (USD)")
        self._stacked = StackedMonths()
        self.scene().sigMouseClicked.connect(self._clicked)

    def _clicked(self, event) -> None:  # type: ignore[no-untyped-def]
        position = event.scenePos()
        column = self.column_at(position)
        if column is None:
            return
        team = self._stacked.team_at(column, self.getPlotItem().vb.mapSceneToView(position).y())
        if team is not None:
            self.chosen.emit(self._stacked.months[column], team)

    def show_months(self, stacked: StackedMonths) -> None:
        self._stacked = stacked
        self.clear_items()
        plot = self.getPlotItem()
        if not stacked.months:
            return
        x = list(range(len(stacked.months)))
        base = [0.0] * len(x)
        for series in stacked.series:
            heights = [c / 100 for c in series.cents]
            bars = pg.BarGraphItem(
                x=x, y0=base, height=heights, width=0.7, brush=series.colour, pen=pg.mkPen(None)
            )
            plot.addItem(bars)
            self.items.append(bars)
            self.legend.addItem(bars, series.team)
            base = [b + h for b, h in zip(base, heights, strict=True)]
        self.tips = [
            "\n".join(
                [stacked.labels[i]]
                + [f"{s.team}: {_money(s.cents[i])}" for s in stacked.series if s.cents[i]]
                + [f"Total: {_money(sum(s.cents[i] for s in stacked.series))}"]
                + ["Click a team's part to explore it in that month"]
            )
            for i in x
        ]
        plot.getAxis("bottom").setTicks([list(zip(x, stacked.labels, strict=True))])
        plot.setXRange(-0.6, len(x) - 0.4, padding=0)
        top = max(base) if max(base) > 0 else 1
        plot.setYRange(0, top * (1.15 + 0.12 * ((len(stacked.series) + 3) // 4)), padding=0)


class BudgetChart(BarChart):
    """Each team's invoice (bar, coloured by budget status), its budget (a bar marker) and,
    with ``forecast``, its month-end forecast (a diamond)."""

    chosen = Signal(str)
    """A team's bar was clicked (its name)."""

    def __init__(self, forecast: bool = False) -> None:
        super().__init__("USD")
        self.forecast = forecast
        self._teams: list[str] = []
        self.scene().sigMouseClicked.connect(self._clicked)

    def _clicked(self, event) -> None:  # type: ignore[no-untyped-def]
        column = self.column_at(event.scenePos())
        if column is not None and column < len(self._teams):
            self.chosen.emit(self._teams[column])

    def show_bars(self, bars: list[BudgetBar]) -> None:
        self.clear_items()
        self._teams = [b.team for b in bars]
        plot = self.getPlotItem()
        if not bars:
            return
        x = list(range(len(bars)))
        actual = pg.BarGraphItem(
            x=x,
            height=[b.actual_cents / 100 for b in bars],
            width=0.6,
            brushes=[pg.mkBrush(STATUS_COLOURS[b.status]) for b in bars],
            pen=pg.mkPen(None),
        )
        plot.addItem(actual)
        self.items.append(actual)
        budgeted = [
            (i, b.budget_cents / 100) for i, b in zip(x, bars, strict=True) if b.budget_cents
        ]
        if budgeted:
            markers = pg.ScatterPlotItem(
                x=[i for i, _ in budgeted],
                y=[v for _, v in budgeted],
                symbol="_",
                size=34,
                pen=pg.mkPen(self.axis_text, width=3),
            )
            plot.addItem(markers)
            self.items.append(markers)
            self.legend.addItem(markers, "Budget")
        if self.forecast:
            diamonds = pg.ScatterPlotItem(
                x=x,
                y=[b.forecast_cents / 100 for b in bars],
                symbol="d",
                size=10,
                brush=pg.mkBrush(theme.current().chart_background),
                pen=pg.mkPen(self.axis_text, width=1.5),
            )
            plot.addItem(diamonds)
            self.items.append(diamonds)
            self.legend.addItem(diamonds, "Forecast")
        for status in ("over", "at risk", "on track"):
            if any(b.status == status for b in bars):
                sample = pg.BarGraphItem(x=[], height=[], width=0, brush=STATUS_COLOURS[status])
                self.legend.addItem(sample, status.capitalize())
        self.tips = [
            f"{b.team}\nInvoice: {_money(b.actual_cents)}\nBudget: "
            + ("none" if b.budget_cents is None else _money(b.budget_cents))
            + f"\nForecast: {_money(b.forecast_cents)}\nStatus: {b.status}\nClick to explore"
            for b in bars
        ]
        labels = [(i, _short(b.team)) for i, b in zip(x, bars, strict=True)]
        plot.getAxis("bottom").setTicks([labels])
        plot.setXRange(-0.6, len(x) - 0.4, padding=0)
        forecasts = [b.forecast_cents / 100 for b in bars] if self.forecast else []
        top = max([b.actual_cents / 100 for b in bars] + [v for _, v in budgeted] + forecasts + [1])
        plot.setYRange(0, top * 1.3, padding=0)


def _short(team: str, limit: int = 10) -> str:
    """A team name for an axis tick; the whole name is in the bar's tooltip."""
    return team if len(team) <= limit else team[: limit - 1] + "…"


class GroupChart(BarChart):
    """The groups of an Explore level as bars; clicking a bar asks to go into it."""

    chosen = Signal(int)

    def __init__(self) -> None:
        super().__init__("Cost (USD)")
        self.scene().sigMouseClicked.connect(self._clicked)

    def show_groups(self, labels: list[str], cents: list[int], colours: list[str]) -> None:
        self.clear_items()
        self.legend.hide()
        plot = self.getPlotItem()
        if not labels:
            return
        x = list(range(len(labels)))
        bars = pg.BarGraphItem(
            x=x,
            height=[c / 100 for c in cents],
            width=0.7,
            brushes=[pg.mkBrush(c) for c in colours],
            pen=pg.mkPen(None),
        )
        plot.addItem(bars)
        self.items.append(bars)
        self.tips = [
            f"{label}\n{_money(c)}\nClick to go into it"
            for label, c in zip(labels, cents, strict=True)
        ]
        # As many characters as a bar's width holds (the whole name is in its tooltip).
        step = max(1, len(labels) // 12)
        room = max(self.width() - 80, 200) / len(labels) * step
        limit = max(3, int(room / 7))
        plot.getAxis("bottom").setTicks(
            [[(i, _short(labels[i], limit)) for i in x if i % step == 0]]
        )
        plot.setXRange(-0.6, len(x) - 0.4, padding=0)
        plot.setYRange(0, max(max(cents) / 100, 1) * 1.1, padding=0)

    def _clicked(self, event) -> None:  # type: ignore[no-untyped-def]
        column = self.column_at(event.scenePos())
        if column is not None:
            self.chosen.emit(column)
