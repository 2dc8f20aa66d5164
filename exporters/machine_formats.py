"""Machine-readable exports: allocated cost CSV, FOCUS 1.2 CSV and a GL journal CSV."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.allocated_lines import AllocatedSlice

ALLOCATED_HEADER = [
    "period",
    "team",
    "cost_center",
    "product",
    "environment",
    "model",
    "day",
    "direct_cost",
    "allocated_cost",
    "currency",
    "status",
]
FOCUS_HEADER = [
    "BilledCost",
    "EffectiveCost",
    "ListCost",
    "ContractedCost",
    "BillingCurrency",
    "BillingPeriodStart",
    "BillingPeriodEnd",
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargeFrequency",
    "InvoiceIssuerName",
    "ProviderName",
    "PublisherName",
    "ServiceName",
    "ServiceCategory",
    "SkuId",
    "SubAccountId",
    "SubAccountName",
    "Tags",
    "x_Team",
    "x_Product",
    "x_Environment",
    "x_CostCenter",
    "x_Model",
    "x_InvoiceNumber",
]
JOURNAL_HEADER = [
    "journal_date",
    "period",
    "invoice_number",
    "line",
    "account",
    "cost_center",
    "description",
    "debit",
    "credit",
    "currency",
]
CLEARING_ACCOUNT = "9990"
FUNCTIONAL_COLUMNS = [
    "functional_currency",
    "exchange_rate",
    "functional_debit",
    "functional_credit",
]


def _sides(total: str) -> tuple[str, str]:
    """(debit, credit) of an invoice total: a credit note is a credit."""
    return (total, "0.00") if Decimal(total) >= 0 else ("0.00", total[1:])


def _month_columns(document: dict[str, Any], prefix: str = "") -> tuple[list[str], list[str]]:
    """Extra columns (names, values) saying how the month is billed, and in which currency
    besides the bill's: documents frozen before those existed keep their exact layout."""
    names: list[str] = []
    values: list[str] = []
    if "billing" in document:
        names.append(f"{prefix}Billing" if prefix else "billing")
        values.append(billing_of(document))
    functional = document.get("functional")
    if functional:
        names += (
            [f"{prefix}FunctionalCurrency", f"{prefix}ExchangeRate"]
            if prefix
            else ["functional_currency", "exchange_rate"]
        )
        values += [functional["currency"], functional["rate"]]
    return names, values


def billing_of(document: dict[str, Any]) -> str:
    """``showback`` or ``chargeback``; documents frozen before showback months existed are
    chargeback."""
    return str(document.get("billing") or "chargeback")


def _cents(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def _safe(text: str) -> str:
    """Text that spreadsheet software would run as a formula is prefixed with a quote."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _month_bounds(period: str) -> tuple[date, date]:
    year, month = (int(p) for p in period.split("-"))
    start = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1)
    return start, end


def write_allocated_csv(
    path: Path, document: dict[str, Any], slices: Sequence[AllocatedSlice]
) -> None:
    centers = {i["team"]: i["cost_center"] for i in document["invoices"]}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        extra_names, extra = _month_columns(document)
        writer.writerow(ALLOCATED_HEADER + extra_names)
        for s in slices:
            writer.writerow(
                [
                    document["period"],
                    _safe(s.team),
                    _safe(centers.get(s.team, "")),
                    _safe(s.product),
                    _safe(s.environment),
                    _safe(s.model),
                    s.day,
                    f"{s.direct:f}",
                    _cents(s.allocated_cents),
                    document["currency"],
                    document["status"],
                    *extra,
                ]
            )


def write_focus_csv(path: Path, document: dict[str, Any], slices: Sequence[AllocatedSlice]) -> None:
    start, end = _month_bounds(document["period"])
    invoices = {i["team"]: i for i in document["invoices"]}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        extra_names, extra = _month_columns(document, "x_")
        writer.writerow(FOCUS_HEADER + extra_names)
        showback = billing_of(document) == "showback"
        for s in slices:
            day = date.fromisoformat(s.day)
            amount = _cents(s.allocated_cents)
            invoice = invoices.get(s.team, {})
            # An accepted dispute's move is an adjustment, not usage: no list or contracted
            # price of its own.
            dispute = s.dispute is not None
            priced = "0.00" if dispute else amount
            writer.writerow(
                [
                    "0.00" if showback else amount,  # a showback month bills nothing
                    amount,
                    priced,
                    priced,
                    document["currency"],
                    f"{start} 00:00:00",
                    f"{end} 00:00:00",
                    f"{day} 00:00:00",
                    f"{day + timedelta(days=1)} 00:00:00",
                    "Adjustment" if dispute else "Usage",
                    "",
                    _safe(
                        f"Dispute {s.dispute} accepted: moved for {s.team}"
                        if dispute
                        else f"Claude usage allocated to {s.team}"
                    ),
                    "Usage-Based",
                    "Anthropic",
                    "Anthropic",
                    "Anthropic",
                    "Claude",
                    "AI and Machine Learning",
                    _safe(s.model),
                    "",
                    "",
                    "",
                    _safe(s.team),
                    _safe(s.product),
                    _safe(s.environment),
                    _safe(invoice.get("cost_center", "")),
                    _safe(s.model),
                    invoice.get("number") or "DRAFT",
                    *extra,
                ]
            )


def write_journal_csv(
    path: Path, document: dict[str, Any], accounts: tuple[str, str] | None = None
) -> None:
    """Per invoice a debit to the expense account on the team's cost center and a credit to
    the clearing account (``accounts``: expense, clearing). ``None`` writes the layout of
    months closed before the accounts were settings: the debit on the cost center itself.
    A draft month's rows say DRAFT: a journal for review, not for posting."""
    expense, clearing_account = accounts or ("", CLEARING_ACCOUNT)
    draft = document["status"] != "final"
    functional = document.get("functional")
    converted = (
        {i["team"]: i["total"] for i in functional["invoices"]} if functional is not None else {}
    )
    _, end = _month_bounds(document["period"])
    journal_date = (end - timedelta(days=1)).isoformat()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        # A month closed with the company's currency posts in both, with the rate.
        writer.writerow(JOURNAL_HEADER + (FUNCTIONAL_COLUMNS if functional else []))
        line = 0
        for invoice in document["invoices"]:
            number = invoice["number"] or f"DRAFT-{document['period']}-{invoice['team']}"
            description = _safe(
                ("DRAFT, not for posting: " if draft else "")
                + f"Claude chargeback {document['period']} {invoice['team']}"
            )
            total = invoice["total"]
            debit, credit = _sides(total)
            extra: list[list[str]] = [[], []]
            if functional:
                f_debit, f_credit = _sides(converted[invoice["team"]])
                common = [functional["currency"], functional["rate"]]
                extra = [[*common, f_debit, f_credit], [*common, f_credit, f_debit]]
            line += 1
            writer.writerow(
                [
                    journal_date,
                    document["period"],
                    number,
                    line,
                    _safe(expense or invoice["cost_center"] or invoice["team"]),
                    _safe(invoice["cost_center"] or (invoice["team"] if expense else "")),
                    description,
                    debit,
                    credit,
                    document["currency"],
                    *extra[0],
                ]
            )
            line += 1
            writer.writerow(
                [
                    journal_date,
                    document["period"],
                    number,
                    line,
                    clearing_account,
                    "",
                    description,
                    credit,
                    debit,
                    document["currency"],
                    *extra[1],
                ]
            )
