"""The pages of the window and where the user has been (Qt-free).

:data:`PAGES` is the one list of pages: the navigation bar, the View menu and its shortcuts,
and ``gui --page`` all read it. A page is listed only once it works. :class:`Navigator` keeps
the history that Back and Forward walk, like a browser: going somewhere new drops the forward
history.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageEntry:
    """One page of the window."""

    name: str
    """What ``gui --page`` and the settings call it."""
    title: str


PAGES: tuple[PageEntry, ...] = (
    PageEntry("dashboard", "Dashboard"),
    PageEntry("explore", "Explore"),
    PageEntry("invoices", "Invoices"),
    PageEntry("disputes", "Disputes"),
    PageEntry("budgets", "Budgets"),
    PageEntry("insights", "Insights"),
    PageEntry("forecast", "Forecast"),
    PageEntry("imports", "Imports"),
    PageEntry("taxonomy", "Taxonomy"),
    PageEntry("unallocated", "Unallocated"),
    PageEntry("rules", "Rules"),
    PageEntry("pools", "Pools and settings"),
    PageEntry("prices", "Price book"),
    PageEntry("reconciliation", "Reconciliation"),
    PageEntry("hygiene", "Hygiene and policy"),
    PageEntry("audit", "Audit log"),
)
PAGE_NAMES: tuple[str, ...] = tuple(page.name for page in PAGES)


@dataclass(frozen=True)
class Place:
    """Where the window is: a page, and what it shows (a drill-down path, later)."""

    page: str
    detail: tuple[str, ...] = ()


class Navigator:
    """The current place and the places Back and Forward lead to."""

    def __init__(self) -> None:
        self.current: Place | None = None
        self._back: list[Place] = []
        self._forward: list[Place] = []

    @property
    def can_go_back(self) -> bool:
        return bool(self._back)

    @property
    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def go(self, place: Place) -> bool:
        """Go to ``place`` (a new step of the history); ``False`` when already there."""
        if place == self.current:
            return False
        if self.current is not None:
            self._back.append(self.current)
        self._forward.clear()
        self.current = place
        return True

    def back(self) -> Place | None:
        if not self._back:
            return None
        assert self.current is not None
        self._forward.append(self.current)
        self.current = self._back.pop()
        return self.current

    def forward(self) -> Place | None:
        if not self._forward:
            return None
        assert self.current is not None
        self._back.append(self.current)
        self.current = self._forward.pop()
        return self.current

    def clear(self) -> None:
        """A new workspace starts a new history."""
        self.current = None
        self._back.clear()
        self._forward.clear()
