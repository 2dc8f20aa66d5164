"""The Dashboard page: month selector, KPI strip, daily cost chart, cost by model and by key."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QWidget

from app.ui.daily_chart import DailyCostChart
from app.ui.month_page import MonthPage
from app.ui.presentation.dashboard import DashboardPresenter
from app.ui.presentation.formatting import month_label
from app.ui.widgets import FinanceTable, KpiCard, section_title


class DashboardPage(MonthPage):
    """A thin view over :class:`DashboardPresenter`."""

    presenter: DashboardPresenter

    def __init__(self, presenter: DashboardPresenter, parent: QWidget | None = None) -> None:
        super().__init__("", presenter, parent)
        layout = self.body
        kpis = QHBoxLayout()
        self.cards = [KpiCard() for _ in range(4)]
        for card in self.cards:
            kpis.addWidget(card)
        layout.addLayout(kpis)

        layout.addWidget(section_title("Daily cost"))
        self.chart = DailyCostChart()
        self.chart.setMinimumHeight(200)
        layout.addWidget(self.chart, 3)

        tables = QGridLayout()
        tables.addWidget(section_title("Cost by model"), 0, 0)
        tables.addWidget(section_title("Cost by API key and workspace"), 0, 1)
        self.model_table = FinanceTable(presenter.by_model)
        self.key_table = FinanceTable(presenter.by_key)
        tables.addWidget(self.model_table, 1, 0)
        tables.addWidget(self.key_table, 1, 1)
        tables.setColumnStretch(0, 1)
        tables.setColumnStretch(1, 1)
        layout.addLayout(tables, 4)
        self.show_state()

    def show_state(self) -> None:
        presenter = self.presenter
        self.title.setText(presenter.title)
        for card, kpi in zip(self.cards, presenter.kpis, strict=False):
            card.show_kpi(kpi.label, kpi.value, kpi.warning, kpi.hint)
        self.chart.show_series(
            presenter.daily, month_label(presenter.period) if presenter.period else ""
        )
        self.model_table.refresh()
        self.key_table.refresh()
