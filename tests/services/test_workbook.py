"""The Excel finance pack, read back with openpyxl (and recalculated when LibreOffice is here)."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.services.importing import import_file
from app.services.invoices import invoice_document
from app.services.policy import apply_policy_file


@pytest.mark.parametrize("period", ["2026-07", "2026-10"])
def test_workbook_sheets_numbers_and_formulas(demo, tmp_path, period):
    out = tmp_path / "pack.xlsx"
    assert main(["-w", demo.location, "export", "xlsx", "--period", period, "--out", str(out)]) == 0
    document = invoice_document(demo, period)
    book = load_workbook(out)
    teams = [i["team"] for i in document["invoices"]]
    # The demo's open dispute of July's statements came after July closed: July's pack is as
    # at its close; October's, a draft, shows it.
    disputes = ["Disputes"] if period == "2026-10" else []
    assert book.sheetnames == [
        "Summary",
        *teams,
        "Budget vs actual",
        *disputes,
        "Usage detail",
    ]
    summary = book["Summary"]
    header = [c.value for c in summary[4]]
    assert header[:8] == [
        "Team",
        "Cost center",
        "Invoice",
        "Direct",
        "Adjustment",
        "Shared",
        "Overhead",
        "Total",
    ]
    for offset, invoice in enumerate(document["invoices"]):
        row = summary[5 + offset]
        assert invoice["team"] in row[0].value and row[0].value.startswith("=HYPERLINK(")
        assert row[2].value == (invoice["number"] or "DRAFT")
        parts = sum(Decimal(str(c.value)) for c in row[3:7])
        assert parts == Decimal(invoice["total"])  # what =SUM(D:G) will show
        assert row[7].value == f"=SUM(D{5 + offset}:G{5 + offset})"
    team_sheet = book[teams[0]]
    heading = "Showback statement" if document["billing"] == "showback" else "Invoice"
    assert team_sheet["A1"].value == f"{heading} {document['invoices'][0]['number'] or 'DRAFT'}"
    assert period != "2026-07" or summary["A2"].value.startswith(
        "Status: FINAL · showback: statements for information, never posted"
    )
    assert book["Usage detail"].auto_filter.ref.startswith("A1:G")
    assert book["Budget vs actual"]._charts
    assert summary.page_setup.orientation == "landscape"
    assert book.properties.creator == "Chargeback Desk"


def test_text_from_imports_is_never_a_formula(tmp_path, workspace, capsys):
    log = tmp_path / "evil.csv"
    log.write_text(
        "timestamp,request_id,team,environment,product,model,input_tokens,"
        "output_tokens\n"
        "2026-10-01T00:00:00Z,a,data,=2+2,@SUM(1),claude-haiku-4-5,1000000,0\n"
        "2026-10-01T00:00:01Z,b,data,+cmd,-1,claude-haiku-4-5,1000000,0\n"
    )
    import_file(workspace, log)
    policy = tmp_path / "p.toml"
    policy.write_text('version = 1\n[[teams]]\nname = "=Data"\naliases = ["data"]\n')
    apply_policy_file(workspace, policy)
    out = tmp_path / "evil.xlsx"
    assert (
        main(["-w", workspace.location, "export", "xlsx", "--period", "2026-10", "--out", str(out)])
        == 0
    )
    detail = load_workbook(out)["Usage detail"]
    texts = [c for row in detail.iter_rows(min_row=2) for c in row[:5]]
    assert {"=2+2", "+cmd", "=Data"} <= {c.value for c in texts}
    assert all(c.data_type == "s" for c in texts)


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is installed by .ci/run; not on this machine",
)
def test_libreoffice_recalculates_to_the_invoice_figures(demo, tmp_path):
    out = tmp_path / "pack.xlsx"
    main(["-w", demo.location, "export", "xlsx", "--period", "2026-10", "--out", str(out)])
    converted = tmp_path / "recalculated"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(converted),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    book = load_workbook(converted / "pack.xlsx", data_only=True)
    document = invoice_document(demo, "2026-10")
    summary = book["Summary"]
    for offset, invoice in enumerate(document["invoices"]):
        total = summary.cell(row=5 + offset, column=8).value
        assert Decimal(str(round(total, 2))) == Decimal(invoice["total"])
        sheet = book[invoice["team"]]
        total_row = 6 + len(invoice["lines"]) + 1
        assert Decimal(str(round(sheet.cell(row=total_row, column=3).value, 2))) == Decimal(
            invoice["total"]
        )
    grand_row = 5 + len(document["invoices"]) + 1
    grand = summary.cell(row=grand_row, column=8).value
    expected = Decimal(document["grand_total"]) + Decimal(document["unallocated"])
    assert Decimal(str(round(grand, 2))) == expected
    # Issue 8, case 9: every total row cross-foots (direct + adjustment + shared + overhead).
    for row in range(5, grand_row + 1):
        parts = sum(
            Decimal(str(round(summary.cell(row=row, column=c).value or 0, 2))) for c in range(4, 8)
        )
        assert parts == Decimal(str(round(summary.cell(row=row, column=8).value, 2))), row
