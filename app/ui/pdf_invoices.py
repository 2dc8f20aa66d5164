"""PDF invoices rendered with Qt's own PDF writer: one A4 page per team (or one file per team
when the output is a folder), with a DRAFT watermark until the period is closed."""

from __future__ import annotations

import calendar
import html
import os
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

from app.domain.disputes import OPEN
from app.domain.money import format_money_display
from app.services.disputes import disputes_of_month
from app.services.export_inputs import (
    InvoiceBudget,
    export_inputs,
    invoice_budgets,
    team_details,
    today,
)
from app.services.invoices import invoice_document, usage_by_model, usage_by_model_of
from app.services.workspaces import Workspace
from app.ui.pdf_dates import pin_pdf

KIND_LABELS = {
    "usage": "Usage",
    "prior_period": "Prior period",
    "adjustment": "Adjustment",
    "shared": "Shared cost",
    "overhead": "Overhead",
}
STYLE = """
body { font-family: sans-serif; font-size: 10pt; color: #1b2430; }
h1 { font-size: 20pt; margin: 0; }
.muted { color: #5b6675; }
table.lines { border-collapse: collapse; width: 100%; margin-top: 14px; }
table.lines th { background: #1f3a5f; color: white; padding: 5px; text-align: left; }
table.lines td { padding: 5px; border-bottom: 1px solid #dde3ea; }
td.amount, th.amount { text-align: right; }
tr.total td { font-weight: bold; border-top: 2px solid #1b2430; }
"""


def ensure_application() -> None:
    """A Qt application for drawing documents, headless where there is no display. A widgets
    application, so that the same process may open windows later (a document first, then a
    widget, under a plain GUI application, would abort)."""
    if QGuiApplication.instance() is None:
        if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        ):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QApplication(sys.argv[:1])


def _money(text: str, currency: str) -> str:
    return html.escape(format_money_display(Decimal(text), currency))


@dataclass(frozen=True)
class InvoiceContext:
    """What an invoice page says besides its lines: who issued it and when, the team's
    department and owner, and its usage by model."""

    workspace_name: str
    issued: str
    budget_line: str
    department: str = ""
    owner: str = ""
    usage: tuple[tuple[str, int, int, Decimal], ...] = ()
    """(model, input tokens incl. cache, output tokens, direct cost), largest first."""
    open_disputes: tuple[dict[str, Any], ...] = ()
    """The team's disputes still open, of this month and earlier ones (``disputes --json``
    entries; as at close for a closed month)."""


def _disputes_note(context: InvoiceContext, currency: str) -> str:
    if not context.open_disputes:
        return ""
    items = "".join(
        f"<li>{html.escape(d['dispute'])}: {_money(d['amount'], currency)} of "
        f"{html.escape(d['line'])} on {html.escape(d['document'])}, raised by "
        f"{html.escape(d['raised_by'])}: {html.escape(d['reason'])}</li>"
        for d in context.open_disputes
    )
    return (
        "<p><b>Open disputes</b> (being reviewed; an accepted one is adjusted on the next "
        f"open month)</p><ul>{items}</ul>"
    )


def _usage_rows(context: InvoiceContext, currency: str) -> str:
    return "".join(
        f"<tr><td>{html.escape(model)}</td><td align='right'>{prompt:,}</td>"
        f"<td align='right'>{output:,}</td>"
        f"<td align='right'>{html.escape(format_money_display(cost, currency))}</td></tr>"
        for model, prompt, output, cost in context.usage
    )


def _functional_row(document: dict[str, Any], invoice: dict[str, Any]) -> str:
    """The total in the company's own currency, at the month's rate (closed months)."""
    functional = document.get("functional")
    if not functional:
        return ""
    converted = next(i for i in functional["invoices"] if i["team"] == invoice["team"])
    rate = (
        f"at {html.escape(functional['rate'])} {html.escape(functional['currency'])} per "
        f"{html.escape(document['currency'])} ({html.escape(functional['rate_source'])})"
    )
    return (
        f"<tr class='total'><td></td><td>Total in {html.escape(functional['currency'])}, {rate}"
        f"</td><td align='right'>{_money(converted['total'], functional['currency'])}</td></tr>"
    )


def invoice_html(document: dict[str, Any], invoice: dict[str, Any], context: InvoiceContext) -> str:
    currency = document["currency"]
    rows = "".join(
        f"<tr><td>{html.escape(KIND_LABELS.get(line['kind'], line['kind']))}</td>"
        f"<td>{html.escape(line['label'])}"
        + (
            f"<br/><span class='muted'>{html.escape('; '.join(line['trail']))}</span>"
            if line.get("trail")
            else ""
        )
        + f"</td><td align='right'>{_money(line['amount'], currency)}</td></tr>"
        for line in invoice["lines"]
    )
    showback = document.get("billing") == "showback"
    kind = "showback" if showback else "chargeback"
    number = invoice["number"] or (
        "DRAFT — showback, for information" if showback else "DRAFT — not final, not for payment"
    )
    notice = (
        "<p><b>For information only.</b> A showback statement, not an invoice: nothing is "
        "charged to the team or posted to the ledger.</p>"
        if showback
        else ""
    )
    center = html.escape(invoice["cost_center"] or "—")
    who = "".join(
        f" &nbsp; <b>{label}:</b> {html.escape(value)}"
        for label, value in (("Department", context.department), ("Owner", context.owner))
        if value
    )
    usage = (
        "<p><b>Usage by model</b></p><table class='lines' width='100%' cellspacing='0'>"
        "<tr><th>Model</th><th align='right'>Input tokens</th>"
        "<th align='right'>Output tokens</th><th align='right'>Direct cost</th></tr>"
        + _usage_rows(context, currency)
        + "</table>"
        if context.usage
        else ""
    )
    return f"""<html><head><style>{STYLE}</style></head><body>
<table width="100%"><tr><td><h1>{"Showback statement" if showback else "Invoice"}</h1>
<div class="muted">{html.escape(context.workspace_name)} · Claude (Anthropic API) {kind}</div></td>
<td align="right"><b>{html.escape(number)}</b><br/>Period {html.escape(document["period"])}
<br/>{html.escape(context.issued)}</td></tr></table>
{notice}<p><b>{"Prepared for" if showback else "Billed to"}:</b> {html.escape(invoice["team"])}
&nbsp; <b>Cost center:</b> {center}{who}</p>
<table class="lines" width="100%" cellspacing="0">
<tr><th>Kind</th><th>Description and why</th><th align="right">Amount</th></tr>
{rows}
<tr class="total"><td></td><td>Total</td>
<td align="right">{_money(invoice["total"], currency)}</td></tr>{_functional_row(document, invoice)}
</table>
{_disputes_note(context, currency)}{usage}
<p><b>Budget:</b> {html.escape(context.budget_line)}</p>
<p class="muted">Amounts are exact to the cent: every line is rounded so that the invoice adds
up and all invoices plus unallocated spend equal the month's total.</p>
</body></html>"""


def _long_date(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _budget_lines(document: dict[str, Any], budgets: dict[str, InvoiceBudget]) -> dict[str, str]:
    """The budget sentence per team."""
    currency = document["currency"]
    lines = {}
    for team, budget in budgets.items():
        share = (budget.used or Decimal(0)) * 100
        text = (
            f"{format_money_display(budget.budget, currency)}, {share:.0f}% used ({budget.status})"
        )
        if budget.at_risk_forecast is not None:
            forecast = format_money_display(budget.at_risk_forecast, currency)
            text += f", forecast {forecast} — at risk"
        lines[team] = text
    return lines


MAX_NAME = 80
"""Characters of a file name taken from an invoice number or a team's name."""


def invoice_file_names(document: dict[str, Any]) -> list[str]:
    """One distinct, portable file name per invoice (cleaned, shortened, numbered on clashes)."""
    names: list[str] = []
    used: set[str] = set()
    for invoice in document["invoices"]:
        name = invoice["number"] or f"DRAFT-{document['period']}-{invoice['team']}"
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:MAX_NAME] or "invoice"
        candidate, counter = safe, 2
        while candidate.lower() in used:
            candidate = f"{safe}-{counter}"
            counter += 1
        used.add(candidate.lower())
        names.append(f"{candidate}.pdf")
    return names


def _draw_page(painter: QPainter, writer: QPdfWriter, content: str, draft: bool) -> None:
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    if draft:
        painter.save()
        painter.setPen(QColor(200, 40, 40, 45))
        font = QFont("sans-serif")
        font.setPointSize(96)
        font.setBold(True)
        painter.setFont(font)
        painter.translate(page.width() / 2, page.height() / 2)
        painter.rotate(-35)
        painter.drawText(
            QRectF(-page.width(), -page.height() / 4, 2 * page.width(), page.height() / 2),
            Qt.AlignmentFlag.AlignCenter,
            "DRAFT",
        )
        painter.restore()
    document = QTextDocument()
    document.setDocumentMargin(0)
    scale = writer.resolution() / 96
    document.setPageSize(QSizeF(page.width() / scale, page.height() / scale))
    document.setHtml(content)
    painter.save()
    painter.scale(scale, scale)
    document.drawContents(painter)
    painter.restore()


def _writer(path: Path, title: str) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("Chargeback Desk")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(18, 18, 18, 18),
            QPageLayout.Unit.Millimeter,
        )
    )
    return writer


def export_pdf_invoices(workspace: Workspace, period: str, out: Path) -> Path:
    """One combined PDF (``out`` ends in .pdf) or one PDF per invoice (``out`` is a folder).

    A closed period's files are made from what was frozen at close and dated by the close, so
    they are byte-for-byte the same every time.
    """
    ensure_application()
    document = invoice_document(workspace, period)
    draft = document["status"] != "final"
    # A draft's invoices need the live budgets and usage, not the rest of the finance pack.
    inputs = None if draft else export_inputs(workspace, period)
    name = workspace.name if inputs is None else inputs.workspace_name
    as_of = None if inputs is None else inputs.as_of
    budgets = _budget_lines(document, invoice_budgets(workspace, document, inputs))
    usage = usage_by_model(workspace, period) if inputs is None else usage_by_model_of(inputs.facts)
    details = team_details(workspace) if inputs is None else (inputs.team_details or {})
    issued = (
        f"Draft of {_long_date(today())}"
        if as_of is None
        else f"Issued {_long_date(as_of.date())} (the close)"
    )
    disputes: dict[str, list[dict[str, Any]]] = {}
    listed = (
        [d.as_json() for d in disputes_of_month(workspace, period)]
        if inputs is None
        else inputs.disputes
    )
    for dispute in listed:
        if dispute["status"] == OPEN:
            disputes.setdefault(dispute["team"], []).append(dispute)
    pages = [
        invoice_html(
            document,
            invoice,
            InvoiceContext(
                name,
                issued,
                budgets.get(invoice["team"], "no budget set"),
                *details.get(invoice["team"], ("", "")),
                usage.get(invoice["team"], ()),
                tuple(disputes.get(invoice["team"], ())),
            ),
        )
        for invoice in document["invoices"]
    ]
    if out.suffix.lower() != ".pdf":
        out.mkdir(parents=True, exist_ok=True)
        for invoice, name, content in zip(
            document["invoices"], invoice_file_names(document), pages, strict=True
        ):
            path = out / name
            title = invoice["number"] or f"DRAFT {period} {invoice['team']}"
            heading = "Showback statement" if document.get("billing") == "showback" else "Invoice"
            writer = _writer(path, f"{heading} {title}")
            painter = QPainter(writer)
            _draw_page(painter, writer, content, draft)
            painter.end()
            del painter, writer
            pin_pdf(path, as_of, f"{period}/{name}")
        return out
    kind = "showback statements" if document.get("billing") == "showback" else "chargeback invoices"
    writer = _writer(out, f"Claude {kind} {period}")
    painter = QPainter(writer)
    for index, content in enumerate(pages):
        if index:
            writer.newPage()
        _draw_page(painter, writer, content, draft)
    painter.end()
    del painter, writer
    pin_pdf(out, as_of, period)
    return out
