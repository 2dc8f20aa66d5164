"""Importing the Analytics API reports: claude.ai Enterprise usage attributed per user (email)
through the ordinary rules, net and list kept, and never two reports for the same day."""

import json
from decimal import Decimal

from app.cli import main
from app.services.importing import import_file
from app.services.invoices import invoice_document
from app.services.policy import apply_policy_file
from app.services.reporting import cost_report

POLICY = """version = 1
[settings]
overhead_rate = "0"
[[teams]]
name = "Data"
[[teams]]
name = "Web"
[[rules]]
when = { user = "ana.lima@example.com" }
team = "Data"
[[rules]]
when = { user = "*@example.com" }
match = "glob"
team = "Web"
"""


def test_per_user_cost_is_charged_to_each_users_team_by_email(workspace, data_dir, tmp_path):
    """By hand: Ana's 61000 cents = 610.00 to Data (list 717.65); Bo's 12500.25 cents =
    125.0025 to Web; the deleted account (310 cents) matches no rule: Unallocated."""
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    apply_policy_file(workspace, policy)
    report = import_file(workspace, data_dir / "analytics_user_cost_report.json")
    assert (report.status, report.cost) == ("imported", Decimal("738.1025"))
    document = invoice_document(workspace, "2026-11")
    totals = {i["team"]: i["total"] for i in document["invoices"]}
    assert totals == {"Data": "610.00", "Web": "125.00"}
    assert document["unallocated"] == "3.10"
    data_line = document["invoices"][0]["lines"][0]
    assert (data_line["list_amount"], data_line["discount"]) == ("717.65", "107.65")
    by_product = cost_report(workspace, "2026-11", ["tag.claude_product"])
    assert {r.group["tag.claude_product"]: r.cost for r in by_product.rows} == {
        "claude_code": Decimal("610"),
        "chat": Decimal("128.1025"),
    }


def test_two_reports_of_the_same_usage_are_never_both_imported(workspace, data_dir):
    assert import_file(workspace, data_dir / "analytics_usage_report.json").status == "imported"
    refused = import_file(workspace, data_dir / "analytics_cost_report.json")
    assert refused.status == "rejected"
    assert "already brought the same usage for 2026-11-02" in refused.message
    assert "would bill it twice" in refused.message
    # The same report exported again replaces itself, as every source does.
    again = import_file(workspace, data_dir / "analytics_usage_report.json")
    assert again.status == "skipped"


def test_the_import_says_when_a_report_may_be_incomplete(workspace, tmp_path, capsys):
    results = [
        {"amount": "100", "list_amount": "100", "currency": "USD", "model": f"claude-x-{n}"}
        for n in range(100)
    ]
    page = {
        "data": [
            {
                "starting_at": "2026-11-02T00:00:00Z",
                "ending_at": "2026-11-03T00:00:00Z",
                "results": [dict(r, product="chat") for r in results],
            }
        ],
        "has_more": False,
    }
    path = tmp_path / "capped.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    workspace.dispose()
    assert main(["-w", workspace.location, "import", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["imports"][0]["notes"][0].startswith("possibly incomplete: 1 bucket(s)")
