"""Budgets through the services and the CLI, on the demo workspace."""

import json

import pytest

from app.cli import main
from app.services.budgets import BudgetFileRejected, budget_report, import_budget_csv


def test_demo_has_an_over_team_and_an_at_risk_month(demo):
    october = {t.team: t for t in budget_report(demo, "2026-10").teams}
    assert october["Product"].status == "over"
    assert october["Data"].forecast == october["Data"].actual  # a complete month
    november = budget_report(demo, "2026-11")
    research = next(t for t in november.teams if t.team == "Research")
    assert november.as_of_day == 12
    assert research.at_risk and research.status != "over"
    assert research.forecast > research.budget > research.actual


def test_budgets_json_contract(demo, capsys):
    assert main(["-w", demo.location, "budgets", "--period", "2026-10", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["period"] == "2026-10"
    assert set(doc["teams"][0]) >= {
        "team",
        "budget",
        "actual",
        "forecast",
        "used",
        "status",
        "at_risk",
    }


def test_budget_csv_import_and_suggest(fresh_demo, tmp_path, capsys):
    workspace = fresh_demo
    ws_path = workspace.location
    bad = tmp_path / "b.csv"
    bad.write_text("team,month,amount\nData,2026-12,100\nGhost,2026-13,x\n")
    with pytest.raises(BudgetFileRejected) as caught:
        import_budget_csv(workspace, bad)
    assert caught.value.problems == [
        "b.csv: line 3, column 'team': unknown team 'Ghost'",
        "b.csv: line 3, column 'month': not YYYY-MM: '2026-13'",
        "b.csv: line 3, column 'amount': not an amount: 'x'",
    ]
    good = tmp_path / "g.csv"
    good.write_text("team,month,amount\nData,2026-12,1234.50\n")
    assert import_budget_csv(workspace, good) == 1
    assert (
        main(
            [
                "-w",
                ws_path,
                "budgets",
                "suggest",
                "--from",
                "2026-10",
                "--for",
                "2026-12",
                "--buffer",
                "0.10",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Product: 4520 a month for 2026-12" in out  # 4108.83 × 1.1 = 4519.71 → 4520
    assert main(["-w", ws_path, "budgets", "--period", "2026-12", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    data = next(t for t in doc["teams"] if t["team"] == "Data")
    assert data["budget"] == "3873.00" and data["actual"] == "0.00"
