"""Invoices page state: the month's invoices (draft or final) and the lines of the chosen one."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from app.services.closing import PeriodError, close_period, earlier_open_months, reopen_period
from app.services.invoices import invoice_document
from app.services.unallocated import UnmappedValue, unmapped_values
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import count, money, month_label
from app.ui.presentation.monthly import MonthlyPresenter
from app.ui.presentation.table import Column, TableState

UNALLOCATED_ROW = "Unallocated"
EXPORT_KINDS = {
    "xlsx": ("Excel finance pack", "xlsx"),
    "pdf": ("PDF invoices", "pdf"),
    "csv": ("Allocated cost CSV", "csv"),
    "focus": ("FOCUS 1.2 CSV", "csv"),
    "journal": ("GL journal CSV", "csv"),
    "report": ("Monthly report for team leads (PDF)", "pdf"),
    "report-html": ("Monthly report for team leads (HTML)", "html"),
}
"""Export kind → (what it is, file extension)."""

KIND_LABELS = {
    "usage": "Usage",
    "prior_period": "Prior period",
    "adjustment": "Adjustment",
    "shared": "Shared cost",
    "overhead": "Overhead",
}


def _money(text: str) -> str:
    return money(Decimal(text))


class InvoicesPresenter(MonthlyPresenter):
    """Reads invoice documents through the services; closing a month goes through here too."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.document: dict[str, Any] | None = None
        self.earlier_open: list[str] = []
        """Months before the chosen one with usage that are still open."""
        self.selected = 0
        self.invoices = TableState(
            [
                Column("Team"),
                Column("Cost center"),
                Column("Invoice"),
                Column("Direct", True),
                Column("Adjustment", True),
                Column("Shared", True),
                Column("Overhead", True),
                Column("Total", True),
            ],
            empty_text="No invoices for this month",
        )
        self.unmapped: list[UnmappedValue] | None = None
        """What the Unallocated row is made of, once read (see :meth:`unmapped_task`)."""
        self.lines = TableState(
            [Column("Kind"), Column("Line"), Column("Amount", True), Column("Why")]
        )

    def _period_changed(self) -> None:
        self.selected = 0
        self.unmapped = None

    @property
    def status_text(self) -> str:
        if self.document is None:
            return ""
        doc = self.document
        if doc.get("billing") == "showback":
            state = (
                "SHOWBACK, FINAL — statements closed and frozen, for information, never posted"
                if doc["status"] == "final"
                else "SHOWBACK month, DRAFT — statements for information, recomputed live"
            )
            shown = "shown"
        else:
            state = (
                "CHARGEBACK, FINAL — closed, numbered and frozen"
                if doc["status"] == "final"
                else "CHARGEBACK month, DRAFT — recomputed live until closed"
            )
            shown = "invoiced"
        return (
            f"{state} · {shown} {_money(doc['grand_total'])} · unallocated "
            f"{_money(doc['unallocated'])}"
        )

    @property
    def can_close(self) -> bool:
        return self.document is not None and self.document["status"] == "draft"

    def _fetch(self, period: str) -> tuple[dict[str, Any], list[str]]:
        return (
            invoice_document(self.workspace, period),
            earlier_open_months(self.workspace, period),
        )

    def _apply(self, data: tuple[dict[str, Any], list[str]] | None) -> None:
        self.document, self.earlier_open = data if data is not None else (None, [])
        self.unmapped = None
        rows = []
        kinds = ("usage", "adjustment", "shared", "overhead")
        sums = dict.fromkeys(kinds, Decimal(0))
        for invoice in (self.document or {}).get("invoices", []):
            parts = dict.fromkeys(kinds, Decimal(0))
            for line in invoice["lines"]:
                kind = "usage" if line["kind"] == "prior_period" else line["kind"]
                parts[kind] += Decimal(line["amount"])
                sums[kind] += Decimal(line["amount"])
            rows.append(
                [
                    invoice["team"],
                    invoice["cost_center"] or "—",
                    invoice["number"] or "DRAFT",
                    *(money(parts[k]) for k in kinds),
                    _money(invoice["total"]),
                ]
            )
        self.invoices.alerts = {}
        if self.document is not None and Decimal(self.document["unallocated"]):
            # Not invoiced: shown so that the month's whole cost is on the page.
            self.invoices.alerts[len(rows)] = "warning"
            rows.append(
                [
                    UNALLOCATED_ROW,
                    "—",
                    "not invoiced",
                    "",
                    "",
                    "",
                    "",
                    _money(self.document["unallocated"]),
                ]
            )
        self.invoices.rows = rows
        self.invoices.total = (
            [
                "Total invoiced",
                "",
                "",
                *(money(sums[k]) for k in kinds),
                _money(self.document["grand_total"]),
            ]
            if self.document and rows
            else None
        )
        self.select(min(self.selected, max(len(rows) - 1, 0)))

    @property
    def unallocated_selected(self) -> bool:
        rows = self.invoices.rows
        return 0 <= self.selected < len(rows) and rows[self.selected][0] == UNALLOCATED_ROW

    def unmapped_task(self) -> Callable[[], list[UnmappedValue]]:
        """Reading what the Unallocated row is made of, for a worker thread."""
        workspace, period = self.workspace, self.period

        def read() -> list[UnmappedValue]:
            return [] if period is None else unmapped_values(workspace, period)

        return read

    def show_unmapped(self, values: list[UnmappedValue]) -> None:
        self.unmapped = values
        if self.unallocated_selected:
            self.select(self.selected)

    def select(self, index: int) -> None:
        self.selected = index
        invoices = (self.document or {}).get("invoices", [])
        if self.unallocated_selected:
            self._unallocated_lines()
            return
        if not invoices or index >= len(invoices):
            self.lines.rows, self.lines.total = [], None
            return
        invoice = invoices[index]
        self.lines.rows = [
            [
                KIND_LABELS.get(line["kind"], line["kind"]),
                line["label"],
                _money(line["amount"]),
                "; ".join(line.get("trail", [])),
            ]
            for line in invoice["lines"]
        ]
        self.lines.total = ["", "Total", _money(invoice["total"]), ""]

    def _unallocated_lines(self) -> None:
        """The biggest unmapped values behind the Unallocated row (what to map next)."""
        if self.unmapped is None:
            self.lines.rows = [["", "Reading what it is made of…", "", ""]]
            self.lines.total = None
            return
        self.lines.rows = [
            [
                "Unmapped " + value.dimension,
                value.value,
                money(value.cost),
                f"{count(value.lines)} usage line(s) matched no rule or alias",
            ]
            for value in self.unmapped
        ] or [["", "Nothing unmapped", "", ""]]
        self.lines.total = None

    @property
    def month_is_empty(self) -> bool:
        doc = self.document
        return doc is not None and not doc["invoices"] and Decimal(doc["unallocated"]) == 0

    def close_question(self) -> str:
        """What the user confirms before closing: what closing does, and what to look at."""
        doc = self.document or {}
        parts = [
            f"Close {month_label(self.period or '')}? {len(doc.get('invoices', []))} invoice(s) "
            f"totalling {_money(doc.get('grand_total', '0'))} will be numbered and frozen; "
            f"{_money(doc.get('unallocated', '0'))} unallocated stays unbilled. Later usage "
            "becomes a prior-period line next month."
        ]
        if self.earlier_open:
            labels = ", ".join(month_label(m) for m in self.earlier_open)
            parts.append(f"Earlier months are still open: {labels}.")
        if self.month_is_empty:
            parts.append("This month has no usage: it will be closed empty.")
        return " ".join(parts)

    def close_month(self) -> str:
        """Close the chosen month (the user confirmed :meth:`close_question`, which said whether
        it is empty) and reload; returns a message for the user (success or why not)."""
        message = self.close_task()()
        self.reload()
        return message

    def close_task(self) -> Callable[[], str]:
        """Closing the chosen month as a task for a worker thread (it writes, then the page
        reloads); the task returns the message for the user."""
        workspace, period, empty = self.workspace, self.period, self.month_is_empty

        def close() -> str:
            if period is None:
                return "No month to close."
            try:
                document = close_period(workspace, period, allow_empty=empty)
            except PeriodError as exc:
                return f"Cannot close {month_label(period)}: {exc}"
            return (
                f"{month_label(period)} closed: {len(document['invoices'])} invoices "
                f"numbered and frozen."
            )

        return close

    @property
    def can_reopen(self) -> bool:
        return self.document is not None and self.document["status"] == "final"

    def reopen_task(self, reason: str) -> Callable[[], str]:
        """Reopening the chosen month with ``reason``, for a worker thread."""
        workspace, period = self.workspace, self.period

        def reopen() -> str:
            if period is None:
                return "No month to reopen."
            try:
                reopen_period(workspace, period, reason)
            except PeriodError as exc:
                return f"Cannot reopen {month_label(period)}: {exc}"
            return f"{month_label(period)} reopened: its invoices are drafts again."

        return reopen

    def export_name(self, kind: str) -> str:
        """A file name to offer for an export of the chosen month."""
        label = {
            "xlsx": "finance-pack",
            "pdf": "invoices",
            "csv": "allocated",
            "focus": "focus",
            "report": "team-report",
            "report-html": "team-report",
        }
        return f"{label.get(kind, kind)}-{self.period}.{EXPORT_KINDS[kind][1]}"
