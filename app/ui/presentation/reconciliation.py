"""The Reconciliation page's state (Qt-free): usage re-priced against the provider's cost
report and invoice for a month — by model and token type, at list and net — with the sources
used and the known gaps named."""

from __future__ import annotations

from decimal import Decimal

from app.services.reconciliation import Reconciliation, reconcile
from app.services.workspaces import Workspace
from app.ui.presentation.formatting import money
from app.ui.presentation.monthly import MonthlyPresenter
from app.ui.presentation.table import Column, TableState

TOLERANCE = Decimal("0.01")
"""A variance of a cent or less is rounding."""


def _money(value: Decimal | None) -> str:
    return "—" if value is None else money(value)


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + money(value) if value else money(value)


class ReconciliationPresenter(MonthlyPresenter):
    """One month's reconciliation."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.table = TableState(
            [
                Column("Model"),
                Column("Token type"),
                Column("Usage", True),
                Column("Billed", True),
                Column("Variance", True),
            ],
            empty_text="No usage or statement this month",
        )
        self.summary: list[str] = []
        self.gaps: list[str] = []

    def _fetch(self, period: str) -> Reconciliation:
        return reconcile(self.workspace, period)

    def _apply(self, result: Reconciliation | None) -> None:
        self.table.rows, self.table.alerts, self.table.total = [], {}, None
        self.summary, self.gaps = [], []
        if result is None:
            self.summary = ["No usage imported yet."]
            return
        usage_sum = billed_sum = Decimal(0)
        any_billed = False
        for row in result.rows:
            billed = row.billed()
            variance = None if billed is None else billed - row.usage
            if variance is not None and abs(variance) > TOLERANCE:
                self.table.alerts[len(self.table.rows)] = "warning"
            usage_sum += row.usage
            if billed is not None:
                billed_sum += billed
                any_billed = True
            self.table.rows.append(
                [
                    row.model or "(all models)",
                    row.token_type,
                    money(row.usage),
                    _money(billed),
                    _signed(variance),
                ]
            )
        if self.table.rows:
            self.table.total = [
                "Total",
                "",
                money(usage_sum),
                money(billed_sum) if any_billed else "—",
                _signed(billed_sum - usage_sum) if any_billed else "—",
            ]
        line = f"Usage re-priced: {money(result.usage_total)}"
        discount = result.usage_list_total - result.usage_total
        if discount:
            line += (
                f" (at list price {money(result.usage_list_total)}; negotiated discount "
                f"{money(discount)})"
            )
        self.summary.append(line)
        for source, total in result.statement_totals.items():
            variance = _signed(total - result.usage_total)
            text = f"Statement {source}: {money(total)}, variance {variance}"
            listed = result.statement_list_totals.get(source)
            if listed is not None and listed != total:
                text += f" (at list price {money(listed)})"
            self.summary.append(text)
        for use in result.sources:
            text = f"{use.name}: used on {len(use.days)} day(s)"
            if use.days:
                text += f" ({use.days[0]} – {use.days[-1]})"
            if use.days_set_aside:
                text += f"; set aside on {len(use.days_set_aside)} day(s) another covers"
            self.summary.append(text)
        if result.provider_total is None:
            self.summary.append(
                "Provider invoice: not entered (Pools and settings → Provider totals, or import "
                "the invoice)"
            )
        else:
            self.summary.append(
                f"Provider invoice: {money(result.provider_total)}; minus usage (true-up) "
                f"{_signed(result.provider_total - result.usage_total)}"
            )
        if result.unpriced_lines:
            self.summary.append(f"{result.unpriced_lines} unpriced usage line(s) are left out")
        self.gaps = list(result.gaps) or ["No known gap."]
