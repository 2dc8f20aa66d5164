"""Net and list (issue 10): a negotiated discount is shown per team and model — in the cost
report, the invoice trail, reconciliation and the Excel pack — whether it comes from a
contract discount in the price book or from a source that reports both amounts.

By hand: Data uses 1M Opus 5.5 input (4.00 at list) and Web 1M Sonnet 5.5 output (10.00) in
November. 12.5 % off Opus 5.5 from 2026-11-01: Data pays 3.50 (discount 0.50); Sonnet is at
list. A FOCUS row bills Web 8.80 of a 10.00 list price (discount 1.20).
"""

from decimal import Decimal

import pytest

from app.services.importing import import_file
from app.services.invoices import invoice_document
from app.services.prices import PriceEntryError, set_discount
from app.services.reconciliation import reconcile
from app.services.reporting import cost_report

GATEWAY = (
    "timestamp,request_id,team,model,input_tokens,output_tokens\n"
    "2026-11-02T10:00:00Z,a,Data,claude-opus-5-5,1000000,0\n"
    "2026-11-02T10:00:01Z,b,Web,claude-sonnet-5-5,0,1000000\n"
)
FOCUS = (
    "BilledCost,ListCost,ChargePeriodStart,ServiceName,SkuId,Tags\n"
    '8.80,10.00,2026-11-03 00:00:00,Claude,claude-haiku-4-5,"{""team"": ""Web""}"\n'
)


@pytest.fixture
def discounted(workspace, tmp_path):
    from app.services.policy import apply_policy_file

    policy = tmp_path / "policy.toml"
    policy.write_text(
        'version = 1\n[[teams]]\nname = "Data"\n[[teams]]\nname = "Web"\n'
        '[settings]\noverhead_rate = "0"\n',
        encoding="utf-8",
    )
    apply_policy_file(workspace, policy)
    for name, text in (("g.csv", GATEWAY), ("focus.csv", FOCUS)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert import_file(workspace, path).status == "imported"
    set_discount(
        workspace,
        {"model": "claude-opus-5-5", "effective_from": "2026-11-01", "discount_percent": "12.5"},
        note="2026 enterprise agreement",
    )
    return workspace


def test_the_cost_report_shows_list_and_discount_per_team_and_model(discounted):
    report = cost_report(discounted, "2026-11", ["tag.team", "model"])
    rows = {tuple(r.group.values()): (r.cost, r.list_cost) for r in report.rows}
    assert rows == {
        ("Data", "claude-opus-5-5"): (Decimal("3.5"), Decimal("4")),
        ("Web", "claude-sonnet-5-5"): (Decimal("10"), Decimal("10")),
        ("Web", "claude-haiku-4-5"): (Decimal("8.80"), Decimal("10.00")),
    }
    assert (report.total, report.list_total) == (Decimal("22.30"), Decimal("24.00"))


def test_the_invoice_trail_names_the_discount_of_each_model(discounted):
    document = invoice_document(discounted, "2026-11")
    lines = {
        (invoice["team"], line["label"]): line
        for invoice in document["invoices"]
        for line in invoice["lines"]
    }
    data = lines[("Data", "claude-opus-5-5")]
    assert data["amount"] == "3.50"
    assert "list price $4.00, negotiated discount $0.50 (12.50%)" in data["trail"]
    web = lines[("Web", "claude-haiku-4-5")]
    assert "list price $10.00, negotiated discount $1.20 (12.00%)" in web["trail"]
    assert not any("discount" in t for t in lines[("Web", "claude-sonnet-5-5")]["trail"])


def test_reconciliation_shows_usage_net_and_list(discounted):
    result = reconcile(discounted, "2026-11")
    assert (result.usage_total, result.usage_list_total) == (Decimal("22.30"), Decimal("24.00"))
    opus = next(r for r in result.rows if r.model == "claude-opus-5-5")
    assert (opus.usage, opus.usage_list) == (Decimal("3.5"), Decimal("4"))


def test_a_discount_is_checked_before_it_is_kept(workspace):
    with pytest.raises(PriceEntryError, match="between 0 and 100"):
        set_discount(workspace, {"discount_percent": "120"})


def test_the_excel_pack_has_a_sheet_of_the_negotiated_discounts(discounted, tmp_path):
    from openpyxl import load_workbook

    from app.cli import main

    out = tmp_path / "pack.xlsx"
    args = ["-w", discounted.location, "export", "xlsx", "--period", "2026-11", "--out", str(out)]
    assert main(args) == 0
    book = load_workbook(out)
    assert "Negotiated discounts" in book.sheetnames
    rows = [[c.value for c in row] for row in book["Negotiated discounts"].iter_rows()]
    assert rows[0] == ["Team", "Model", "List price", "Discount", "Invoiced", "Discount %"]
    found = {(r[0], r[1]): (Decimal(str(r[2])), r[3], Decimal(str(r[4]))) for r in rows[1:-1]}
    assert found == {
        ("Data", "claude-opus-5-5"): (Decimal("4.00"), "=C2-E2", Decimal("3.50")),
        ("Web", "claude-haiku-4-5"): (Decimal("10.00"), "=C3-E3", Decimal("8.80")),
    }
    assert rows[-1][2] == "=SUM(C2:C3)"


def test_a_discount_added_later_never_changes_a_closed_month(discounted):
    from app.services.closing import close_period

    close_period(discounted, "2026-11")
    before = invoice_document(discounted, "2026-11")
    set_discount(discounted, {"discount_percent": "50", "effective_from": "2026-11-01"})
    assert invoice_document(discounted, "2026-11") == before
    # Reports reprice: Opus keeps its own 12.5 % (3.50), Sonnet 5.5 pays half (5.00).
    assert cost_report(discounted, "2026-11", ["model"]).total == Decimal("17.30")


def test_discounts_travel_in_the_policy_file(discounted, tmp_path):
    from app.services.policy import (
        PolicyRejected,
        apply_policy_file,
        export_policy_file,
        read_policy_file,
    )
    from app.services.prices import contract_discounts

    exported = tmp_path / "exported.toml"
    export_policy_file(discounted, exported)
    text = exported.read_text(encoding="utf-8")
    assert "[[discounts]]" in text and 'discount_percent = "12.5"' in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('"12.5"', '"112.5"'), encoding="utf-8")
    with pytest.raises(PolicyRejected) as refused:
        read_policy_file(bad)
    assert any(p.startswith("bad.toml: discounts[1]: ") for p in refused.value.problems)
    apply_policy_file(discounted, exported)
    [kept] = contract_discounts(discounted)
    assert (kept.model, kept.percent, kept.note) == (
        "claude-opus-5-5",
        Decimal("12.5"),
        "2026 enterprise agreement",
    )


def test_a_line_without_a_list_price_counts_at_list_next_to_one_with(workspace, tmp_path):
    """Found in review: an Analytics cost row (net 8, list 10) and a LiteLLM spend-only row
    (5, no list price) of one model and day were summed to list 10 against cost 13 — a
    negative discount. The line without a list price is at list: list 15, discount 2."""
    import json as json_module

    report = tmp_path / "analytics.json"
    report.write_text(
        json_module.dumps(
            {
                "data": [
                    {
                        "starting_at": "2026-10-05T00:00:00Z",
                        "ending_at": "2026-10-06T00:00:00Z",
                        "results": [
                            {
                                "amount": "800",
                                "list_amount": "1000",
                                "currency": "USD",
                                "model": "claude-sonnet-4-5",
                                "product": "chat",
                            }
                        ],
                    }
                ],
                "has_more": False,
            }
        ),
        encoding="utf-8",
    )
    spend = tmp_path / "spend.csv"
    spend.write_text(
        "request_id,call_type,api_key,spend,total_tokens,prompt_tokens,completion_tokens,"
        "startTime,endTime,model\n"
        "q1,acompletion,hk,5.0,0,0,0,2026-10-05T10:00:00Z,2026-10-05T10:00:01Z,"
        "claude-sonnet-4-5\n",
        encoding="utf-8",
    )
    for path in (report, spend):
        assert import_file(workspace, path).status == "imported"
    rows = cost_report(workspace, "2026-10", ["model"]).rows
    assert [(r.cost, r.list_cost) for r in rows] == [(Decimal("13.0"), Decimal("15.0"))]
    result = reconcile(workspace, "2026-10")
    assert (result.usage_total, result.usage_list_total) == (Decimal("13.0"), Decimal("15.0"))
    line = invoice_document(workspace, "2026-10")
    assert line["unallocated"] == "13.00"


def test_rounding_never_shows_a_discount_on_a_row_without_one(workspace, tmp_path):
    """Found in review: three rows of $0.005 (cost rounded 1, 1, 0 cents so they add up) showed
    a made-up 0.01 discount when the list column was rounded row by row."""
    from app.cli.output import report_json

    path = tmp_path / "focus.csv"
    path.write_text(
        "BilledCost,ListCost,ChargePeriodStart,ServiceName,SkuId\n"
        + "".join(f"0.005,0.005,2026-11-03 00:00:00,Claude,claude-x-{n}\n" for n in range(3)),
        encoding="utf-8",
    )
    assert import_file(workspace, path).status == "imported"
    document = report_json(cost_report(workspace, "2026-11", ["model"]))
    assert [(r["cost"], r["list_cost"], r["discount"]) for r in document["rows"]] == [
        ("0.01", "0.01", "0.00"),
        ("0.01", "0.01", "0.00"),
        ("0.00", "0.00", "0.00"),
    ]
    assert (document["total"], document["list_total"], document["discount_total"]) == (
        "0.02",
        "0.02",
        "0.00",
    )
