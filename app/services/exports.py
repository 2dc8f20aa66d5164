"""Use case: export a period — allocated cost CSV, FOCUS 1.2 CSV, GL journal CSV, Excel pack.

Every export starts from the invoice document (frozen once the period is closed) and spreads
each invoice over the month's usage, so the files always add up to the invoices to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.allocated_lines import AllocatedSlice, DirectSlice, allocate_slices
from app.domain.money import MONEY_CONTEXT
from app.domain.periods import days_in_month
from app.domain.rounding import cents_of
from app.services.export_inputs import ExportInputs, export_inputs
from app.services.invoices import invoice_document
from app.services.reporting import check_period
from app.workspace.db import Workspace
from exporters.machine_formats import (
    billing_of,
    write_allocated_csv,
    write_focus_csv,
    write_journal_csv,
)

KINDS = ("csv", "focus", "journal", "xlsx")


class ExportError(ValueError):
    """The export cannot be written as asked; the message says why."""


@dataclass(frozen=True)
class PeriodExport:
    """What every export of a period is made of."""

    document: dict[str, Any]
    slices: list[AllocatedSlice]
    inputs: ExportInputs


def period_export(workspace: Workspace, period: str) -> PeriodExport:
    check_period(period)
    document = invoice_document(workspace, period)
    inputs = export_inputs(workspace, period)
    facts = inputs.facts
    direct: dict[tuple[str, str, str, str, str], Decimal] = {}
    for fact in facts:
        key = (fact.team, fact.product, fact.environment, fact.model, fact.day)
        direct[key] = MONEY_CONTEXT.add(direct.get(key, Decimal(0)), fact.cost)
    slices = [DirectSlice(*key, cost) for key, cost in direct.items()]
    last_day = f"{period}-{days_in_month(period):02d}"
    totals, moves = _totals_and_dispute_moves(document, last_day)
    return PeriodExport(document, allocate_slices(slices, totals, last_day) + moves, inputs)


def _totals_and_dispute_moves(
    document: dict[str, Any], last_day: str
) -> tuple[dict[str, int], list[AllocatedSlice]]:
    """Each invoice's total to spread over its usage, and, apart, the amounts accepted
    disputes move: one row each (product ``(dispute D-12)``), never mixed into usage."""
    totals: dict[str, int] = {}
    moves: list[AllocatedSlice] = []
    for invoice in document["invoices"]:
        team = invoice["team"]
        total = cents_of(invoice["total"])
        for line in invoice["lines"]:
            if "dispute" in line:
                cents = cents_of(line["amount"])
                total -= cents
                code = line["dispute"]
                label = f"(dispute {code})"
                moves.append(AllocatedSlice(team, label, "", "", last_day, Decimal(0), cents, code))
        if total or not any("dispute" in line for line in invoice["lines"]):
            totals[team] = total
    return totals, moves


def export_period(workspace: Workspace, kind: str, period: str, out: Path) -> Path:
    """Write one export; returns the path written."""
    if kind not in KINDS:
        raise ExportError(f"unknown export {kind!r}; choose one of {', '.join(KINDS)}")
    if not out.parent.exists():
        raise ExportError(f"the folder {out.parent} does not exist")
    bundle = period_export(workspace, period)
    if kind == "csv":
        write_allocated_csv(out, bundle.document, bundle.slices)
    elif kind == "focus":
        write_focus_csv(out, bundle.document, bundle.slices)
    elif kind == "journal":
        if billing_of(bundle.document) == "showback":
            raise ExportError(
                f"{period} is a showback month: its statements are for information and never "
                f"posted, so it has no GL journal (chargeback starts with the go-live month, "
                f"policy setting go_live)"
            )
        write_journal_csv(out, bundle.document, bundle.inputs.accounts)
    else:
        from app.services.workbook import write_period_workbook

        write_period_workbook(workspace, bundle, out)
    return out
