"""The monthly cross-team report as a PDF (Qt's writer, A4, paginated) or a self-contained
HTML file (the charts embedded as PNG images): one document for every team lead after close.
``export report --period`` and the invoices page write it."""

from __future__ import annotations

import base64
import html
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app.domain.money import format_money_display
from app.services.exports import ExportError
from app.services.monthly_report import MonthlyReport, monthly_report
from app.services.workspaces import Workspace
from app.ui.pdf_dates import pin_pdf
from app.ui.pdf_invoices import ensure_application
from app.ui.presentation.dashboard import team_palette
from app.ui.presentation.formatting import month_label, short_month
from app.ui.report_charts import budget_bars, png_bytes, stacked_months

STYLE = """
body { font-family: sans-serif; font-size: 9.5pt; color: #1b2430; }
h1 { font-size: 19pt; margin: 0 0 2px 0; }
h2 { font-size: 12.5pt; margin: 16px 0 4px 0; color: #1f3a5f; }
.muted { color: #5b6675; }
table.t { border-collapse: collapse; width: 100%; margin-top: 4px; }
table.t th { background: #1f3a5f; color: white; padding: 4px; text-align: left; }
table.t td { padding: 3px 4px; border-bottom: 1px solid #dde3ea; }
td.n, th.n { text-align: right; }
.over { color: #b03a2e; font-weight: bold; } .warning { color: #9a6c00; }
"""
STATUS_COLOURS = {"over": "#b03a2e", "warning": "#d9b32b", "under": "#4f9a5b"}
FIGURE_WORDS = {
    "cost_per_request": "Cost / request",
    "cost_per_mtok": "Cost / 1M tokens",
    "cache_hit_rate": "Cache hits",
    "batch_share": "Batch",
}
RATIOS = ("cache_hit_rate", "batch_share")


def _money(amount: Decimal | None, currency: str) -> str:
    return "—" if amount is None else html.escape(format_money_display(amount, currency))


def _change(current: Decimal, previous: Decimal | None) -> str:
    if previous is None:
        return "new"
    if not previous:
        return "—"
    change = (current - previous) / previous * 100
    return "0.0%" if abs(change) < Decimal("0.05") else f"{change:+.1f}%"


def _figure(name: str, value: Decimal | None, previous: Decimal | None, currency: str) -> str:
    if value is None:
        return "—"
    if name in RATIOS:
        text = f"{value * 100:.0f}%"
        points = (value - previous) * 100 if previous is not None else Decimal(0)
        return text + (f" ({points:+.0f} pts)" if abs(points) >= Decimal("0.5") else "")
    places = 4 if name == "cost_per_request" else 2
    text = html.escape(format_money_display(value, currency, places))
    change = (value - previous) / previous * 100 if previous else Decimal(0)
    return text + (f" ({change:+.0f}%)" if abs(change) >= Decimal("0.5") else "")


def _status(status: str) -> str:
    base = status.split(" ")[0] if status else ""
    css = {"over": "over", "warning": "warning"}.get(base, "")
    return f"<span class='{css}'>{html.escape(status or 'no budget')}</span>"


def _rows(cells: list[list[str]], numeric: set[int]) -> str:
    return "".join(
        "<tr>"
        + "".join(
            f"<td class='n'>{cell}</td>" if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in cells
    )


def _head(names: list[str], numeric: set[int]) -> str:
    return (
        "<tr>"
        + "".join(
            f"<th class='n' align='right'>{n}</th>" if i in numeric else f"<th>{n}</th>"
            for i, n in enumerate(names)
        )
        + "</tr>"
    )


def report_html(report: MonthlyReport, images: dict[str, str], image_width: int = 640) -> str:
    """The report as HTML; ``images`` maps ``trend`` and ``budget`` to their ``src``, shown
    ``image_width`` pixels wide."""
    c = report.currency
    month = month_label(report.period)
    kind = "Showback" if report.billing == "showback" else "Chargeback"
    state = (
        f"Final — closed {report.as_of:%d %B %Y}"
        if report.status == "final" and report.as_of
        else "DRAFT — the month is not closed; figures may change"
    )
    change = (
        f" ({_change(report.grand_total, report.previous_total)} on last month)"
        if report.previous_total is not None
        else ""
    )
    over = [t.team for t in report.teams if t.status.startswith("over")]
    verb = "shown on statements for" if report.billing == "showback" else "invoiced to"
    headline = (
        f"<b>{_money(report.grand_total, c)}</b> {verb} {len(report.teams)} teams{change}; "
        f"{_money(report.unallocated, c)} unallocated (not invoiced). "
        + (f"Over budget: {html.escape(', '.join(over))}." if over else "No team is over budget.")
    )
    team_rows = [
        [
            html.escape(t.team),
            _money(t.total, c),
            _change(t.total, t.previous),
            _money(t.budget, c),
            f"{t.total / t.budget * 100:.0f}%" if t.budget else "—",
            _status(t.status),
        ]
        for t in report.teams
    ]
    unit_rows = [
        [html.escape(t.team)]
        + [_figure(k, t.unit.get(k), t.unit_previous.get(k), c) for k in FIGURE_WORDS]
        for t in report.teams
    ]
    movers = "".join(
        f"<h3>{title}</h3><table class='t' width='100%' cellspacing='0'>"
        + _head(["", "This month", "Last month", "Change"], {1, 2, 3})
        + (
            _rows(
                [
                    [
                        html.escape(m.name),
                        _money(m.current, c),
                        _money(m.previous, c),
                        _money(m.change, c),
                    ]
                    for m in report.movers[key]
                ],
                {1, 2, 3},
            )
            or "<tr><td colspan='4' class='muted'>No change.</td></tr>"
        )
        + "</table>"
        for key, title in (
            ("teams", "Teams (invoiced)"),
            ("products", "Products (direct)"),
            ("models", "Models (direct)"),
        )
    )
    levers = (
        "<table class='t' width='100%' cellspacing='0'>"
        + _head(["Team", "Lever", "About, a month", "Assuming"], {2})
        + _rows(
            [
                [
                    html.escape(x.team),
                    html.escape(x.lever),
                    _money(x.amount.quantize(Decimal("0.01")), c),
                    html.escape(x.assumption),
                ]
                for x in report.levers
            ],
            {2},
        )
        + "</table>"
        if report.levers
        else "<p class='muted'>No savings lever stands out this month.</p>"
    )
    anomalies = (
        "<table class='t' width='100%' cellspacing='0'>"
        + _head(["Day", "Where", "Cost", "Usual", "Driven by"], {2, 3})
        + _rows(
            [
                [
                    a.day,
                    html.escape(a.subject),
                    _money(a.cost.quantize(Decimal("0.01")), c),
                    _money(a.baseline.quantize(Decimal("0.01")), c),
                    html.escape(a.driver),
                ]
                for a in report.anomalies
            ],
            {2, 3},
        )
        + "</table>"
        if report.anomalies
        else "<p class='muted'>No day stood far above the 14 days before it.</p>"
    )
    disputes = (
        "<ul>"
        + "".join(
            f"<li>{html.escape(d['dispute'])} ({html.escape(d['team'])}): "
            f"{_money(Decimal(d['amount']), c)} of {html.escape(d['line'])} on "
            f"{html.escape(d['document'])} — {html.escape(d['reason'])}</li>"
            for d in report.open_disputes
        )
        + "</ul>"
        if report.open_disputes
        else "<p class='muted'>None.</p>"
    )
    title = html.escape(f"Claude spend report {report.period} — {report.workspace_name}")
    unit_head = _head(["Team", *FIGURE_WORDS.values()], {1, 2, 3, 4})
    team_head = _head(["Team", "Invoiced", "Change", "Budget", "Used", "Status"], {1, 2, 3, 4})
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{title}</title>
<style>{STYLE}</style></head><body>
<h1>Claude spend report — {html.escape(month)}</h1>
<div class="muted">{html.escape(report.workspace_name)} · {kind} · {html.escape(state)}</div>
<p>{headline}</p>
<h2>Twelve months by team</h2>
<img src="{images["trend"]}" width="{image_width}" alt="Invoiced by team, month by month"/>
<h2>Teams this month</h2>
<table class="t" width="100%" cellspacing="0">{team_head}
{_rows(team_rows, {1, 2, 3, 4})}</table>
<img src="{images["budget"]}" width="{image_width}" alt="Each team against its budget"/>
<h2>Unit economics (change on last month)</h2>
<table class="t" width="100%" cellspacing="0">{unit_head}
{_rows(unit_rows, {1, 2, 3, 4})}</table>
<h2>Top movers</h2>{movers}
<h2>Biggest savings levers (estimates)</h2>{levers}
<h2>Anomalies</h2>{anomalies}
<h2>Open disputes</h2>{disputes}
<p class="muted">Invoiced amounts are the month's {kind.lower()} documents, exact to the cent;
product and model movers are direct usage cost before shared costs and overhead. Savings are
estimates, each with what it assumes; an anomaly is a day above the median + 5 × MAD of the
14 days before it.</p>
</body></html>"""


def _charts(report: MonthlyReport) -> dict[str, QImage]:
    names = [team for team, _ in report.trend_teams]
    palette = team_palette(names)
    trend = stacked_months(
        [short_month(m) for m in report.months],
        [(team, palette[team], values) for team, values in report.trend_teams],
        report.currency,
    )
    budget = budget_bars(
        [
            (t.team, t.total, t.budget, STATUS_COLOURS.get(t.status.split(" ")[0], "#9aa5b1"))
            for t in report.teams
        ],
        report.currency,
    )
    return {"trend": trend, "budget": budget}


def export_monthly_report(workspace: Workspace, period: str, out: Path) -> Path:
    """Write the report to ``out``: a ``.pdf`` or a self-contained ``.html`` file."""
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise ExportError(f"report: --out must end in .pdf or .html, not {out.name!r}")
    if out.is_dir() or not out.parent.is_dir():
        raise ExportError(f"report: {out} is a folder, or its folder does not exist")
    ensure_application()
    report = monthly_report(workspace, period)
    charts = _charts(report)
    if suffix != ".pdf":
        sources = {
            name: "data:image/png;base64," + base64.b64encode(png_bytes(image)).decode()
            for name, image in charts.items()
        }
        out.write_text(report_html(report, sources), encoding="utf-8")
        return out
    document = QTextDocument()
    for name, image in charts.items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{name}"), image)
    # The A4 text column is 520 CSS pixels wide as Qt lays a document out for print.
    document.setHtml(report_html(report, {name: f"chart:{name}" for name in charts}, 520))
    writer = QPdfWriter(str(out))
    writer.setTitle(f"Claude spend report {period}")
    writer.setCreator("Chargeback Desk")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(16, 16, 16, 16),
            QPageLayout.Unit.Millimeter,
        )
    )
    document.print_(writer)
    del writer
    if not out.is_file():
        raise ExportError(f"report: {out} could not be written")
    pin_pdf(out, report.as_of, f"report/{period}")
    return out
