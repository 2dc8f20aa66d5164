"""The provider's invoice as the PDF it arrives in (a Stripe-style layout): the month's
provider invoice, as the invoice totals CSV gives it.

The text is extracted with pypdf and read line by line: ``Invoice number``, ``Date of issue``,
the billing period of the line items (``Oct 1 – Oct 31, 2026``), the line items between the
``Description … Amount`` header and ``Subtotal``, then ``Subtotal``, discounts, ``Tax``,
``Total``, applied credits and ``Amount due``. Everything must add up — the line items to the
subtotal, subtotal + discounts + tax to the total, the total + credits to the amount due — or
the file is refused: a layout read wrongly must never become a true-up. A PDF in another
layout is refused with a pointer to the invoice totals CSV.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

from app.domain.money import MONEY_CONTEXT, AmountError, parse_decimal
from importers.base import PROVIDER_INVOICE, FileRejected, ImportedData, ReadContext
from importers.canonical import PROVIDER_INVOICE_COLUMNS
from importers.sniff import FileSample

OTHER_LAYOUT = (
    "this PDF is not an invoice layout Chargeback Desk can read ({why}); import the invoice "
    "totals as CSV (period, invoice_number, subtotal, discount, credits, tax, total, currency) "
    "or enter them in the policy file's [[provider_invoices]]"
)
CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP"}
MONEY = r"\(?[-−–]?\s?[$€£]\s?[-−]?[\d,]+\.\d{2}\)?"
MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
LABELLED = re.compile(rf"^(?P<label>.*?)\s*(?P<amount>{MONEY})(?:\s+[A-Z]{{3}})?$")
PERIOD = re.compile(
    rf"{MONTH}\s+(\d{{1,2}})(?:,\s*(\d{{4}}))?\s*[–—-]\s*{MONTH}\s+(\d{{1,2}}),\s*(\d{{4}})"
)
ISSUE_LABELS = ("date of issue", "issue date", "invoice date", "date issued")
DISCOUNT_WORDS = ("discount", "promotion", "coupon")
CREDIT_WORDS = ("applied balance", "credit", "prepaid")
TAX_WORDS = ("tax", "vat", "gst")


@dataclass
class _Invoice:
    number: str = ""
    issued: date | None = None
    periods: set[str] = field(default_factory=set)
    items: list[Decimal] = field(default_factory=list)
    subtotal: Decimal | None = None
    discount: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    total: Decimal | None = None
    credits: Decimal = Decimal(0)
    due: Decimal | None = None
    currency: str = ""


def _amount(text: str) -> tuple[Decimal, str]:
    """An amount as printed (``$15,000.00``, ``-$1,800.00``, ``($1,800.00)``) and its currency."""
    negative = text.startswith("(") or any(sign in text for sign in "-−–")
    symbol = next(s for s in CURRENCIES if s in text)
    digits = re.sub(r"[^\d.]", "", text)
    try:
        value = parse_decimal(digits)
    except AmountError:
        raise FileRejected(f"cannot read the amount {text!r}") from None
    return (-value if negative else value), CURRENCIES[symbol]


def _day(text: str) -> date | None:
    for layout in ("%B %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.strptime(text.strip(), layout).date()
        except ValueError:
            continue
    return None


def _month_number(name: str) -> int:
    return datetime.strptime(name[:3], "%b").month


def _periods(line: str) -> set[str]:
    """The months a line item's service period (``Oct 1 – Oct 31, 2026``) starts in."""
    found = set()
    for match in PERIOD.finditer(line):
        first_month, _, first_year, last_month, _, last_year = match.groups()
        year = int(first_year or last_year)
        if not first_year and _month_number(first_month) > _month_number(last_month):
            year -= 1  # Dec 1 – Jan 1, 2027 began in 2026
        found.add(f"{year:04d}-{_month_number(first_month):02d}")
    return found


def _read_lines(invoice: _Invoice, lines: list[str]) -> None:
    in_items = False
    for raw in lines:
        line = " ".join(raw.split())
        lower = line.lower()
        if lower.startswith("invoice number"):
            invoice.number = line[len("invoice number") :].strip(" :#")
            continue
        label = next((x for x in ISSUE_LABELS if lower.startswith(x)), None)
        if label:
            invoice.issued = _day(line[len(label) :].strip(" :"))
            continue
        invoice.periods |= _periods(line)
        if lower.startswith("description") and lower.endswith("amount"):
            in_items = True
            continue
        labelled = LABELLED.match(line)
        if labelled is None:
            continue
        amount, currency = _amount(labelled["amount"])
        invoice.currency = invoice.currency or currency
        name = labelled["label"].lower().strip(" :")
        if name.startswith("subtotal"):
            in_items = False
            invoice.subtotal = amount
        elif in_items:
            invoice.items.append(amount)
        elif name.startswith("amount due"):
            invoice.due = amount
        elif name.startswith("total"):
            if not name.startswith(("total excluding", "total tax")):  # restated, not added
                invoice.total = amount
        elif any(word in name for word in DISCOUNT_WORDS):
            invoice.discount += amount if amount <= 0 else -amount
        elif any(word in name for word in CREDIT_WORDS):
            invoice.credits += amount if amount <= 0 else -amount
        elif name.startswith(TAX_WORDS) or " tax" in name:
            invoice.tax += amount


def _checked(invoice: _Invoice) -> tuple:
    missing = [
        label
        for label, value in (
            ("Invoice number", invoice.number),
            ("Subtotal", invoice.subtotal),
            ("Amount due", invoice.due),
        )
        if not value and value != 0
    ]
    if missing:
        raise FileRejected(OTHER_LAYOUT.format(why=f"no {' or '.join(repr(m) for m in missing)}"))
    assert invoice.subtotal is not None and invoice.due is not None
    total = invoice.total if invoice.total is not None else invoice.due - invoice.credits
    add = MONEY_CONTEXT.add
    checks = [
        ("the line items", sum(invoice.items, Decimal(0)), "the subtotal", invoice.subtotal),
        (
            "subtotal + discounts + tax",
            add(add(invoice.subtotal, invoice.discount), invoice.tax),
            "the total",
            total,
        ),
        ("total + credits", add(total, invoice.credits), "the amount due", invoice.due),
    ]
    for what, value, against, expected in checks:
        if what == "the line items" and not invoice.items:
            continue
        if value != expected:
            raise FileRejected(
                f"{what} ({value}) do not add up to {against} ({expected}) as read from the "
                f"PDF; check the invoice, or import its totals as CSV"
            )
    if len(invoice.periods) > 1:
        raise FileRejected(
            f"the line items cover several months ({', '.join(sorted(invoice.periods))}); "
            f"import each month's totals as CSV"
        )
    if invoice.periods:
        period = next(iter(invoice.periods))
    elif invoice.issued is not None:
        # Usage is invoiced after its month: an invoice issued in November bills October.
        month = invoice.issued.replace(day=1)
        period = f"{month.year - (month.month == 1):04d}-{(month.month - 2) % 12 + 1:02d}"
    else:
        raise FileRejected(OTHER_LAYOUT.format(why="no billing period and no date of issue"))
    return (
        period,
        invoice.number,
        str(invoice.subtotal),
        str(invoice.discount),
        str(invoice.credits),
        str(invoice.tax),
        str(invoice.due),
        invoice.currency or "USD",
    )


def invoice_text(ctx: ReadContext) -> list[str]:
    """The text lines of every page (pypdf keeps text printed on one line together)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(ctx.sample.path)
        if reader.is_encrypted:
            raise FileRejected("the PDF is password-protected; save an unprotected copy")
        lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise FileRejected(f"the PDF cannot be read: {exc}") from None
    if not any(line.strip() for line in lines):
        raise FileRejected(OTHER_LAYOUT.format(why="it has no text: a scan?"))
    return lines


class ProviderInvoicePdfImporter:
    id = "provider-invoice-pdf"
    label = "Provider invoice (PDF, Stripe-style layout)"
    kind = PROVIDER_INVOICE
    source = "provider-invoice"

    def identify(self, sample: FileSample) -> bool:
        return sample.head.startswith("%PDF-")

    def read(self, ctx: ReadContext) -> ImportedData:
        invoice = _Invoice()
        _read_lines(invoice, invoice_text(ctx))
        ctx.rows_read = 1
        frame = pd.DataFrame.from_records(
            [_checked(invoice)], columns=list(PROVIDER_INVOICE_COLUMNS)
        )
        return ImportedData(PROVIDER_INVOICE, frame, {})
