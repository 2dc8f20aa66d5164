"""The provider's invoice as the PDF it arrives in (a Stripe-style layout): the month's
provider invoice, as the invoice totals CSV gives it.

The text is extracted with pypdf and read line by line: ``Invoice number``, ``Date of issue``,
the billing period of the line items (``Oct 1 – Oct 31, 2026``), the line items between the
``Description … Amount`` header and ``Subtotal``, then ``Subtotal``, discounts, credits, ``Tax``,
``Total``, the balance applied to it and ``Amount due``. Everything must add up — the line items
to the subtotal, subtotal + discounts + credits + tax to the total, the total + the applied
balance to the amount due — or the file is refused: a layout read wrongly must never become a
true-up. The month's provider total is the invoice's **Total**: a prepaid balance applied to it
is a payment, not a price. Only USD invoices are read (the usage is priced in USD), and the
month is the line items' service period. A PDF in another layout is refused with a pointer to
the invoice totals CSV.
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
SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "CA$": "CAD", "A$": "AUD"}
MONEY = r"\(?[-−–]?\s?(?:[A-Z]{1,2})?[$€£]\s?[-−]?[\d,]+\.\d{2}\)?"
MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
LABELLED = re.compile(rf"^(?P<label>.*?)\s*(?P<amount>{MONEY})(?:\s+(?P<code>[A-Z]{{3}}))?$")
PERIOD = re.compile(
    rf"{MONTH}\s+(\d{{1,2}})(?:,\s*(\d{{4}}))?\s*[–—-]\s*{MONTH}\s+(\d{{1,2}}),\s*(\d{{4}})"
)
ISSUE_LABELS = ("date of issue", "issue date", "invoice date", "date issued")
DISCOUNT_WORDS = ("discount", "promotion", "coupon")
CREDIT_WORDS = ("credit",)
PAYMENT_WORDS = ("applied balance", "prepaid", "paid", "payment", "credit")
"""After the total: money the customer had already paid, applied to the amount due."""
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
    paid: Decimal = Decimal(0)
    due: Decimal | None = None
    currencies: set[str] = field(default_factory=set)


def _amount(text: str, code: str | None) -> tuple[Decimal, str]:
    """An amount as printed (``$15,000.00``, ``-$1,800.00``, ``($1,800.00)``, ``CA$10.00``) and
    its currency (the ISO code printed after it wins over the symbol)."""
    negative = text.startswith("(") or any(sign in text for sign in "-−–")
    symbol = re.search(r"[A-Z]{0,2}[$€£]", text)
    assert symbol is not None  # MONEY has one
    currency = code or SYMBOLS.get(symbol.group(0), symbol.group(0))
    digits = re.sub(r"[^\d.]", "", text)
    try:
        value = parse_decimal(digits)
    except AmountError:
        raise FileRejected(f"cannot read the amount {text!r}") from None
    return (-value if negative else value), currency


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
        amount, currency = _amount(labelled["amount"], labelled["code"])
        invoice.currencies.add(currency)
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
        elif invoice.total is not None and any(word in name for word in PAYMENT_WORDS):
            invoice.paid += amount if amount <= 0 else -amount
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
    if len(invoice.currencies) > 1:
        raise FileRejected(
            f"the invoice mixes currencies ({', '.join(sorted(invoice.currencies))}); import "
            f"its totals as CSV"
        )
    currency = next(iter(invoice.currencies), "USD")
    if currency != "USD":
        raise FileRejected(
            f"the invoice is in {currency}; the usage is priced in USD, so the provider total "
            f"must be in USD: enter it in the policy file's [[provider_invoices]] or a totals CSV"
        )
    total = invoice.total if invoice.total is not None else invoice.due - invoice.paid
    add = MONEY_CONTEXT.add
    before_tax = add(add(invoice.subtotal, invoice.discount), invoice.credits)
    checks = [
        ("the line items", sum(invoice.items, Decimal(0)), "the subtotal", invoice.subtotal),
        ("subtotal + discounts + credits + tax", add(before_tax, invoice.tax), "the total", total),
        ("total + applied balance", add(total, invoice.paid), "the amount due", invoice.due),
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
    if not invoice.periods:
        # Never guessed from the date of issue: a threshold invoice mid-month bills that month.
        raise FileRejected(
            OTHER_LAYOUT.format(why="no service period such as 'Oct 1 – Oct 31, 2026'")
        )
    return (
        next(iter(invoice.periods)),
        invoice.number,
        str(invoice.subtotal),
        str(invoice.discount),
        str(invoice.credits),
        str(invoice.tax),
        str(total),
        currency,
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
