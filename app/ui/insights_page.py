"""The Insights page: unit economics per team, savings levers in dollars, anomalies."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from app.ui.month_page import MonthPage
from app.ui.presentation.insights import InsightsPresenter
from app.ui.widgets import FinanceTable, section_title


class InsightsPage(MonthPage):
    """A thin view over :class:`InsightsPresenter`."""

    presenter: InsightsPresenter

    def __init__(self, presenter: InsightsPresenter, parent: QWidget | None = None) -> None:
        super().__init__("Insights", presenter, parent)
        self.note = QLabel(
            "Δ compares with last month as a whole (a month still running has had only some of "
            "its days). Savings are estimates: each names what it assumes. An anomaly is a day "
            "far above the 14 days before it (median + 5 × MAD), with the key or person behind "
            "it."
        )
        self.note.setObjectName("pageNote")
        self.note.setWordWrap(True)
        self.body.addWidget(self.note)
        self.body.addWidget(section_title("Unit economics per team"))
        self.teams = FinanceTable(presenter.teams)
        self.body.addWidget(self.teams, 3)
        self.savings_title = section_title("Savings levers")
        self.body.addWidget(self.savings_title)
        self.savings = FinanceTable(presenter.savings, stretch_column=3, stretch_minimum=200)
        self.body.addWidget(self.savings, 2)
        self.body.addWidget(section_title("Anomalies"))
        self.anomalies = FinanceTable(presenter.anomalies, stretch_column=4, stretch_minimum=160)
        self.body.addWidget(self.anomalies, 2)
        self.show_state()

    def show_state(self) -> None:
        total = self.presenter.savings_total
        self.savings_title.setText(
            f"Savings levers — about {total} a month" if total else "Savings levers"
        )
        for table in (self.teams, self.savings, self.anomalies):
            table.refresh()
