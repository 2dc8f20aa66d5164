"""Rendering of service results for the command line: JSON documents and plain tables."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from app.cli.words import counted
from app.domain.money import format_money, format_money_display
from app.domain.price_book import OPTIONAL_RATE_FIELDS
from app.domain.rounding import cents_to_decimal
from app.services.reporting import CostReport

if TYPE_CHECKING:  # importing loads pandas: only the import command needs it
    from app.services.importing import FileImportReport


def import_json(report: FileImportReport) -> dict:
    return {
        "file": report.file,
        "format": report.format,
        "status": report.status,
        "rows_read": report.rows_read,
        "lines_added": report.lines_added,
        "lines_replaced": report.lines_replaced,
        "rows_rejected": report.rows_rejected,
        "rows_ignored": report.rows_ignored,
        "duplicates_skipped": report.duplicates_skipped,
        "requests_already_imported": report.requests_already_imported,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "cost": None if report.cost is None else format_money(report.cost),
        "unpriced_lines": report.unpriced_lines,
        "unpriced_models": list(report.unpriced_models),
        "fast_without_fast_mode": list(report.fast_without_fast_mode),
        "message": report.message,
        "notes": report.notes,
        "profile": report.profile or None,
        "errors": [
            {"line": e.line, "column": e.column, "message": e.message} for e in report.errors
        ],
    }


def import_text(report: FileImportReport) -> str:
    if report.status == "skipped":
        return f"{report.file}: skipped, {report.message}"
    if report.status == "rejected":
        return f"{report.file}: rejected"
    parts = [
        f"{report.file}: imported as {report.format}"
        + (f" (profile {report.profile!r})" if report.profile else ""),
        f"{counted(report.rows_read, 'row')} read",
        counted(report.lines_added, "line"),
    ]
    if report.lines_replaced:
        parts.append(f"{counted(report.lines_replaced, 'earlier line')} replaced")
    if report.duplicates_skipped:
        parts.append(f"{counted(report.duplicates_skipped, 'duplicate request')} dropped")
    if report.requests_already_imported:
        parts.append(
            f"{counted(report.requests_already_imported, 'request')} imported before, skipped"
        )
    if report.rows_ignored:
        parts.append(f"{counted(report.rows_ignored, 'row')} ignored ({report.ignored_reason})")
    if report.rows_rejected:
        parts.append(f"{counted(report.rows_rejected, 'bad row')} skipped")
    if report.period_start:
        parts.append(f"{report.period_start} to {report.period_end}")
    if report.cost is not None:
        parts.append(f"cost {format_money_display(report.cost)}")
    if report.unpriced_lines:
        parts.append(
            f"{counted(report.unpriced_lines, 'UNPRICED line')} "
            f"({', '.join(report.unpriced_models)}): {price_hint(report.unpriced_models)}"
        )
    if report.fast_without_fast_mode:
        parts.append(
            f"fast-mode requests of {', '.join(report.fast_without_fast_mode)}, which has no "
            f"fast mode, priced at standard rates"
        )
    parts += report.notes
    return "; ".join(parts)


def price_hint(models: Sequence[str]) -> str:
    """The command that prices an unpriced model (the first, when there are several)."""
    model = models[0] if models else "MODEL"
    return f"price it with 'chargeback-desk prices set {model} --input USD --output USD'"


def report_json(report: CostReport) -> dict:
    return {
        "period": report.period,
        "by": list(report.by),
        "currency": "USD",
        "rows": [
            {
                **row.group,
                "cost": format_money(cents_to_decimal(row.cents)),
                "cost_exact": f"{row.cost:f}",
                "list_cost": format_money(cents_to_decimal(row.cents + row.discount_cents)),
                "discount": format_money(cents_to_decimal(row.discount_cents)),
                "lines": row.lines,
                "unpriced_lines": row.unpriced_lines,
                **row.counts,
            }
            for row in report.rows
        ],
        "total": format_money(cents_to_decimal(report.total_cents)),
        "total_exact": f"{report.total:f}",
        "list_total": format_money(cents_to_decimal(report.total_cents + _discount_cents(report))),
        "discount_total": format_money(cents_to_decimal(_discount_cents(report))),
        "unpriced_lines": report.unpriced_lines,
        "unpriced_models": list(report.unpriced_models),
    }


def _discount_cents(report: CostReport) -> int:
    """The discount shown: the rows' discounts (rounded so that they add up), so list −
    discount = cost on every row and in the total."""
    return sum(row.discount_cents for row in report.rows)


def report_text(report: CostReport) -> str:
    discounts = bool(report.discount_total)
    extra = ["list (USD)", "discount"] if discounts else []
    headers = [*report.by, "requests", *extra, "cost (USD)"]
    body = [
        [
            *(v or "(none)" for v in row.group.values()),
            f"{row.counts['requests']:,}",
            *(
                [
                    f"{cents_to_decimal(row.cents + row.discount_cents):,.2f}",
                    f"{cents_to_decimal(row.discount_cents):,.2f}",
                ]
                if discounts
                else []
            ),
            f"{cents_to_decimal(row.cents):,.2f}",
        ]
        for row in report.rows
    ]
    footer = [
        "Total",
        *([""] * (len(report.by) - 1)),
        f"{sum(r.counts['requests'] for r in report.rows):,}",
        *(
            [
                f"{cents_to_decimal(report.total_cents + _discount_cents(report)):,.2f}",
                f"{cents_to_decimal(_discount_cents(report)):,.2f}",
            ]
            if discounts
            else []
        ),
        f"{cents_to_decimal(report.total_cents):,.2f}",
    ]
    widths = [
        max(len(str(line[i])) for line in [headers, *body, footer]) for i in range(len(headers))
    ]
    numeric = set(range(len(report.by), len(headers)))

    def fmt(line: list[str]) -> str:
        return "  ".join(
            str(v).rjust(w) if i in numeric else str(v).ljust(w)
            for i, (v, w) in enumerate(zip(line, widths, strict=True))
        )

    out = [f"Cost report {report.period}", fmt(headers), fmt(["-" * w for w in widths])]
    out += [fmt(line) for line in body]
    out += [fmt(["-" * w for w in widths]), fmt(footer)]
    if report.unpriced_lines:
        out.append(
            f"{counted(report.unpriced_lines, 'unpriced line')} "
            f"({', '.join(report.unpriced_models)})"
            f" are not in the total: {price_hint(report.unpriced_models)}."
        )
    return "\n".join(out)


RATE_COLUMNS = ("input", "output", *OPTIONAL_RATE_FIELDS)


def prices_json(view) -> dict:  # type: ignore[no-untyped-def]
    return {
        "prices": [
            {
                "model": e.model,
                "effective_from": e.effective_from.isoformat(),
                "source": e.source,
                **{
                    name: None if getattr(e, name) is None else f"{getattr(e, name):f}"
                    for name in RATE_COLUMNS
                },
            }
            for e in view.entries
        ],
        "discounts": [
            {
                "model": d.model or None,
                "effective_from": d.effective_from.isoformat(),
                "percent": f"{d.percent:f}",
                "note": d.note,
            }
            for d in view.discounts
        ],
    }


def _long(entry) -> str:  # type: ignore[no-untyped-def]
    """The input/output rates of long requests: long context, or the high prompt band."""
    for label, rates in (
        ("", (entry.long_context_input, entry.long_context_output)),
        ("band ", (entry.high_band_input, entry.high_band_output)),
    ):
        if rates[0] is not None:
            return f"{label}{rates[0]:f}/{(rates[1] or entry.output):f}"
    return ""


def prices_text(view) -> str:  # type: ignore[no-untyped-def]
    headers = [
        "model",
        "from",
        "input",
        "output",
        "write 5m",
        "write 1h",
        "read",
        "long prompts",
        "fast",
        "source",
    ]
    rows = []
    for e in view.entries:
        rates = [getattr(e, n) for n in RATE_COLUMNS[:5]]
        derived = [e.input * Decimal("1.25"), e.input * 2, e.input * Decimal("0.1")]
        shown = [
            f"{r:f}" if r is not None else f"{d.normalize():f}*"
            for r, d in zip(rates, [e.input, e.output, *derived], strict=True)
        ]
        fast = "" if e.fast_multiplier is None else f"×{e.fast_multiplier:f}"
        rows.append([e.model, e.effective_from.isoformat(), *shown, _long(e), fast, e.source])
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = [
        "  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)) for r in [headers, *rows]
    ]
    note = (
        "USD per million tokens; * derived from the input rate; long prompts: input/output "
        "over 200k tokens (long context) or over the low band's limit (prompt bands); fast: "
        "every rate in fast mode."
    )
    lines.append(note)
    if view.discounts:
        lines += ["", "Contract discounts on token rates (a model's own wins over every model's):"]
        lines += [
            f"  {d.percent:f}% on {d.model or 'every model'} from {d.effective_from}"
            + (f" — {d.note}" if d.note else "")
            for d in view.discounts
        ]
    return "\n".join(lines)
