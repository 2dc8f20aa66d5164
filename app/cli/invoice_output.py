"""``invoices`` as readable text (the JSON form is the service's document as it is)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.domain.money import format_money_display


def invoices_text(document: dict[str, Any]) -> str:
    currency = document["currency"]

    def money(text: str) -> str:
        return format_money_display(Decimal(text), currency)

    if document.get("billing") == "showback":
        out = [
            f"Showback statements {document['period']} ({document['status'].upper()}) — for "
            f"information: not invoices, never posted",
            "",
        ]
    else:
        out = [f"Invoices {document['period']} ({document['status'].upper()})", ""]
    for invoice in document["invoices"]:
        heading = invoice["team"]
        if invoice["number"]:
            heading += f"  {invoice['number']}"
        if invoice["cost_center"]:
            heading += f"  cost center {invoice['cost_center']}"
        out.append(heading)
        for line in invoice["lines"]:
            out.append(f"  {line['label']:<48} {money(line['amount']):>16}")
        out.append(f"  {'Total':<48} {money(invoice['total']):>16}")
        out.append("")
    out.append(f"Unallocated (not invoiced): {money(document['unallocated'])}")
    out.append(f"Invoiced total: {money(document['grand_total'])}")
    functional = document.get("functional")
    if functional:
        out.append(
            f"In {functional['currency']} at {functional['rate']} per {currency} "
            f"({functional['rate_source']}): "
            + ", ".join(f"{i['team']} {i['total']}" for i in functional["invoices"])
            + f"; invoiced {functional['grand_total']}, unallocated {functional['unallocated']}"
        )
    if document["unpriced_lines"]:
        out.append(
            f"{document['unpriced_lines']} unpriced line(s) are left out: add price-book entries."
        )
    out += [f"warning: {w}" for w in document.get("warnings", [])]
    return "\n".join(out)
