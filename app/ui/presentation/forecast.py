"""The Forecast page's state (Qt-free): the commitment forecast at the adoption rates and
history the user sets — the chart's series (history, as-is and optimised with their
intervals), the commitment per quarter, each team's twelve months, and the assumptions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from app.services.forecast import LEVERS, CommitmentForecast, Range, commitment_forecast
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import money, percent, short_month
from app.ui.presentation.table import Column, TableState

LEVER_TITLES = {"routing": "Routing", "caching": "Caching", "batch": "Batch"}


@dataclass
class ChartSeries:
    """What the chart draws (floats for drawing only; tooltips carry the exact amounts)."""

    labels: list[str] = field(default_factory=list)
    history: list[float] = field(default_factory=list)
    """Actual cost of the basis months, drawn at x = 0, 1, …"""
    forecast_x: list[int] = field(default_factory=list)
    """Where the forecast lines are drawn: from the last actual month on."""
    as_is: tuple[list[float], list[float], list[float]] = ([], [], [])
    optimised: tuple[list[float], list[float], list[float]] = ([], [], [])
    tips: list[str] = field(default_factory=list)


def _range_text(r: Range) -> str:
    return f"{money(r.low)} – {money(r.high)}"


def _month_span(months: tuple[str, ...]) -> str:
    """``Nov–Dec``, or ``Oct`` for a quarter of one month."""
    first, last = short_month(months[0]).split()[0], short_month(months[-1]).split()[0]
    return first if len(months) == 1 else f"{first}–{last}"


def _floats(ranges: tuple[Range, ...]) -> tuple[list[float], list[float], list[float]]:
    return (
        [float(r.point) for r in ranges],
        [float(r.low) for r in ranges],
        [float(r.high) for r in ranges],
    )


class ForecastPresenter:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.adoption = dict.fromkeys(LEVERS, Decimal("0.5"))
        self.history_months = 6
        self.forecast: CommitmentForecast | None = None
        self.quarters = TableState(
            [
                Column("Quarter"),
                Column("As-is", True),
                Column("Optimised", True),
                Column("Commitment", True),
            ],
            empty_text="No forecast: import at least one complete month of usage",
        )
        self.teams = TableState(
            [
                Column("Team"),
                Column("As-is", True),
                Column("Optimised", True),
            ],
            empty_text="No usage to forecast",
        )
        self.chart = ChartSeries()
        self.headline = ""
        self.assumptions: list[str] = []

    def set_adoption(self, lever: str, percent_value: int) -> None:
        self.adoption[lever] = Decimal(percent_value) / 100

    def fetch_task(self) -> Callable[[], CommitmentForecast]:
        """The forecast at the rates and history set now (copied), for a worker."""
        workspace, history, adoption = self.workspace, self.history_months, dict(self.adoption)
        return lambda: commitment_forecast(workspace, 12, history, adoption)

    def clear(self) -> None:
        self.forecast = None
        self.quarters.rows, self.quarters.total = [], None
        self.teams.rows = []
        self.chart = ChartSeries()
        self.headline = ""
        self.assumptions = []

    def apply(self, forecast: CommitmentForecast) -> None:
        self.forecast = forecast
        self.quarters.rows = [
            [
                f"{q.quarter} · {_month_span(q.months)}",
                money(q.as_is.point),
                money(q.optimised.point),
                money(q.commitment),
            ]
            for q in forecast.quarters
        ]
        as_is = sum((q.as_is.point for q in forecast.quarters), Decimal(0))
        optimised = sum((q.optimised.point for q in forecast.quarters), Decimal(0))
        self.quarters.total = [
            f"Total · {len(forecast.months)} months",
            money(as_is),
            money(optimised),
            money(forecast.commitment),
        ]
        self.teams.rows = [[team, money(a), money(o)] for team, _, a, o in forecast.team_totals()]
        self.teams.total = None
        saving = as_is - optimised
        share = saving / as_is if as_is else Decimal(0)
        self.headline = (
            f"Commit to {money(forecast.commitment)} over {short_month(forecast.months[0])} – "
            f"{short_month(forecast.months[-1])}: the optimised forecast's lower bound. As-is "
            f"{money(as_is)}; optimised {money(optimised)} (saves {money(saving)}, "
            f"{percent(share, 1)})."
        )
        self.assumptions = list(forecast.assumptions)
        self._chart(forecast)

    def _chart(self, f: CommitmentForecast) -> None:
        basis, ahead = len(f.basis_months), len(f.months)
        history = [float(v) for v in f.history]
        # The forecast lines start from the last actual month, so the chart reads as one line.
        last = Range(f.history[-1], f.history[-1], f.history[-1])
        actual = zip(f.basis_months, f.history, strict=True)
        self.chart = ChartSeries(
            labels=[short_month(m) for m in (*f.basis_months, *f.months)],
            history=history,
            forecast_x=list(range(basis - 1, basis + ahead)),
            as_is=_floats((last, *f.as_is)),
            optimised=_floats((last, *f.optimised)),
            tips=[f"{short_month(m)}: actual {money(v)}" for m, v in actual]
            + [
                f"{short_month(m)}: as-is {money(a.point)} ({_range_text(a)}); optimised "
                f"{money(o.point)} ({_range_text(o)})"
                for m, a, o in zip(f.months, f.as_is, f.optimised, strict=True)
            ],
        )
        assert len(self.chart.labels) == basis + ahead
