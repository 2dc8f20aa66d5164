"""Policy files and draft invoices through the services and the CLI."""

import json
from decimal import Decimal

import pytest

from app.cli import main
from app.services.invoices import period_invoices
from app.services.policy import (
    PolicyRejected,
    apply_policy_file,
    current_document,
    export_policy_file,
    read_policy_file,
)

SEED_POLICY = """
version = 1
[settings]
overhead_rate = "0.10"

[[teams]]
name = "Data"
cost_center = "4110"
aliases = ["data-team"]

[[teams]]
name = "Support"

[[rules]]
when = { "tag.team" = "support-team" }
team = "Support"
"""


def test_gateway_sample_invoices(workspace, data_dir, tmp_path):
    from app.services.importing import import_file

    import_file(workspace, data_dir / "gateway_requests.csv")
    policy = tmp_path / "p.toml"
    policy.write_text(SEED_POLICY)
    apply_policy_file(workspace, policy)
    result = period_invoices(workspace, "2026-10")
    teams = {i.team: i for i in result.allocation.invoices}
    # Data (alias data-team): 0.06875 + 10 % = 0.075625 → 0.07 + 0.01 after rounding.
    assert set(teams) == {"Data", "Support"}
    assert teams["Data"].cost_center == "4110"
    assert sum(
        i.total_cents for i in teams.values()
    ) + result.allocation.unallocated_cents == round(
        (Decimal("0.06875") + Decimal("0.0035")) * Decimal("1.1") * 100
        + (Decimal("0.0424") + Decimal("0.0975") + Decimal("0.00075")) * 100
    )


def test_demo_october_invoices_follow_the_story(demo):
    result = period_invoices(demo, "2026-10")
    allocation = result.allocation
    totals = {i.team: Decimal(i.total_cents) / 100 for i in allocation.invoices}
    assert set(totals) == {"Data", "Research", "Product", "Engineering", "Support"}
    direct = {
        i.team: Decimal(sum(line.cents for line in i.lines if line.kind == "usage")) / 100
        for i in allocation.invoices
    }
    assert abs(direct["Data"] - 3000) < 60 and abs(direct["Product"] - 3500) < 70
    shared = sum(
        line.cents for i in allocation.invoices for line in i.lines if line.kind == "shared"
    )
    assert shared == 60000  # the Platform pool, exactly $600.00, split
    # Conservation to the cent: invoices + unallocated = direct + overhead (no true-up).
    assert allocation.grand_total_cents + allocation.unallocated_cents == round(
        (allocation.direct_total + allocation.overhead_total) * 100
    )
    assert 50 < allocation.unallocated_cents / 100 < 300
    assert result.unpriced_lines == 0


def test_policy_round_trips(demo, tmp_path):
    first = tmp_path / "a.toml"
    export_policy_file(demo, first)
    document = read_policy_file(first)
    assert document.policy == current_document(demo).policy
    assert len(document.budgets) == 20
    from app.services.workspaces import create_workspace

    other = create_workspace(tmp_path / "other.cbdesk")
    apply_policy_file(other, first)
    second = tmp_path / "b.toml"
    export_policy_file(other, second)
    other.dispose()
    assert first.read_text() == second.read_text()


def test_bad_policy_lists_every_problem_and_changes_nothing(workspace, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        SEED_POLICY + '\n[[rules]]\nwhen = { api_key = "([" }\nmatch = "regex"\n'
        'team = "Ghost"\n\n[[pools]]\nteam = "Data"\nmethod = "fixed"\n'
    )
    with pytest.raises(PolicyRejected) as caught:
        apply_policy_file(workspace, bad)
    problems = caught.value.problems
    assert any("rules[2]: unknown team 'Ghost'" in p for p in problems)
    assert any("rules[2]: invalid regex" in p for p in problems)
    assert any("pools[1]: fixed percentages" in p for p in problems)
    assert current_document(workspace).policy.teams == ()
    code = main(["-w", workspace.location, "config", "apply", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and "bad.toml: rules[2]: unknown team 'Ghost'" in err
    bad.write_text("version = 1\n[settings\n")
    assert main(["-w", workspace.location, "config", "apply", str(bad)]) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_invoices_json_contract(demo, capsys):
    code = main(["-w", demo.location, "invoices", "--period", "2026-10", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["status"] == "draft" and doc["currency"] == "USD"
    first = doc["invoices"][0]
    assert set(first) == {"team", "number", "cost_center", "lines", "total"}
    assert {line["kind"] for line in first["lines"]} <= {"usage", "shared", "overhead"}
    for invoice in doc["invoices"]:
        assert sum(Decimal(x["amount"]) for x in invoice["lines"]) == Decimal(invoice["total"])
    assert Decimal(doc["grand_total"]) == sum(Decimal(i["total"]) for i in doc["invoices"])
    assert doc["provider_total"] is None and doc["unpriced_lines"] == 0


def test_demo_first_three_months_are_closed(demo):
    from app.services.invoices import invoice_document

    for period, status in (("2026-05", "final"), ("2026-07", "final"), ("2026-08", "draft")):
        assert invoice_document(demo, period)["status"] == status
    may = invoice_document(demo, "2026-05")
    assert may["invoices"][0]["number"] == "SB-202605-DATA"  # a shadow month: showback


def test_true_up_rules_by_month_and_trail_through_the_service(workspace, tmp_path):
    """Mutation testing showed the service's own wiring untested: the provider total reaching
    the true-up, rules judged in the line's month, the reason kept on the line."""
    from app.services.importing import import_file

    log = tmp_path / "log.csv"
    log.write_text(
        "timestamp,request_id,team,model,input_tokens,output_tokens\n"
        "2026-10-02T00:00:00Z,a,x,claude-haiku-4-5,8000000,0\n"
        "2026-10-02T00:00:00Z,b,y,claude-haiku-4-5,2000000,0\n"
    )
    import_file(workspace, log)
    policy = tmp_path / "p.toml"
    policy.write_text(
        'version = 1\n[settings]\ntrue_up = "proportional"\n'
        '[[teams]]\nname = "Data"\n[[teams]]\nname = "Ops"\n'
        '[[rules]]\nwhen = { "tag.team" = "x" }\nteam = "Data"\nvalid_from = "2026-10"\n'
        'label = "x is Data"\n'
        '[[rules]]\nwhen = { "tag.team" = "y" }\nteam = "Ops"\nvalid_to = "2026-09"\n'
        '[[provider_invoices]]\nperiod = "2026-10"\ntotal = "9.00"\n'
    )
    apply_policy_file(workspace, policy)
    from app.services.invoices import invoice_document

    document = invoice_document(workspace, "2026-10")
    data = next(i for i in document["invoices"] if i["team"] == "Data")
    usage = next(line for line in data["lines"] if line["kind"] == "usage")
    assert usage["trail"] == ["rule: x is Data"]
    adjustment = next(line for line in data["lines"] if line["kind"] == "adjustment")
    assert adjustment["amount"] == "-0.80"  # 8 of 10 direct, of 9.00 − 10.00
    # Ops's rule ended in September: its usage is Unallocated (and takes its true-up share).
    assert [i["team"] for i in document["invoices"]] == ["Data"]
    assert document["unallocated"] == "1.80" and document["provider_total"] == "9.00"
    assert document["grand_total"] == "7.20"
