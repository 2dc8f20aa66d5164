"""The Forecast page: the next twelve months of Anthropic spend, as-is and optimised (the
savings levers at the adoption rates set here), with the commitment to negotiate against per
quarter, each team's twelve months and every assumption. Computed on a worker."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.forecast import LEVERS, CommitmentForecast
from app.ui.forecast_chart import ForecastChart
from app.ui.loaded_page import LoadedPage
from app.ui.presentation.forecast import LEVER_TITLES, ForecastPresenter
from app.ui.widgets import FinanceTable, section_title


class ForecastPage(LoadedPage):
    """A thin view over :class:`ForecastPresenter`; a changed rate recomputes (debounced)."""

    def __init__(self, presenter: ForecastPresenter, parent: QWidget | None = None) -> None:
        super().__init__("Commitment forecast", parent)
        self.presenter = presenter
        self.rates: dict[str, QSpinBox] = {}
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Savings adopted —"))
        self.recompute = QTimer(self)
        self.recompute.setSingleShot(True)
        self.recompute.setInterval(350)
        self.recompute.timeout.connect(self.load)
        for lever in LEVERS:
            box = QSpinBox()
            box.setRange(0, 100)
            box.setSuffix(" %")
            box.setMaximumWidth(80)
            box.setValue(int(presenter.adoption[lever] * 100))
            box.setToolTip(f"How much of the {lever} lever's estimated saving is adopted")
            box.valueChanged.connect(lambda value, name=lever: self._rate_changed(name, value))
            self.rates[lever] = box
            controls.addWidget(QLabel(f"{LEVER_TITLES[lever]}:"))
            controls.addWidget(box)
        self.history = QSpinBox()
        self.history.setRange(3, 36)
        self.history.setValue(presenter.history_months)
        self.history.setSuffix(" months")
        self.history.setMaximumWidth(110)
        self.history.setToolTip("Complete months the trend is fitted to")
        self.history.valueChanged.connect(self._history_changed)
        controls.addSpacing(18)
        controls.addWidget(QLabel("Trend over:"))
        controls.addWidget(self.history)
        controls.addStretch(1)
        self.body.addLayout(controls)
        self.headline = QLabel()
        self.headline.setObjectName("pageNote")
        self.headline.setWordWrap(True)
        self.body.addWidget(self.headline)
        self.chart = ForecastChart()
        self.chart.setMinimumHeight(180)
        self.body.addWidget(self.chart, 1)
        tables = QHBoxLayout()
        for title, state, attribute, stretch in (
            ("Commitment per quarter", presenter.quarters, "quarters", 3),
            ("By team, next 12 months", presenter.teams, "teams", 2),
        ):
            column = QVBoxLayout()
            column.addWidget(section_title(title))
            table = FinanceTable(state, stretch_column=0, stretch_minimum=90)
            table.setFixedHeight(196)  # five quarters and the total without scrolling
            setattr(self, attribute, table)
            column.addWidget(table)
            tables.addLayout(column, stretch)
        self.body.addLayout(tables)
        self.assumptions = QPlainTextEdit()
        self.assumptions.setReadOnly(True)
        self.assumptions.setFixedHeight(84)
        self.assumptions.setObjectName("assumptions")
        self.body.addWidget(self.assumptions)
        self.load_failed.connect(self._failed_load)

    def _rate_changed(self, lever: str, value: int) -> None:
        self.presenter.set_adoption(lever, value)
        self.recompute.start()

    def _history_changed(self, value: int) -> None:
        self.presenter.history_months = value
        self.recompute.start()

    def fetch_task(self) -> Callable[[], CommitmentForecast]:
        return self.presenter.fetch_task()  # the rates and history as set now, copied

    def _failed_load(self, message: str) -> None:
        """No forecast: say why, and show nothing from an earlier one."""
        self.presenter.clear()
        self.headline.setText(f"No forecast: {message}")
        self.chart.show_series(self.presenter.chart)
        self.quarters.refresh()
        self.teams.refresh()
        self.assumptions.clear()

    def show_load(self, load: CommitmentForecast) -> None:  # type: ignore[override]
        self.presenter.apply(load)
        self.headline.setText(self.presenter.headline)
        self.chart.show_series(self.presenter.chart)
        self.quarters.refresh()
        self.teams.refresh()
        self.assumptions.setPlainText(
            "Assumptions\n" + "\n".join(f"• {text}" for text in self.presenter.assumptions)
        )
