"""``invoices`` output: the JSON document of CONTRACT.md and a readable text form."""

from __future__ import annotations

from app.domain.money import format_money, format_money_display
from app.domain.rounding import cents_to_decimal, round_half_up_cents
from app.services.invoices import PeriodInvoices


def _money(cents: int) -> str:
    return format_money(cents_to_decimal(cents))


def invoices_json(result: PeriodInvoices) -> dict:
    allocation = result.allocation
    provider = allocation.provider_total
    return {
        "period": result.period,
        "currency": result.currency,
        "status": result.status,
        "invoices": [
            {
                "team": invoice.team,
                "number": None,
                "cost_center": invoice.cost_center,
                "lines": [
                    {"kind": line.kind, "label": line.label, "amount": _money(line.cents)}
                    for line in invoice.lines
                ],
                "total": _money(invoice.total_cents),
            }
            for invoice in allocation.invoices
        ],
        "unallocated": _money(allocation.unallocated_cents),
        "direct_total": _money(round_half_up_cents(allocation.direct_total)),
        "provider_total": None if provider is None else _money(round_half_up_cents(provider)),
        "grand_total": _money(allocation.grand_total_cents),
        "unpriced_lines": result.unpriced_lines,
        "warnings": list(allocation.warnings),
    }


def invoices_text(result: PeriodInvoices) -> str:
    allocation = result.allocation
    out = [f"Invoices {result.period} ({result.status.upper()})", ""]
    for invoice in allocation.invoices:
        center = f"  cost center {invoice.cost_center}" if invoice.cost_center else ""
        out.append(f"{invoice.team}{center}")
        for line in invoice.lines:
            amount = format_money_display(cents_to_decimal(line.cents), result.currency)
            out.append(f"  {line.label:<48} {amount:>16}")
        total = format_money_display(cents_to_decimal(invoice.total_cents), result.currency)
        out.append(f"  {'Total':<48} {total:>16}")
        out.append("")
    unallocated = cents_to_decimal(allocation.unallocated_cents)
    grand = cents_to_decimal(allocation.grand_total_cents)
    out.append(f"Unallocated (not invoiced): {format_money_display(unallocated)}")
    out.append(f"Invoiced total: {format_money_display(grand)}")
    if result.unpriced_lines:
        out.append(
            f"{result.unpriced_lines} unpriced line(s) ({', '.join(result.unpriced_models)})"
            f" are left out: add price-book entries."
        )
    out += [f"warning: {w}" for w in allocation.warnings]
    return "\n".join(out)
