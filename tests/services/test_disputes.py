"""Disputes (issue 15): a contested line of a closed statement or invoice, recorded, then
accepted (its amount moves once, on the team's next open month) or rejected with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.services.audit_trail import audit_entries
from app.services.closing import close_period, reopen_period
from app.services.disputes import (
    DisputeError,
    accept_dispute,
    list_disputes,
    record_dispute,
    reject_dispute,
)
from app.services.importing import import_file
from app.services.invoices import invoice_document
from app.services.policy import apply_policy_file

POLICY = """version = 1
[settings]
overhead_rate = "0.10"
[[teams]]
name = "Data"
[[teams]]
name = "Web"
[[teams]]
name = "Ops"
[[teams]]
name = "Platform"
[[rules]]
when = { api_key = "k-data" }
team = "Data"
[[rules]]
when = { api_key = "k-web" }
team = "Web"
[[rules]]
when = { api_key = "k-platform" }
team = "Platform"
[[pools]]
team = "Platform"
method = "even"
targets = ["Data", "Web"]
"""
"""Haiku 4.5 at $1 per 1M input tokens, 10 % overhead; Platform an even pool over Data and
Web."""

USAGE = (
    "timestamp,request_id,api_key,model,input_tokens\n"
    "2026-09-03T10:00:00Z,s1,k-web,claude-haiku-4-5,5000000\n"
    "2026-09-03T10:00:01Z,s2,k-data,claude-haiku-4-5,2000000\n"
    "2026-10-03T10:00:00Z,o1,k-web,claude-haiku-4-5,4000000\n"
    "2026-10-03T10:00:01Z,o2,k-data,claude-haiku-4-5,1000000\n"
    "2026-11-03T10:00:00Z,n1,k-data,claude-haiku-4-5,3000000\n"
    "2026-11-03T10:00:01Z,n2,k-platform,claude-haiku-4-5,2000000\n"
    "2026-11-03T10:00:02Z,n3,k-nobody,claude-haiku-4-5,1000000\n"
)
"""September: Web $5, Data $2. October: Web $4, Data $1. November: Data $3, Platform $2 (split
evenly over Data and Web), $1 unallocated — Web has no usage of its own."""


@pytest.fixture
def billed(workspace, tmp_path):
    """September closed: Web's invoice CB-202609-WEB bills claude-haiku-4-5 $5.00 (+ 10 %)."""
    policy = tmp_path / "p.toml"
    policy.write_text(POLICY, encoding="utf-8")
    apply_policy_file(workspace, policy)
    log = tmp_path / "usage.csv"
    log.write_text(USAGE, encoding="utf-8")
    assert import_file(workspace, log).status == "imported"
    close_period(workspace, "2026-09")
    return workspace


def _invoice(document, team):
    return next((i for i in document["invoices"] if i["team"] == team), None)


def _dispute_lines(document):
    return [
        (invoice["team"], line["label"], line["amount"], line["dispute"])
        for invoice in document["invoices"]
        for line in invoice["lines"]
        if "dispute" in line
    ]


def _contest(workspace, amount="1.25", line="claude-haiku-4-5", team="Web"):
    return record_dispute(
        workspace, "2026-09", team, line, amount, "Dana (Web lead)", "test traffic, not ours"
    )


def test_a_dispute_is_recorded_open_against_a_line_of_a_closed_invoice(billed):
    dispute = _contest(billed)
    assert dispute.code == "D-1"
    assert (dispute.status, dispute.team, dispute.document_number) == (
        "open",
        "Web",
        "CB-202609-WEB",
    )
    assert (dispute.line_label, dispute.line_amount, dispute.amount) == (
        "claude-haiku-4-5",
        "5.00",
        "1.25",
    )
    assert dispute.lands_in is None
    assert [d.code for d in list_disputes(billed, status="open")] == ["D-1"]
    assert list_disputes(billed, status="accepted") == []
    assert [d.code for d in list_disputes(billed, team="web")] == ["D-1"]
    assert list_disputes(billed, period="2026-10") == []
    entry = audit_entries(billed)[0]
    assert entry.action == "dispute.record"
    assert entry.detail["dispute"] == "D-1" and entry.detail["amount"] == "1.25"


def test_an_open_dispute_moves_no_money(billed):
    before = invoice_document(billed, "2026-10")
    _contest(billed)
    assert invoice_document(billed, "2026-10") == before


def test_an_accepted_dispute_moves_exactly_its_amount_on_the_next_open_month(billed):
    before = invoice_document(billed, "2026-10")
    september = invoice_document(billed, "2026-09")
    _contest(billed)
    dispute = accept_dispute(billed, "D-1", "Data", "confirmed in the gateway log")
    assert (dispute.status, dispute.move_to, dispute.lands_in) == ("accepted", "Data", "2026-10")
    after = invoice_document(billed, "2026-10")
    assert _dispute_lines(after) == [
        ("Data", "Dispute D-1 accepted: from Web (CB-202609-WEB)", "1.25", "D-1"),
        ("Web", "Dispute D-1 accepted: claude-haiku-4-5 (CB-202609-WEB)", "-1.25", "D-1"),
    ]
    # Web pays 1.25 less, Data 1.25 more; no overhead on the move, no change to the month.
    for team, change in (("Web", "-1.25"), ("Data", "1.25")):
        old, new = _invoice(before, team), _invoice(after, team)
        assert Decimal(new["total"]) - Decimal(old["total"]) == Decimal(change)
        assert [li for li in new["lines"] if "dispute" not in li] == old["lines"]
    assert after["grand_total"] == before["grand_total"]
    assert after["unallocated"] == before["unallocated"]
    assert invoice_document(billed, "2026-09") == september  # closed documents never change
    assert audit_entries(billed)[0].detail["lands_in"] == "2026-10"


def test_a_dispute_accepted_to_unallocated_adds_to_it(billed):
    before = invoice_document(billed, "2026-10")
    _contest(billed, amount="2")
    accept_dispute(billed, "d-1", "unallocated", amount="0.75")
    after = invoice_document(billed, "2026-10")
    assert _dispute_lines(after) == [
        ("Web", "Dispute D-1 accepted: claude-haiku-4-5 (CB-202609-WEB)", "-0.75", "D-1")
    ]
    assert Decimal(after["unallocated"]) - Decimal(before["unallocated"]) == Decimal("0.75")
    assert Decimal(after["grand_total"]) == Decimal(before["grand_total"]) - Decimal("0.75")


def test_the_move_is_frozen_by_the_close_that_bills_it_and_never_billed_again(billed):
    _contest(billed)
    accept_dispute(billed, "D-1", "Data")
    october = close_period(billed, "2026-10")
    assert len(_dispute_lines(october)) == 2
    assert _dispute_lines(invoice_document(billed, "2026-11")) == []
    assert list_disputes(billed)[0].billed_in == "2026-10"
    reopen_period(billed, "2026-10", "a late statement")
    assert list_disputes(billed)[0].billed_in is None
    assert len(_dispute_lines(invoice_document(billed, "2026-10"))) == 2
    assert _dispute_lines(invoice_document(billed, "2026-11")) == []
    close_period(billed, "2026-10")
    november = close_period(billed, "2026-11")
    assert _dispute_lines(november) == []


def test_a_move_skips_closed_months_and_gives_a_team_without_usage_an_invoice(billed):
    close_period(billed, "2026-10")
    _contest(billed)
    dispute = accept_dispute(billed, "D-1", "Data")
    assert dispute.lands_in == "2026-11"
    november = invoice_document(billed, "2026-11")
    web = _invoice(november, "Web")
    # Web's own November is only its share of the Platform pool; the credit comes on top.
    assert [li["label"] for li in web["lines"]][-1].startswith("Dispute D-1 accepted")
    closed = close_period(billed, "2026-11")
    assert _invoice(closed, "Web")["number"] == "CB-202611-WEB"
    assert list_disputes(billed, status="accepted")[0].billed_in == "2026-11"


def test_a_rejected_dispute_keeps_its_reason_and_moves_nothing(billed):
    before = invoice_document(billed, "2026-10")
    _contest(billed)
    dispute = reject_dispute(billed, "D-1", "the key is Web's own staging key")
    assert (dispute.status, dispute.decision_reason) == (
        "rejected",
        "the key is Web's own staging key",
    )
    assert invoice_document(billed, "2026-10") == before
    assert audit_entries(billed)[0].action == "dispute.reject"
    with pytest.raises(DisputeError, match="already rejected"):
        accept_dispute(billed, "D-1", "Data")


def test_a_decision_is_final(billed):
    _contest(billed)
    accept_dispute(billed, "D-1", "Data")
    with pytest.raises(DisputeError, match="D-1 was already accepted"):
        reject_dispute(billed, "D-1", "changed my mind")
    with pytest.raises(DisputeError, match="no dispute 'D-9'"):
        reject_dispute(billed, "D-9", "no such")


@pytest.mark.parametrize(
    ("period", "team", "line", "amount", "message"),
    [
        ("2026-10", "Web", "claude-haiku-4-5", "1", "2026-10 is not closed"),
        ("2026-9", "Web", "claude-haiku-4-5", "1", "month: YYYY-MM"),
        ("2026-09", "Ops", "claude-haiku-4-5", "1", "'Ops' has no statement or invoice"),
        ("2026-09", "Web", "claude-opus-4-7", "1", r"no line 'claude-opus-4-7'; its lines: 1\."),
        ("2026-09", "Web", "claude-haiku-4-5", "5.01", "more than is left to contest"),
        ("2026-09", "Web", "claude-haiku-4-5", "0", "more than zero"),
        ("2026-09", "Web", "claude-haiku-4-5", "1.005", "at most two decimals"),
        ("2026-09", "Web", "claude-haiku-4-5", "1,5", "not an amount"),
    ],
)
def test_a_dispute_that_cannot_be_is_refused_with_the_reason(
    billed, period, team, line, amount, message
):
    with pytest.raises(DisputeError, match=message):
        record_dispute(billed, period, team, line, amount, "Dana", "why")
    assert list_disputes(billed) == []


def test_a_line_is_contested_by_number_and_never_beyond_its_amount(billed):
    _contest(billed, amount="3", line="1")
    with pytest.raises(DisputeError, match=r"2\.01 is more than is left.*2\.00 of 5\.00"):
        _contest(billed, amount="2.01")
    _contest(billed, amount="2")
    reject_dispute(billed, "D-2", "no")
    _contest(billed, amount="2")
    assert [d.status for d in list_disputes(billed)] == ["open", "rejected", "open"]


def test_the_whole_dispute_needs_who_and_why(billed):
    with pytest.raises(DisputeError, match="raised by: required"):
        record_dispute(billed, "2026-09", "Web", "1", "1", "  ", "why")
    with pytest.raises(DisputeError, match="reason: required"):
        record_dispute(billed, "2026-09", "Web", "1", "1", "Dana", "")
    _contest(billed)
    with pytest.raises(DisputeError, match="reason: required"):
        reject_dispute(billed, "D-1", " ")


@pytest.mark.parametrize(
    ("move_to", "amount", "message"),
    [
        ("Web", None, "Web is the team that contested the line"),
        ("Platform", None, "Platform is a shared pool"),
        ("Marketing", None, "no team 'Marketing'"),
        ("Data", "1.26", r"1\.26 is more than the 1\.25 contested"),
    ],
)
def test_an_acceptance_that_cannot_be_is_refused(billed, move_to, amount, message):
    _contest(billed)
    with pytest.raises(DisputeError, match=message):
        accept_dispute(billed, "D-1", move_to, amount=amount)
    assert list_disputes(billed)[0].status == "open"


def test_a_dispute_of_a_showback_statement_moves_no_money(billed, tmp_path):
    policy = tmp_path / "golive.toml"
    policy.write_text(
        POLICY.replace("[settings]\n", '[settings]\ngo_live = "2026-11"\n'), encoding="utf-8"
    )
    apply_policy_file(billed, policy)
    close_period(billed, "2026-10")  # a shadow month: SB-202610-…
    before = invoice_document(billed, "2026-11")
    dispute = record_dispute(billed, "2026-10", "Web", "1", "1", "Dana", "ours was lower")
    assert dispute.document_number == "SB-202610-WEB"
    accepted = accept_dispute(billed, dispute.code, "Data")
    assert (accepted.status, accepted.lands_in) == ("accepted", None)
    assert invoice_document(billed, "2026-11") == before


def test_the_exports_show_the_moves_apart_and_the_open_disputes_per_team(billed, tmp_path):
    import csv

    from openpyxl import load_workbook

    from app.services.exports import export_period

    _contest(billed)
    accept_dispute(billed, "D-1", "Data")
    _contest(billed, amount="2.00")
    document = invoice_document(billed, "2026-10")
    out = export_period(billed, "csv", "2026-10", tmp_path / "october.csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    product, amount = "product", "allocated_cost"
    moves = {(r["team"], r[product], r[amount]) for r in rows if "dispute" in r[product]}
    assert moves == {("Web", "(dispute D-1)", "-1.25"), ("Data", "(dispute D-1)", "1.25")}
    for invoice in document["invoices"]:
        team_rows = [Decimal(r[amount]) for r in rows if r["team"] == invoice["team"]]
        assert sum(team_rows) == Decimal(invoice["total"])
    pack = export_period(billed, "xlsx", "2026-10", tmp_path / "october.xlsx")
    sheet = load_workbook(pack)["Disputes"]
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert values[1] == ["Team", "Open", "Open amount"]
    assert values[2] == ["Web", 1, 2]
    details = {row[1]: row for row in values[5:]}
    assert details["D-1"][2] == "accepted" and "Data on 2026-10" in details["D-1"]
    assert details["D-2"][2] == "open"


def test_the_dashboard_and_audit_log_say_what_a_dispute_did(billed):
    from app.ui.presentation.audit import AuditPresenter
    from app.ui.presentation.dashboard import DashboardPresenter

    _contest(billed)
    accept_dispute(billed, "D-1", "Unallocated")
    dashboard = DashboardPresenter(billed)
    dashboard.apply(dashboard.fetch("2026-10"))
    assert "accepted disputes -$1.25" in dashboard.kpis[0].hint
    audit = AuditPresenter(billed)
    audit.apply(audit.fetch())
    audit.set_filter("Disputes", "")
    assert [row[2:] for row in audit.table.rows][:2] == [
        ["Dispute accepted", "D-1: $1.25 from Web to Unallocated in 2026-10"],
        ["Dispute recorded", "D-1: Web contests $1.25 of claude-haiku-4-5 on CB-202609-WEB"],
    ]


def test_a_closed_months_files_keep_the_disputes_as_at_its_close(billed, tmp_path):
    from app.services.exports import export_period

    _contest(billed, amount="1.00")
    close_period(billed, "2026-10")
    before = export_period(billed, "xlsx", "2026-10", tmp_path / "before.xlsx").read_bytes()
    _contest(billed, amount="2.00")  # later: October's pack is what was sent at its close
    reject_dispute(billed, "D-1", "no")
    after = export_period(billed, "xlsx", "2026-10", tmp_path / "after.xlsx").read_bytes()
    assert after == before
    from openpyxl import load_workbook

    rows = list(load_workbook(tmp_path / "after.xlsx")["Disputes"].iter_rows(values_only=True))
    assert [r[1] for r in rows[5:]] == ["D-1"] and rows[5][2] == "open"


# Second review -------------------------------------------------------------------------------


def _apply(workspace, tmp_path, text, name="changed.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    apply_policy_file(workspace, path)


def test_a_move_follows_a_renamed_team_and_an_archived_one_leaves_it_to_unallocated(
    billed, tmp_path
):
    _contest(billed)
    accept_dispute(billed, "D-1", "Data")
    renamed = POLICY.replace('name = "Web"\n', 'name = "Web Shop"\naliases = ["Web"]\n')
    renamed = renamed.replace('team = "Web"\n', 'team = "Web Shop"\n')
    renamed = renamed.replace('targets = ["Data", "Web"]', 'targets = ["Data", "Web Shop"]')
    _apply(billed, tmp_path, renamed)
    october = invoice_document(billed, "2026-10")
    assert "Web" not in [i["team"] for i in october["invoices"]]
    assert (
        "Web Shop",
        "Dispute D-1 accepted: claude-haiku-4-5 (CB-202609-WEB)",
        "-1.25",
        "D-1",
    ) in (_dispute_lines(october))
    archived = POLICY.replace('name = "Data"\n', 'name = "Data"\narchived = true\n')
    archived = archived.replace('k-data" }\nteam = "Data"', 'k-data" }\nteam = "Web"')
    archived = archived.replace('targets = ["Data", "Web"]', 'targets = ["Web"]')
    _apply(billed, tmp_path, archived, "archived.toml")
    october = invoice_document(billed, "2026-10")
    assert [line[0] for line in _dispute_lines(october)] == ["Web"]  # Data's side: Unallocated
    assert any("dispute D-1: Data no longer gets invoices" in w for w in october["warnings"])
    assert october["unallocated"] == "1.25"  # October had none of its own


def test_a_dispute_of_a_reopened_month_waits_for_its_close(billed):
    _contest(billed)
    reopen_period(billed, "2026-09", "a correction")
    with pytest.raises(DisputeError, match="2026-09 was reopened: decide D-1 once it is closed"):
        accept_dispute(billed, "D-1", "Data")
    close_period(billed, "2026-09")
    assert accept_dispute(billed, "D-1", "Data").status == "accepted"


@pytest.mark.parametrize("code", ["D-²", "D-١٢", "D-99999999999999999999", "D-0", "X-1"])
def test_a_dispute_number_that_is_not_one_is_refused(billed, code):
    _contest(billed)
    with pytest.raises(DisputeError, match="no dispute"):
        reject_dispute(billed, code, "no")


def test_in_the_company_currency_a_moves_credit_and_charge_stay_equal(billed, tmp_path):
    from app.services.exchange_rates import set_rate

    _apply(
        billed,
        tmp_path,
        POLICY.replace("[settings]\n", '[settings]\nfunctional_currency = "EUR"\n'),
    )
    set_rate(billed, "2026-10", "EUR", "0.889403", "test")
    _contest(billed, amount="5.00")
    accept_dispute(billed, "D-1", "Data", amount="4.99")
    october = close_period(billed, "2026-10")
    functional = october["functional"]
    moves = {}
    for invoice, converted in zip(october["invoices"], functional["invoices"], strict=True):
        total = Decimal(0)
        for line, amount in zip(invoice["lines"], converted["lines"], strict=True):
            total += Decimal(amount)
            if "dispute" in line:
                moves[invoice["team"]] = Decimal(amount)
        assert total == Decimal(converted["total"])
    assert moves == {"Web": Decimal("-4.44"), "Data": Decimal("4.44")}  # 4.99 × 0.889403
    month = sum((Decimal(i["total"]) for i in functional["invoices"]), Decimal(0))
    assert month == Decimal(functional["grand_total"])
    exact = (Decimal(october["grand_total"]) + Decimal(october["unallocated"])) * Decimal(
        "0.889403"
    )
    assert month + Decimal(functional["unallocated"]) == exact.quantize(Decimal("0.01"))


def test_a_chargeback_move_waits_for_a_month_that_charges(billed, tmp_path):
    _contest(billed)
    _apply(billed, tmp_path, POLICY.replace("[settings]\n", '[settings]\ngo_live = "2026-11"\n'))
    dispute = accept_dispute(billed, "D-1", "Data")
    assert dispute.lands_in == "2026-11"  # October is now a shadow month
    assert _dispute_lines(invoice_document(billed, "2026-10")) == []
    october = close_period(billed, "2026-10")
    assert october["billing"] == "showback" and _dispute_lines(october) == []
    assert len(_dispute_lines(close_period(billed, "2026-11"))) == 2
    assert list_disputes(billed)[0].billed_in == "2026-11"


def test_focus_carries_a_move_as_an_adjustment(billed, tmp_path):
    import csv

    from app.services.exports import export_period

    _contest(billed)
    accept_dispute(billed, "D-1", "Data")
    out = export_period(billed, "focus", "2026-10", tmp_path / "focus.csv")
    rows = [
        r for r in csv.DictReader(out.open(encoding="utf-8")) if r["ChargeCategory"] == "Adjustment"
    ]
    assert sorted((r["x_Team"], r["BilledCost"], r["ListCost"]) for r in rows) == [
        ("Data", "1.25", "0.00"),
        ("Web", "-1.25", "0.00"),
    ]
    assert {r["ChargeDescription"] for r in rows} == {
        "Dispute D-1 accepted: moved for Data",
        "Dispute D-1 accepted: moved for Web",
    }
