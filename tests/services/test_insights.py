"""Unit economics, business metrics, savings estimates and anomalies, hand-computed."""

import json
from decimal import Decimal

from app.cli import main
from app.domain.anomalies import find_anomalies
from app.services.importing import import_file
from app.services.insights import month_insights
from app.services.metrics import import_metrics_csv
from app.services.policy import apply_policy_file

LOG = """timestamp,request_id,team,environment,model,input_tokens,output_tokens,\
cache_read_input_tokens
2026-09-15T00:00:00Z,p1,a,prod,claude-sonnet-4-6,800000,0,0
2026-10-01T00:00:00Z,r1,a,prod,claude-sonnet-4-6,1000000,0,0
2026-10-02T00:00:00Z,r2,a,prod,claude-sonnet-4-6,0,100000,1000000
2026-10-03T00:00:00Z,r3,b,staging,claude-opus-4-7,1000000,0,0
"""
POLICY = """version = 1
[[teams]]
name = "A"
aliases = ["a"]
[[teams]]
name = "B"
aliases = ["b"]
"""


def test_hand_computed_month(workspace, tmp_path, capsys):
    (tmp_path / "log.csv").write_text(LOG)
    (tmp_path / "p.toml").write_text(POLICY)
    import_file(workspace, tmp_path / "log.csv")
    apply_policy_file(workspace, tmp_path / "p.toml")
    (tmp_path / "m.csv").write_text("period,team,metric,value\n2026-10,A,tickets,4\n")
    assert import_metrics_csv(workspace, tmp_path / "m.csv") == 1
    insights = month_insights(workspace, "2026-10")
    a = next(t for t in insights.teams if t.team == "A")
    f = a.figures
    # A: 1M input × $3 + 100k output × $15 + 1M cache reads × $0.30 = 3 + 1.5 + 0.3
    assert f["cost"] == Decimal("4.8") and f["cost_per_request"] == Decimal("2.4")
    assert round(f["cost_per_mtok"], 6) == Decimal("2.285714")  # 4.8 / 2.1 MTok
    assert f["cache_hit_rate"] == Decimal("0.5") and f["output_cost"] == Decimal("1.5")
    assert f["input_cost"] == Decimal("3.3") and f["batch_share"] == 0
    assert a.model_mix == {"claude-sonnet-4-6": Decimal(1)}
    assert a.unit_costs == {"tickets": Decimal("1.2")}
    assert a.change["cost"] == 1  # September: 800k × $3 = 2.4 → +100 %
    b = next(t for t in insights.teams if t.team == "B")
    assert b.figures["non_prod_share"] == 1
    savings = {(s.team, s.lever): s.amount for s in insights.savings}
    assert savings[("B", "routing")] == Decimal("1.0")  # 50 % × (5 − 3)
    assert savings[("B", "batch")] == Decimal("2.5")  # non-prod at half price
    assert savings[("B", "caching")] == Decimal("2.25")  # 0.5M tokens × $5/M × 90 %
    assert ("A", "caching") not in savings  # already at 50 %
    assert (
        main(["-w", workspace.location, "report", "--period", "2026-10", "--insights", "--json"])
        == 0
    )
    doc = json.loads(capsys.readouterr().out)["insights"]
    assert doc["unit_economics"][0]["team"] == "B"
    assert doc["savings_estimates"][0] == {
        "team": "B",
        "lever": "batch",
        "amount": "2.50",
        "assumption": "non-production spend at Batch API prices (50 % off)",
    }


def test_anomaly_needs_history_and_names_the_driver():
    daily = {f"2026-10-{d:02d}": Decimal(100) + d % 3 for d in range(1, 15)}
    daily["2026-10-15"] = Decimal(400)
    drivers = {"2026-10-15": {"key-a": Decimal(50), "key-b": Decimal(350)}}
    found = find_anomalies("Eng", daily, drivers, ["2026-10-05", "2026-10-14", "2026-10-15"])
    assert [(a.day, a.driver) for a in found] == [("2026-10-15", "key-b")]
    assert found[0].baseline == Decimal(101)


def test_demo_shows_a_visible_anomaly(demo):
    anomalies = month_insights(demo, "2026-11").anomalies
    ci = [a for a in anomalies if a.subject == "Engineering"]
    assert any(a.subject == "model claude-haiku-4-5" and a.day == "2026-11-06" for a in anomalies)
    assert [a.day for a in ci] == ["2026-11-06"] and ci[0].driver.startswith("eng-ci-review")


def test_insights_agree_with_the_invoices_to_the_cent(demo, capsys):
    """Issue 8, case 9: Unallocated $119.87 in the insights, $119.88 on the invoices, and team
    rows that did not add up to the report's total."""
    for period in ("2026-07", "2026-10"):
        assert (
            main(["-w", demo.location, "report", "--period", period, "--insights", "--json"]) == 0
        )
        report = json.loads(capsys.readouterr().out)
        assert main(["-w", demo.location, "invoices", "--period", period, "--json"]) == 0
        invoices = json.loads(capsys.readouterr().out)
        rows = {t["team"]: Decimal(t["cost"]) for t in report["insights"]["unit_economics"]}
        assert rows["Unallocated"] == Decimal(invoices["unallocated"])
        assert sum(rows.values()) == Decimal(report["total"])


def test_products_and_teams_come_in_a_set_order_whatever_order_the_database_gives(
    demo, monkeypatch
):
    """Rows come from a server in no set order: the insights must not pass it on (a file and
    a server gave the same products in two orders)."""
    import app.services.insights as insights

    real = insights.unit_economics

    def backwards(facts, by="team"):
        return dict(reversed(list(real(facts, by).items())))

    monkeypatch.setattr(insights, "unit_economics", backwards)
    from app.services.period_cache import forget_all

    forget_all()
    found = month_insights(demo, "2026-10")
    assert list(found.products) == sorted(found.products)
    costs = [(-team.figures["cost"], team.team) for team in found.teams]
    assert costs == sorted(costs)
