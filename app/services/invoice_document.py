"""The invoice document of a period (CONTRACT.md ``invoices --json``), also what is frozen."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from app.domain.allocation import InvoiceLine, PeriodAllocation
from app.domain.currency import convert_cents
from app.domain.money import format_exact, format_money
from app.domain.rounding import cents_of, cents_to_decimal, round_half_up_cents


def _money(cents: int) -> str:
    return format_money(cents_to_decimal(cents))


def _line(line: InvoiceLine) -> dict[str, Any]:
    found: dict[str, Any] = {
        "kind": line.kind,
        "label": line.label,
        "amount": _money(line.cents),
        "trail": list(line.trail),
    }
    if line.dispute is not None:
        found["dispute"] = line.dispute
    if line.list_exact is not None:
        # Shown so that the line adds up: list price − discount = amount.
        list_cents = round_half_up_cents(line.list_exact)
        found["list_amount"] = _money(list_cents)
        found["discount"] = _money(list_cents - line.cents)
    return found


def allocation_document(
    allocation: PeriodAllocation,
    currency: str,
    status: str,
    numbers: dict[str, str] | None,
    unpriced_lines: int,
    billing: str,
) -> dict[str, Any]:
    """``billing``: ``showback`` (statements for information, never posted) or
    ``chargeback`` (invoices)."""
    provider = allocation.provider_total
    return {
        "period": allocation.period,
        "currency": currency,
        "status": status,
        "billing": billing,
        "invoices": [
            {
                "team": invoice.team,
                "number": None if numbers is None else numbers[invoice.team],
                "cost_center": invoice.cost_center,
                "lines": [_line(line) for line in invoice.lines],
                "total": _money(invoice.total_cents),
            }
            for invoice in allocation.invoices
        ],
        "unallocated": _money(allocation.unallocated_cents),
        "direct_total": _money(round_half_up_cents(allocation.direct_total)),
        "provider_total": None if provider is None else _money(round_half_up_cents(provider)),
        "grand_total": _money(allocation.grand_total_cents),
        "unpriced_lines": unpriced_lines,
        "warnings": list(allocation.warnings),
    }


def _converted_move(cents: int, rate: Fraction) -> int:
    """A dispute's amount in the company's currency, rounded half up, away from its sign."""
    magnitude = round_half_up_cents(Fraction(abs(cents), 100) * rate)
    return magnitude if cents >= 0 else -magnitude


def functional_part(
    document: dict[str, Any], currency: str, rate: Decimal, source: str
) -> dict[str, Any]:
    """The document's amounts in the company's own currency at ``rate`` (its source named):
    every line converted, each invoice adding up, all with Unallocated to the converted month
    (CHARGEBACK_MATH.md §5)."""
    invoices = document["invoices"]
    exact_rate = Fraction(rate)
    # A dispute's move converts once, half up: its credit and its charge stay equal.
    moved: dict[tuple[int, int], int] = {}
    by_code: dict[str, int] = {}
    for i, invoice in enumerate(invoices):
        for j, line in enumerate(invoice["lines"]):
            if "dispute" in line:
                cents = cents_of(line["amount"])
                moved[(i, j)] = cents
                by_code[line["dispute"]] = by_code.get(line["dispute"], 0) + cents
    net_moved = sum(by_code.values())  # what the moves took from Unallocated (< 0: gave it)
    lines, unallocated = convert_cents(
        [
            [0 if (i, j) in moved else cents_of(line["amount"]) for j, line in enumerate(lines)]
            for i, lines in enumerate(invoice["lines"] for invoice in invoices)
        ],
        [invoice["team"] for invoice in invoices],
        cents_of(document["unallocated"]) + net_moved,
        rate,
    )
    for (i, j), cents in moved.items():
        lines[i][j] = _converted_move(cents, exact_rate)
    unallocated += sum(_converted_move(-net, exact_rate) for net in by_code.values())
    converted = [
        {
            "team": invoice["team"],
            "lines": [_money(c) for c in amounts],
            "total": _money(sum(amounts)),
        }
        for invoice, amounts in zip(invoices, lines, strict=True)
    ]
    return {
        "currency": currency,
        "rate": format_exact(rate),
        "rate_source": source,
        "invoices": converted,
        "unallocated": _money(unallocated),
        "grand_total": _money(sum(sum(amounts) for amounts in lines)),
    }
