"""The month choice shared by the month-based screens (dashboard, invoices, budgets)."""

from __future__ import annotations

from app.services.reporting import available_periods
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import month_label


class MonthlyPresenter:
    """Months with usage, newest first, and the chosen one; subclasses load in ``_load``."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.periods: list[str] = []
        self.period: str | None = None

    def reload(self) -> None:
        """Re-read the months (after an import) and refresh the chosen one."""
        self.periods = list(reversed(available_periods(self.workspace)))
        if self.period not in self.periods:
            self.period = self.periods[0] if self.periods else None
        self._load()

    def select_period(self, period: str) -> None:
        if period in self.periods and period != self.period:
            self.period = period
            self._period_changed()
            self._load()

    def month_labels(self) -> list[str]:
        return [month_label(p) for p in self.periods]

    def _period_changed(self) -> None:
        """Hook for state that resets with the month (the selected invoice)."""

    def _load(self) -> None:
        raise NotImplementedError
