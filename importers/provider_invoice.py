"""Provider invoice totals CSV: ``period, invoice_number, subtotal, discount, credits, tax,
total, currency`` — what the provider actually charged per month (feeds the true-up)."""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from importers import fields
from importers.base import PROVIDER_INVOICE, ImportedData, ReadContext, RowProblem
from importers.canonical import PROVIDER_INVOICE_COLUMNS
from importers.rows import iter_csv_rows
from importers.sniff import FileSample

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
PARTS = ("subtotal", "discount", "credits", "tax")


def _row(row: dict[str, str], decimal_comma: bool) -> tuple:
    period = fields.text(row.get("period"))
    if not PERIOD.match(period):
        raise RowProblem("period", f"not a month YYYY-MM: {period!r}")
    amounts: dict[str, Decimal | None] = {
        name: fields.money(row.get(name), name, decimal_comma=decimal_comma)
        for name in (*PARTS, "total")
    }
    total = amounts["total"]
    if total is None:
        raise RowProblem("total", "missing total")
    if all(amounts[p] is not None for p in PARTS):
        expected = sum((amounts[p] for p in PARTS), Decimal(0))  # type: ignore[misc]
        if expected != total:
            raise RowProblem(
                "total",
                f"{total} is not subtotal + discount + credits + tax "
                f"= {expected} (difference {total - expected})",
            )
    return (
        period,
        fields.text(row.get("invoice_number")),
        *(None if amounts[p] is None else str(amounts[p]) for p in PARTS),
        str(total),
        fields.text(row.get("currency")).upper() or "USD",
    )


class ProviderInvoiceCsvImporter:
    id = "provider-invoice-csv"
    label = "Provider invoice totals (CSV): period, invoice number, subtotal … total"
    kind = PROVIDER_INVOICE
    source = "provider-invoice"

    def identify(self, sample: FileSample) -> bool:
        return (
            sample.has_columns("period", "total") and sample.has_columns("subtotal")
        ) or sample.has_columns("period", "invoice_number", "total")

    def read(self, ctx: ReadContext) -> ImportedData:
        decimal_comma = ctx.sample.delimiter == ";"
        rows, periods = [], {}
        for line, row in iter_csv_rows(ctx):
            try:
                record = _row(row, decimal_comma)
            except RowProblem as problem:
                ctx.add_error(line, problem.column, problem.message)
                continue
            if record[0] in periods:
                first = periods[record[0]]
                ctx.add_error(line, "period", f"{record[0]} appears twice (line {first})")
                continue
            periods[record[0]] = line
            rows.append(record)
        frame = pd.DataFrame.from_records(rows, columns=list(PROVIDER_INVOICE_COLUMNS))
        return ImportedData(PROVIDER_INVOICE, frame, {})
