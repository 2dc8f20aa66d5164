"""The month choice shared by the month-based screens (dashboard, invoices, budgets).

Loading has two halves so that a page can fetch on a worker thread and paint on the UI thread:
:meth:`MonthlyPresenter.fetch` reads the workspace (through the services) and changes nothing;
:meth:`MonthlyPresenter.apply` takes what it read into the presenter's display state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.services.reporting import available_periods, closed_periods
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import month_label


@dataclass(frozen=True)
class MonthLoad:
    """What one fetch read: the months with usage (newest first), which are closed, the month
    chosen, and the page's own data for it."""

    periods: list[str]
    closed: frozenset[str]
    period: str | None
    data: Any


class MonthlyPresenter:
    """Months with usage, newest first, and the chosen one; subclasses fetch in ``_fetch`` and
    take the result in ``_apply``."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.periods: list[str] = []
        self.closed: frozenset[str] = frozenset()
        self.period: str | None = None

    def fetch(self, wanted: str | None) -> MonthLoad:
        """Read ``wanted`` (or the newest month, when it has no usage); safe on any thread."""
        periods = list(reversed(available_periods(self.workspace)))
        period = wanted if wanted in periods else (periods[0] if periods else None)
        closed = frozenset(closed_periods(self.workspace))
        return MonthLoad(periods, closed, period, None if period is None else self._fetch(period))

    def apply(self, load: MonthLoad) -> None:
        """Take a fetch into the display state (UI thread)."""
        if load.period != self.period:
            self._period_changed()
        self.periods, self.closed, self.period = load.periods, load.closed, load.period
        self._apply(load.data)

    def reload(self) -> None:
        """Fetch and apply at once (tests, and callers that are already off the UI thread)."""
        self.apply(self.fetch(self.period))

    def select_period(self, period: str) -> None:
        if period in self.periods and period != self.period:
            self.apply(self.fetch(period))

    def month_labels(self) -> list[str]:
        return [month_label(p) + (" · closed" if p in self.closed else "") for p in self.periods]

    def discard(self, load: MonthLoad) -> None:
        """A fetch overtaken by a later one: let go of what it holds (UI thread)."""

    def _period_changed(self) -> None:
        """Hook for state that resets with the month (the selected invoice)."""

    def _fetch(self, period: str) -> Any:
        raise NotImplementedError

    def _apply(self, data: Any) -> None:
        """``data`` is ``None`` when the workspace has no month with usage."""
        raise NotImplementedError
