"""The finance pack as one Excel workbook (openpyxl, write-only so large months stay fast):
Summary with live formulas and links, one sheet per team, Budget vs actual with a chart,
Negotiated discounts per team and model (when the month has any), Usage detail with a filter.
Text from imported data is always written as text, never a formula.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.allocated_lines import AllocatedSlice
from exporters.machine_formats import billing_of

MONEY = '"$"#,##0.00;[Red]-"$"#,##0.00'
PERCENT = "0.0%"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
KINDS = ("usage", "prior_period", "adjustment", "shared", "overhead")


@dataclass(frozen=True)
class WorkbookData:
    """Everything the pack shows; plain values prepared by the services."""

    workspace_name: str
    document: dict[str, Any]
    slices: Sequence[AllocatedSlice]
    budgets: dict[str, Decimal] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    unit_economics: dict[str, dict[str, Decimal | None]] = field(default_factory=dict)
    usage_by_type: dict[str, dict[tuple[str, str], Decimal]] = field(default_factory=dict)
    """Team → (model, token or cost type) → direct cost."""
    disputes: Sequence[dict[str, Any]] = ()
    """Disputes still open of this month and earlier ones, and those this month moves
    (``disputes --json`` entries)."""
    as_of: datetime | None = None
    """The file's date (a closed period's close): with it the file is byte-for-byte the same
    every time it is written; without it, the time of writing."""


class _Sheet:
    """A write-only sheet with typed cell helpers."""

    def __init__(self, workbook: Workbook, title: str) -> None:
        self.ws: Worksheet = workbook.create_sheet(title=title)
        self.row = 0

    def text(self, value: str, font: Font | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if font is not None:
            cell.font = font
        return cell

    def plain_text(self, value: str) -> str | WriteOnlyCell:
        """Bare strings are written as text by openpyxl unless they start with ``=``."""
        return self.text(value) if value.startswith("=") else value

    def money(self, value: Decimal | str | None, bold: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=None if value is None else Decimal(value))
        cell.number_format = MONEY
        if bold:
            cell.font = BOLD
        return cell

    def formula(self, text: str, number_format: str = MONEY, bold: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=text)
        cell.number_format = number_format
        if bold:
            cell.font = BOLD
        return cell

    def header(self, names: Iterable[str]) -> None:
        cells = []
        for name in names:
            cell = self.text(name, HEADER_FONT)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center")
            cells.append(cell)
        self.append(cells)

    def append(self, cells: list[Any]) -> int:
        self.ws.append(cells)
        self.row += 1
        return self.row

    def widths(self, widths: Sequence[int]) -> None:
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width

    def print_setup(self, title_rows: str) -> None:
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.print_title_rows = title_rows


def sheet_name(team: str, used: set[str]) -> str:
    """A valid, unique sheet title for a team (31 characters, no []:*?/\\)."""
    clean = "".join("_" if c in "[]:*?/\\'" else c for c in team).strip() or "Team"
    name, n = clean[:31], 2
    while name.lower() in used or name.lower() in {"summary", "budget vs actual", "usage detail"}:
        name = f"{clean[:28]} {n}"
        n += 1
    used.add(name.lower())
    return name


def _summary(workbook: Workbook, data: WorkbookData, sheets: dict[str, str]) -> None:
    doc = data.document
    sheet = _Sheet(workbook, "Summary")
    sheet.widths([24, 12, 20, 14, 14, 14, 14, 15, 14, 14, 10])
    billing = billing_of(doc)
    sheet.append(
        [sheet.text(f"Claude {billing} {doc['period']} — {data.workspace_name}", TITLE_FONT)]
    )
    kind = (
        "showback: statements for information, never posted"
        if billing == "showback"
        else "chargeback"
    )
    sheet.append(
        [sheet.text(f"Status: {doc['status'].upper()} · {kind} · currency {doc['currency']}")]
    )
    functional = doc.get("functional")
    if functional:
        converted = ", ".join(f"{i['team']} {i['total']}" for i in functional["invoices"])
        sheet.append(
            [
                sheet.text(
                    f"In {functional['currency']} at {functional['rate']} per {doc['currency']} "
                    f"({functional['rate_source']}): {converted}; invoiced "
                    f"{functional['grand_total']}, unallocated {functional['unallocated']}"
                )
            ]
        )
    sheet.append([])
    sheet.header(
        [
            "Team",
            "Cost center",
            "Invoice",
            "Direct",
            "Adjustment",
            "Shared",
            "Overhead",
            "Total",
            "Budget",
            "Variance",
            "Status",
        ]
    )
    first = sheet.row + 1
    for invoice in doc["invoices"]:
        parts = {k: Decimal(0) for k in KINDS}
        for line in invoice["lines"]:
            parts[line["kind"]] += Decimal(line["amount"])
        row = sheet.row + 1
        target = sheets[invoice["team"]].replace('"', '""')
        label = invoice["team"].replace('"', '""')
        link = sheet.formula(f'=HYPERLINK("#\'{target}\'!A1","{label}")', "General")
        link.font = Font(color="1F5FBF", underline="single")
        budget = data.budgets.get(invoice["team"])
        sheet.append(
            [
                link,
                sheet.text(invoice["cost_center"]),
                sheet.text(invoice["number"] or "DRAFT"),
                sheet.money(parts["usage"] + parts["prior_period"]),
                sheet.money(parts["adjustment"]),
                sheet.money(parts["shared"]),
                sheet.money(parts["overhead"]),
                sheet.formula(f"=SUM(D{row}:G{row})", bold=True),
                sheet.money(budget),
                sheet.formula(f'=IF(I{row}="","",I{row}-H{row})'),
                sheet.text(data.statuses.get(invoice["team"], "")),
            ]
        )
    last = sheet.row
    unallocated_row = sheet.row + 1
    sheet.append(
        [
            sheet.text("Unallocated (not invoiced)"),
            None,
            None,
            sheet.money(doc["unallocated"]),
            sheet.money(Decimal(0)),
            sheet.money(Decimal(0)),
            sheet.money(Decimal(0)),
            sheet.formula(f"=SUM(D{unallocated_row}:G{unallocated_row})", bold=True),
        ]
    )
    # Every column sums the same rows, so the grand-total row cross-foots (D+E+F+G = H).
    totals = [sheet.text("Grand total", BOLD), None, None]
    for column in "DEFGHI":
        end = last if column == "I" else unallocated_row
        totals.append(sheet.formula(f"=SUM({column}{first}:{column}{end})", bold=True))
    totals.append(
        sheet.formula(f"=I{sheet.row + 1}-H{sheet.row + 1}+H{unallocated_row}", bold=True)
    )
    sheet.append(totals)
    sheet.ws.freeze_panes = f"B{first}"
    sheet.print_setup(f"{first - 1}:{first - 1}")


def _team_sheet(
    workbook: Workbook,
    data: WorkbookData,
    invoice: dict[str, Any],
    name: str,
    by_model: dict[str, Decimal],
) -> None:
    doc = data.document
    sheet = _Sheet(workbook, name)
    sheet.widths([18, 44, 16, 40])
    heading = "Showback statement" if billing_of(doc) == "showback" else "Invoice"
    sheet.append([sheet.text(f"{heading} {invoice['number'] or 'DRAFT'}", TITLE_FONT)])
    sheet.append([sheet.text("Team"), sheet.text(invoice["team"])])
    sheet.append([sheet.text("Cost center"), sheet.text(invoice["cost_center"])])
    sheet.append([sheet.text("Period"), sheet.text(doc["period"])])
    sheet.append([])
    sheet.header(["Kind", "Line", "Amount", "Allocation trail"])
    first = sheet.row + 1
    for line in invoice["lines"]:
        sheet.append(
            [
                sheet.text(line["kind"]),
                sheet.text(line["label"]),
                sheet.money(line["amount"]),
                sheet.text("; ".join(line.get("trail", []))),
            ]
        )
    sheet.append(
        [sheet.text("Total", BOLD), None, sheet.formula(f"=SUM(C{first}:C{sheet.row})", bold=True)]
    )
    sheet.ws.freeze_panes = f"A{first}"
    sheet.append([])
    sheet.append([sheet.text("Usage by model (direct cost)", BOLD)])
    for model, amount in sorted(by_model.items(), key=lambda i: -i[1]):
        sheet.append([sheet.text("usage"), sheet.text(model), sheet.money(amount)])
    by_type = data.usage_by_type.get(invoice["team"], {})
    if by_type:
        sheet.append([])
        sheet.append([sheet.text("Usage by model and token type (direct cost)", BOLD)])
        for (model, token_type), amount in sorted(by_type.items()):
            sheet.append([sheet.text(model), sheet.text(token_type), sheet.money(amount)])
    figures = data.unit_economics.get(invoice["team"], {})
    if figures:
        sheet.append([])
        sheet.append([sheet.text("Unit economics", BOLD)])
        for key, value in figures.items():
            if value is None:
                continue
            is_share = key.endswith(("share", "rate"))
            cell = sheet.formula(
                float(value) if is_share else Decimal(value), PERCENT if is_share else MONEY
            )
            sheet.append([sheet.text(""), sheet.text(key.replace("_", " ")), cell])
    sheet.print_setup("6:6")


def _budget_sheet(workbook: Workbook, data: WorkbookData) -> None:
    sheet = _Sheet(workbook, "Budget vs actual")
    sheet.widths([24, 14, 14, 14])
    sheet.header(["Team", "Budget", "Actual", "Used"])
    for invoice in data.document["invoices"]:
        row = sheet.row + 1
        sheet.append(
            [
                sheet.text(invoice["team"]),
                sheet.money(data.budgets.get(invoice["team"])),
                sheet.money(invoice["total"]),
                sheet.formula(f'=IF(B{row}>0,C{row}/B{row},"")', PERCENT),
            ]
        )
    if sheet.row > 1:
        chart = BarChart()
        chart.type = "col"
        chart.title = f"Budget vs actual {data.document['period']}"
        chart.y_axis.title = f"Amount ({data.document['currency']})"
        chart.x_axis.title = "Team"
        values = Reference(sheet.ws, min_col=2, max_col=3, min_row=1, max_row=sheet.row)
        chart.add_data(values, titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=1, min_row=2, max_row=sheet.row))
        chart.width, chart.height = 22, 11
        sheet.ws.add_chart(chart, "F2")
    sheet.ws.freeze_panes = "A2"
    sheet.print_setup("1:1")


def _detail_sheet(workbook: Workbook, data: WorkbookData) -> None:
    sheet = _Sheet(workbook, "Usage detail")
    sheet.widths([22, 18, 14, 22, 12, 16, 16])
    sheet.ws.auto_filter.ref = f"A1:G{len(data.slices) + 1}"
    sheet.ws.freeze_panes = "A2"
    sheet.header(
        ["Team", "Product", "Environment", "Model", "Day", "Direct cost", "Allocated cost"]
    )
    plain = sheet.plain_text
    for s in data.slices:
        sheet.append(
            [
                plain(s.team),
                plain(s.product),
                plain(s.environment),
                plain(s.model),
                s.day,
                sheet.money(s.direct),
                sheet.money(Decimal(s.allocated_cents) / 100),
            ]
        )
    sheet.print_setup("1:1")


def _discount_sheet(workbook: Workbook, data: WorkbookData) -> None:
    """Per team and model, the list price, the negotiated discount and what is invoiced —
    only when the month has a discount (a contract discount, or a source's list price)."""
    lines = [
        (invoice["team"], line)
        for invoice in data.document["invoices"]
        for line in invoice["lines"]
        if "list_amount" in line
    ]
    if not lines:
        return
    sheet = _Sheet(workbook, "Negotiated discounts")
    sheet.widths([24, 30, 14, 14, 14, 12])
    sheet.header(["Team", "Model", "List price", "Discount", "Invoiced", "Discount %"])
    first = sheet.row + 1
    for team, line in lines:
        row = sheet.row + 1
        sheet.append(
            [
                sheet.plain_text(team),
                sheet.plain_text(line["label"]),
                sheet.money(line["list_amount"]),
                sheet.formula(f"=C{row}-E{row}"),
                sheet.money(line["amount"]),
                sheet.formula(f'=IF(C{row}=0,"",D{row}/C{row})', PERCENT),
            ]
        )
    last = sheet.row
    total = last + 1
    sheet.append(
        [
            sheet.text("Total", BOLD),
            None,
            *(
                sheet.formula(f"=SUM({column}{first}:{column}{last})", bold=True)
                for column in "CDE"
            ),
            sheet.formula(f'=IF(C{total}=0,"",D{total}/C{total})', PERCENT),
        ]
    )
    sheet.ws.freeze_panes = f"A{first}"
    sheet.print_setup("1:1")


def _dispute_sheet(workbook: Workbook, data: WorkbookData) -> None:
    """Open disputes per team (count and amount), then every dispute open of this month or
    earlier, and those whose amounts this month moves — only when there are any."""
    if not data.disputes:
        return
    sheet = _Sheet(workbook, "Disputes")
    sheet.widths([22, 10, 12, 16, 20, 30, 14, 14, 18, 24, 40, 40])
    sheet.append([sheet.text(f"Disputes as of {data.document['period']}", TITLE_FONT)])
    sheet.header(["Team", "Open", "Open amount"])
    open_by_team: dict[str, list[Decimal]] = {}
    for dispute in data.disputes:
        amounts = open_by_team.setdefault(dispute["team"], [])
        if dispute["status"] == "open":
            amounts.append(Decimal(dispute["amount"]))
    for team, amounts in open_by_team.items():
        sheet.append([sheet.plain_text(team), len(amounts), sheet.money(sum(amounts))])
    sheet.append([])
    sheet.header(
        [
            "Team",
            "Dispute",
            "Status",
            "Month contested",
            "Document",
            "Line",
            "Contested",
            "Accepted",
            "Moved to",
            "Raised by",
            "Reason",
            "Decision",
        ]
    )
    plain = sheet.plain_text
    for d in data.disputes:
        moved = f"{d['move_to']} on {d['lands_in']}" if d["lands_in"] else d["move_to"] or ""
        sheet.append(
            [
                plain(d["team"]),
                d["dispute"],
                d["status"],
                d["period"],
                plain(d["document"]),
                plain(d["line"]),
                sheet.money(d["amount"]),
                sheet.money(d["accepted_amount"]),
                plain(moved),
                plain(d["raised_by"]),
                plain(d["reason"]),
                plain(d["decision_reason"] or ""),
            ]
        )
    sheet.print_setup("1:1")


def write_workbook(path: Path, data: WorkbookData) -> None:
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"Claude {billing_of(data.document)} {data.document['period']}"
    workbook.properties.creator = "Chargeback Desk"
    workbook.properties.subject = data.workspace_name
    stamp = (data.as_of or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None, microsecond=0)
    workbook.properties.created = workbook.properties.modified = stamp
    used: set[str] = set()
    sheets = {
        invoice["team"]: sheet_name(invoice["team"], used) for invoice in data.document["invoices"]
    }
    _summary(workbook, data, sheets)
    by_model: dict[str, dict[str, Decimal]] = {}
    for s in data.slices:
        if s.model:
            models = by_model.setdefault(s.team, {})
            models[s.model] = models.get(s.model, Decimal(0)) + s.direct
    for invoice in data.document["invoices"]:
        _team_sheet(
            workbook, data, invoice, sheets[invoice["team"]], by_model.get(invoice["team"], {})
        )
    _budget_sheet(workbook, data)
    _discount_sheet(workbook, data)
    _dispute_sheet(workbook, data)
    _detail_sheet(workbook, data)
    workbook.save(path)
    if data.as_of is not None:
        _pin_zip_dates(path, stamp)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _pin_zip_dates(path: Path, stamp: datetime) -> None:
    """Rewrite the archive with every member dated ``stamp``: zip writers use the clock, and
    openpyxl sets the "modified" property to the time of saving. Member by member, so memory
    holds one sheet at a time."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    pinned_path = path.with_name(path.name + ".pinning")
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(pinned_path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + iso + rb"\g<2>", content)
            pinned = zipfile.ZipInfo(info.filename, date_time=when)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            target.writestr(pinned, content)
    pinned_path.replace(path)
