"""The exchange-rates tab's state (Qt-free): the monthly rates into the company's currency
with their sources, and setting one or importing a CSV of them (not policy changes: a rate
takes effect when a month closes, and a closed month keeps its own)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.services.exchange_rates import ExchangeRate, import_rates_csv, list_rates, set_rate
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import month_label
from app.ui.presentation.table import Column, TableState


class RatesPresenter:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.table = TableState(
            [Column("Month"), Column("Currency"), Column("Rate per USD", True), Column("Source")],
            empty_text="No rates yet: enter a month's rate, or import a CSV",
        )
        self.rates: list[ExchangeRate] = []

    def fetch(self) -> list[ExchangeRate]:
        return list_rates(self.workspace)

    def apply(self, rates: list[ExchangeRate]) -> None:
        self.rates = rates
        self.table.rows = [
            [month_label(r.period), r.currency, r.rate, r.source] for r in reversed(rates)
        ]

    def rate_at(self, row: int) -> ExchangeRate | None:
        ordered = list(reversed(self.rates))
        return ordered[row] if 0 <= row < len(ordered) else None

    def set_task(self, period: str, currency: str, rate: str, source: str) -> Callable[[], str]:
        workspace = self.workspace

        def run() -> str:
            exact = set_rate(workspace, period.strip(), currency, rate, source)
            return f"{month_label(period.strip())}: 1 USD = {exact} {currency.strip().upper()}"

        return run

    def import_task(self, path: Path) -> Callable[[], str]:
        workspace = self.workspace
        return lambda: f"{import_rates_csv(workspace, path)} rate(s) read from {path.name}"
