"""The monthly cross-team report (issue 15): each team's total and trend, budget status, unit
economics, top movers, savings levers, anomalies and open disputes — from the month's
snapshot — written as a PDF and as a self-contained HTML file."""

from __future__ import annotations

import base64
import re
import subprocess
from decimal import Decimal

import pytest

from app.cli import main
from app.services.closing import close_period
from app.services.disputes import record_dispute
from app.services.importing import import_file
from app.services.monthly_report import monthly_report
from app.services.policy import apply_policy_file

POLICY = """version = 1
[[teams]]
name = "Data"
[[teams]]
name = "Web <shop>"
[[rules]]
when = { api_key = "k-data" }
team = "Data"
product = "ETL"
[[rules]]
when = { api_key = "k-web" }
team = "Web <shop>"
product = "Search"
[[budgets]]
team = "Data"
month = "2026-10"
amount = "100"
[[budgets]]
team = "Web <shop>"
month = "2026-10"
amount = "100"
[[products]]
name = "ETL"
[[products]]
name = "Search"
"""
USAGE = {
    ("2026-08", "k-data"): 50,
    ("2026-09", "k-data"): 60,
    ("2026-09", "k-web"): 40,
    ("2026-10", "k-data"): 120,
    ("2026-10", "k-web"): 30,
}
"""Haiku 4.5 input at $1 per million tokens: dollars per month and key."""


def _export(workspace, out) -> int:
    """``export report`` of October to ``out``; the exit status."""
    return main(
        ["-w", workspace.location, "export", "report", "--period", "2026-10", "--out", str(out)]
    )


@pytest.fixture
def october(workspace, tmp_path):
    (tmp_path / "p.toml").write_text(POLICY, encoding="utf-8")
    apply_policy_file(workspace, tmp_path / "p.toml")
    rows = "".join(
        f"{month}-10T10:00:00Z,{month}{key},{key},claude-haiku-4-5,{dollars * 1_000_000}\n"
        for (month, key), dollars in USAGE.items()
    )
    (tmp_path / "u.csv").write_text("timestamp,request_id,api_key,model,input_tokens\n" + rows)
    assert import_file(workspace, tmp_path / "u.csv").status == "imported"
    for month in ("2026-08", "2026-09", "2026-10"):
        close_period(workspace, month)
    record_dispute(workspace, "2026-09", "Web <shop>", "1", "5", "Lee", "test keys")
    return workspace


def test_the_report_has_every_teams_total_trend_budget_and_movers(october):
    report = monthly_report(october, "2026-10")
    assert (report.status, report.grand_total, report.previous_total) == (
        "final",
        Decimal("150.00"),
        Decimal("100.00"),
    )
    assert report.months == ("2026-08", "2026-09", "2026-10")  # from the first month of usage
    assert report.month_totals == (Decimal("50.00"), Decimal("100.00"), Decimal("150.00"))
    data, web = report.teams
    assert (data.team, data.total, data.previous, data.trend) == (
        "Data",
        Decimal("120.00"),
        Decimal("60.00"),
        (Decimal("50.00"), Decimal("60.00"), Decimal("120.00")),
    )
    assert (data.budget, data.status) == (Decimal(100), "over")
    assert (web.budget, web.status) == (Decimal(100), "under")
    assert [(m.name, m.change) for m in report.movers["teams"]] == [
        ("Data", Decimal("60.00")),
        ("Web <shop>", Decimal("-10.00")),
    ]
    assert [(m.name, m.change) for m in report.movers["products"]] == [
        ("ETL", Decimal(60)),
        ("Search", Decimal(-10)),
    ]
    assert [m.name for m in report.movers["models"]] == ["claude-haiku-4-5"]
    assert data.unit["cost_per_mtok"] == Decimal(1)
    assert [d["dispute"] for d in report.open_disputes] == []  # recorded after October closed


def test_the_pdf_and_the_html_say_it_all(october, tmp_path):
    pdf = tmp_path / "report.pdf"
    assert _export(october, pdf) == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    for words in (
        "Claude spend report — October 2026",
        "$150.00 invoiced to 2 teams (+50.0% on last month)",
        "Over budget: Data.",
        "Twelve months by team",
        "Top movers",
        "Biggest savings levers (estimates)",
        "Web <shop>",
    ):
        assert words in text, words
    html_file = tmp_path / "report.html"
    assert _export(october, html_file) == 0
    page = html_file.read_text(encoding="utf-8")
    assert "Web &lt;shop&gt;" in page and "Web <shop>" not in page
    sources = re.findall(r'src="([^"]+)"', page)
    assert len(sources) == 2
    for source in sources:
        assert base64.b64decode(source.split(",", 1)[1]).startswith(b"\x89PNG")
    assert not re.search(r'(?:src|href)="(?!data:)', page)  # self-contained


def test_a_closed_months_report_is_the_same_file_every_time(october, tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.html"
    for out in (first, tmp_path / "c.pdf"):
        assert _export(october, out) == 0
    assert first.read_bytes() == (tmp_path / "c.pdf").read_bytes()
    assert _export(october, second) == 0


def test_a_report_file_must_be_pdf_or_html(october, tmp_path, capsys):
    out = tmp_path / "report.txt"
    assert _export(october, out) == 2
    assert "report: --out must end in .pdf or .html" in capsys.readouterr().err
    assert not out.exists()


def test_a_closed_months_pdfs_are_the_same_from_one_process_to_the_next(october, tmp_path):
    """Qt orders a PDF's fonts by a per-process random hash unless the seed is fixed."""
    import sys

    hashes = set()
    for run in range(3):
        out = tmp_path / f"run{run}.pdf"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "app",
                "-w",
                october.location,
                "export",
                "report",
                "--period",
                "2026-10",
                "--out",
                str(out),
            ],
            check=True,
            capture_output=True,
        )
        hashes.add(out.read_bytes())
    assert len(hashes) == 1


def test_a_closed_months_report_never_changes_with_later_prices_or_late_usage(october, tmp_path):
    from app.services.prices import set_price

    def write(name):
        out = tmp_path / name
        assert _export(october, out) == 0
        return out.read_bytes()

    before = write("before.html")
    set_price(
        october,
        {"model": "claude-haiku-4-5", "input": "9", "output": "45", "effective_from": "2026-01-01"},
    )
    late = tmp_path / "late.csv"
    late.write_text(
        "timestamp,request_id,api_key,model,input_tokens\n"
        "2026-10-20T10:00:00Z,late1,k-data,claude-haiku-4-5,500000000\n"
        "2026-05-20T10:00:00Z,late2,k-data,claude-haiku-4-5,1000000\n"
    )
    assert import_file(october, late).status == "imported"
    assert write("after.html") == before


def test_the_trend_adds_up_to_every_months_invoices(october):
    report = monthly_report(october, "2026-10")
    for index, month_total in enumerate(report.month_totals):
        assert sum(values[index] for _, values in report.trend_teams) == month_total


def test_a_report_to_a_missing_folder_is_refused(october, tmp_path, capsys):
    out = tmp_path / "no-such-folder" / "r.pdf"
    assert _export(october, out) == 2
    assert "its folder does not exist" in capsys.readouterr().err
