"""The price book page's state (Qt-free): models without a price first, then every entry with
its rates and source, the form of a price of yours, and the changes it prepares with their
effect on the newest month."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.services.impact_preview import ImpactPreview, preview_change, preview_month
from app.services.policy_edits import PolicyChange, PolicyState, document_state
from app.services.price_book_changes import (
    PriceBookState,
    Unpriced,
    import_prices,
    price_book_state,
    remove_price,
    set_price,
)
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import count
from app.ui.presentation.table import Column, TableState

PrepareTask = Callable[[], tuple[PolicyChange, ImpactPreview]]
FORM_RATES = (
    ("input", "Input"),
    ("output", "Output"),
    ("cache_write_5m", "Cache write 5m"),
    ("cache_write_1h", "Cache write 1h"),
    ("cache_read", "Cache read"),
)
TABLE_RATE_TITLES = {
    "cache_write_5m": "Write 5m",
    "cache_write_1h": "Write 1h",
    "cache_read": "Read",
}
"""Short headings for the table's cache columns (the form says them in full)."""


@dataclass(frozen=True)
class PricesLoad:
    book: PriceBookState
    period: str
    state: PolicyState | None = None


@dataclass
class PriceForm:
    model: str = ""
    effective_from: str = ""
    rates: dict[str, str] = field(default_factory=dict)

    def values(self) -> dict[str, str]:
        found = {"model": self.model.strip(), "effective_from": self.effective_from.strip()}
        found.update({k: v.strip() for k, v in self.rates.items() if v.strip()})
        if not found["effective_from"]:
            del found["effective_from"]
        return found


class PricesPresenter:
    """The price book in force, per model and date (USD per million tokens)."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.table = TableState(
            [
                Column("Model"),
                Column("From"),
                *(Column(TABLE_RATE_TITLES.get(key, title), True) for key, title in FORM_RATES),
                Column("Source"),
            ],
            empty_text="No prices",
        )
        self.unpriced_table = TableState(
            [Column("Model without a price"), Column("Used"), Column("Days", True)],
            empty_text="Every model used has a price",
        )
        self.book: PriceBookState | None = None
        self.unpriced: list[Unpriced] = []
        self.period = ""
        self.state: PolicyState | None = None

    def fetch(self) -> PricesLoad:
        return PricesLoad(
            price_book_state(self.workspace),
            preview_month(self.workspace),
            document_state(self.workspace),
        )

    def reload(self) -> None:
        self.apply(self.fetch())

    def apply(self, load: PricesLoad) -> None:
        self.book, self.period, self.state = load.book, load.period, load.state
        self.unpriced = load.book.unpriced
        self.table.alerts = {}
        rows = []
        for index, row in enumerate(load.book.rows):
            if row.yours:
                self.table.alerts[index] = "warning"
            rows.append(
                [
                    row.model,
                    row.effective_from,
                    *(row.rates.get(key, "") for key, _ in FORM_RATES),
                    row.source,
                ]
            )
        self.table.rows = rows
        self.unpriced_table.rows = [
            [u.model, f"{u.first_day} – {u.last_day}", count(u.days)] for u in self.unpriced
        ]
        self.unpriced_table.alerts = {i: "over" for i in range(len(self.unpriced))}

    def form_at(self, row: int) -> PriceForm:
        if self.book is None or not 0 <= row < len(self.book.rows):
            return PriceForm()
        price = self.book.rows[row]
        return PriceForm(price.model, price.effective_from, dict(price.rates))

    def form_for_unpriced(self, row: int) -> PriceForm:
        """A new price for an unpriced model, from its first day without one."""
        missing = self.unpriced[row]
        return PriceForm(missing.model, missing.first_day)

    def citation_at(self, row: int) -> str:
        """Where the chosen entry's rates were read (built-in entries)."""
        if self.book is None or not 0 <= row < len(self.book.rows):
            return ""
        price = self.book.rows[row]
        return f"Source: {price.citation}" if price.citation else ""

    def is_yours(self, row: int) -> bool:
        return (
            self.book is not None and 0 <= row < len(self.book.rows) and self.book.rows[row].yours
        )

    def _task(self, make: Callable[[PolicyState], PolicyChange]) -> PrepareTask:
        workspace, period, loaded = self.workspace, self.period, self.state

        def prepare() -> tuple[PolicyChange, ImpactPreview]:
            # From the prices shown: if they changed elsewhere since, the stack refuses.
            change = make(loaded if loaded is not None else document_state(workspace))
            return change, preview_change(workspace, change, period)

        return prepare

    def save_task(self, form: PriceForm) -> PrepareTask:
        values = form.values()
        return self._task(lambda s: set_price(s, values))

    def remove_task(self, row: int) -> PrepareTask:
        assert self.book is not None
        price = self.book.rows[row]
        return self._task(lambda s: remove_price(s, price.model, price.effective_from))

    def import_task(self, path: Path) -> PrepareTask:
        return self._task(lambda s: import_prices(s, path))
