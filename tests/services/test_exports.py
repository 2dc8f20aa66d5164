"""Machine exports read back and checked against ``invoices --json`` (draft and closed)."""

import csv
from decimal import Decimal

import pytest

from app.cli import main
from app.services.closing import close_period
from app.services.importing import import_file
from app.services.invoices import invoice_document
from app.services.reporting import cost_report


def rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def export(demo, kind, period, out):
    assert main(["-w", demo.location, "export", kind, "--period", period, "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("period", ["2026-07", "2026-10"])  # closed and draft
def test_allocated_csv_adds_up_to_every_invoice(demo, tmp_path, period):
    document = invoice_document(demo, period)
    lines = rows(export(demo, "csv", period, tmp_path / "a.csv"))
    for invoice in document["invoices"]:
        team_total = sum(
            Decimal(r["allocated_cost"]) for r in lines if r["team"] == invoice["team"]
        )
        assert team_total == Decimal(invoice["total"])
    assert {r["status"] for r in lines} == {document["status"]}


def test_focus_export_reimports_with_identical_totals(demo, tmp_path):
    from app.services.workspaces import create_workspace

    path = export(demo, "focus", "2026-10", tmp_path / "focus.csv")
    document = invoice_document(demo, "2026-10")
    other = create_workspace(tmp_path / "other.cbdesk")
    report = import_file(other, path)
    assert report.status == "imported" and report.format == "focus-csv"
    assert report.cost == Decimal(document["grand_total"])
    by_team = cost_report(other, "2026-10", ["tag.team"])
    other.dispose()
    totals = {r.group["tag.team"]: r.cost for r in by_team.rows}
    assert totals == {i["team"]: Decimal(i["total"]) for i in document["invoices"]}


def test_journal_balances_per_invoice(fresh_demo, tmp_path):
    demo = fresh_demo
    close_period(demo, "2026-08")  # the first chargeback month (May–July are showback)
    lines = rows(export(demo, "journal", "2026-08", tmp_path / "j.csv"))
    document = invoice_document(demo, "2026-08")
    numbers = {i["number"] for i in document["invoices"]}
    assert {r["invoice_number"] for r in lines} == numbers
    for number in numbers:
        mine = [r for r in lines if r["invoice_number"] == number]
        assert sum(Decimal(r["debit"]) for r in mine) == sum(Decimal(r["credit"]) for r in mine)
    assert sum(Decimal(r["debit"]) for r in lines) == Decimal(document["grand_total"])


def test_export_errors(demo, tmp_path, capsys):
    code = main(
        [
            "-w",
            demo.location,
            "export",
            "csv",
            "--period",
            "2026-10",
            "--out",
            str(tmp_path / "missing" / "x.csv"),
        ]
    )
    assert code == 2 and "does not exist" in capsys.readouterr().err


def test_the_journal_debits_the_expense_account_per_cost_center(fresh_demo, tmp_path, capsys):
    """The accounts are policy settings, frozen with the month at close; a draft month's
    journal says DRAFT on every row and the command line warns."""
    demo = fresh_demo
    close_period(demo, "2026-08")
    lines = rows(export(demo, "journal", "2026-08", tmp_path / "j.csv"))
    debits = [r for r in lines if Decimal(r["debit"]) > 0]
    credits = [r for r in lines if Decimal(r["credit"]) > 0]
    assert {r["account"] for r in debits} == {"6400"}
    assert {r["cost_center"] for r in debits} == {"4110", "4120", "4210", "4220", "4230"}
    assert {r["account"] for r in credits} == {"9990"}
    assert not any("DRAFT" in r["description"] for r in lines)
    code = main(
        [
            "-w",
            demo.location,
            "export",
            "journal",
            "--period",
            "2026-11",
            "--out",
            str(tmp_path / "draft.csv"),
        ]
    )
    assert code == 0
    assert "DRAFT for review, not for posting" in capsys.readouterr().err
    draft = rows(tmp_path / "draft.csv")
    assert all(r["description"].startswith("DRAFT, not for posting") for r in draft)
