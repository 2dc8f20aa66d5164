"""Closing periods: numbers, frozen documents, late data as prior-period lines, reopening."""

import json

import pytest

from app.cli import main
from app.services.closing import PeriodError, close_period, reopen_period
from app.services.importing import import_file
from app.services.invoices import invoice_document
from app.services.policy import apply_policy_file
from app.services.prices import set_price

POLICY = """
version = 1
[settings]
overhead_rate = "0.10"
[[teams]]
name = "Data"
aliases = ["data-team"]
code = "DATA"
[[teams]]
name = "Product Management"
aliases = ["product"]
"""
HEADER = "timestamp,request_id,team,model,input_tokens,output_tokens\n"


@pytest.fixture
def october(workspace, data_dir, tmp_path):
    import_file(workspace, data_dir / "gateway_requests.csv")
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY)
    apply_policy_file(workspace, policy)
    return workspace


def test_close_numbers_and_freezes(october, tmp_path):
    document = close_period(october, "2026-10")
    assert document["status"] == "final"
    assert [i["number"] for i in document["invoices"]] == [
        "CB-202610-DATA",
        "CB-202610-PRODUCTMANAG",
    ]
    frozen = json.dumps(invoice_document(october, "2026-10"), sort_keys=True)
    # Nothing that happens later changes a closed period.
    set_price(october, {"model": "claude-opus-4-7", "input": "500", "output": "2500"})
    late = tmp_path / "late.csv"
    late.write_text(HEADER + "2026-10-20T00:00:00Z,x1,data-team,claude-haiku-4-5,1000000,0\n")
    assert import_file(october, late).status == "imported"
    (tmp_path / "p2.toml").write_text(POLICY.replace('"0.10"', '"0.50"'))
    apply_policy_file(october, tmp_path / "p2.toml")
    assert json.dumps(invoice_document(october, "2026-10"), sort_keys=True) == frozen


def test_late_usage_lands_in_the_next_open_period(october, tmp_path):
    close_period(october, "2026-10")
    late = tmp_path / "late.csv"
    late.write_text(HEADER + "2026-10-20T00:00:00Z,x1,data-team,claude-haiku-4-5,1000000,0\n")
    import_file(october, late)
    november = invoice_document(october, "2026-11")
    data = november["invoices"][0]
    assert data["team"] == "Data"
    assert [(x["kind"], x["label"], x["amount"]) for x in data["lines"]] == [
        ("prior_period", "Prior-period usage (2026-10)", "1.00"),
        ("overhead", "Platform overhead 10%", "0.10"),
    ]


def test_close_refuses_unpriced_and_twice(october, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text(
        HEADER
        + "2026-10-21T00:00:00Z,y1,data-team,claude-opus-9,10,0\n"
        + "2026-10-22T00:00:00Z,y2,data-team,claude-opus-9,10,0\n"
    )
    import_file(october, odd)
    with pytest.raises(PeriodError, match=r"2 unpriced line\(s\) \(claude-opus-9\)"):
        close_period(october, "2026-10")
    set_price(october, {"model": "claude-opus-9", "input": "1", "output": "1"})
    close_period(october, "2026-10")
    with pytest.raises(PeriodError, match="already closed"):
        close_period(october, "2026-10")


def test_reopen_needs_a_reason_and_returns_to_draft(october, capsys):
    close_period(october, "2026-10")
    with pytest.raises(PeriodError, match="reason"):
        reopen_period(october, "2026-10", " ")
    code = main(
        ["-w", october.location, "reopen", "--period", "2026-10", "--reason", "late credit note"]
    )
    assert code == 0
    assert invoice_document(october, "2026-10")["status"] == "draft"
    from app.workspace.audit import entries

    with october.engine.connect() as conn:
        log = entries(conn)
    assert [e["action"] for e in log[:2]] == ["period.reopen", "period.close"]
    reopened = log[0]["detail"]
    assert reopened["period"] == "2026-10" and reopened["reason"] == "late credit note"
    assert reopened["frozen"]["status"] == "final"
    assert main(["-w", october.location, "reopen", "--period", "2026-10", "--reason", "x"]) == 2
    assert "not closed" in capsys.readouterr().err


def test_close_from_the_cli(october, capsys):
    assert main(["-w", october.location, "close", "--period", "2026-10"]) == 0
    assert "CB-202610-DATA" in capsys.readouterr().out
    assert main(["-w", october.location, "invoices", "--period", "2026-10"]) == 0
    assert "(FINAL)" in capsys.readouterr().out


def test_reexported_request_log_of_a_closed_month_adds_only_late_requests(
    october, data_dir, tmp_path
):
    close_period(october, "2026-10")
    text = (data_dir / "gateway_requests.csv").read_text()
    bigger = tmp_path / "reexport.csv"
    bigger.write_text(
        text + "2026-10-04T00:00:00Z,req_0099,data-team,,,,claude-haiku-4-5,1000000,0,0,0,false,0\n"
    )
    report = import_file(october, bigger)
    assert report.status == "imported" and report.requests_already_imported == 6
    november = invoice_document(october, "2026-11")
    assert [line["amount"] for line in november["invoices"][0]["lines"]] == ["1.00", "0.10"]


CONSOLE = (
    "usage_date_utc,model_version,api_key,workspace,usage_type,context_window,"
    "usage_input_tokens_no_cache,usage_input_tokens_cache_write_5m,"
    "usage_input_tokens_cache_write_1h,usage_input_tokens_cache_read,usage_output_tokens,"
    "web_search_count,inference_geo,speed\n"
)


def test_reexport_cannot_replace_closed_usage(october, tmp_path):
    row = "2026-10-03 {:02d}:00,claude-haiku-4-5,k,Default,standard,≤ 200k,1000000,0,0,0,0,0,,\n"
    first = tmp_path / "console.csv"
    first.write_text(CONSOLE + row.format(5))
    assert import_file(october, first).status == "imported"
    close_period(october, "2026-10")
    whole = tmp_path / "console-whole.csv"
    whole.write_text(CONSOLE + row.format(1) + row.format(5) + row.format(9))
    report = import_file(october, whole)
    assert report.status == "rejected" and "is closed" in report.message


def test_close_refuses_a_future_month(october, tmp_path):
    # Today is pinned to 2026-11-25 by the test configuration.
    with pytest.raises(PeriodError, match="has not started yet"):
        close_period(october, "2026-12")
    # The month in progress can be closed (the rest of it will be late usage).
    november = tmp_path / "nov.csv"
    november.write_text(HEADER + "2026-11-20T00:00:00Z,n1,data-team,claude-haiku-4-5,100,0\n")
    import_file(october, november)
    assert close_period(october, "2026-11")["status"] == "final"


def test_an_empty_month_needs_an_explicit_flag(october, capsys):
    with pytest.raises(PeriodError, match=r"no usage.*--empty"):
        close_period(october, "2026-09")
    assert main(["-w", october.location, "close", "--period", "2026-09", "--empty"]) == 0


def test_close_warns_about_earlier_open_months(october, tmp_path, capsys):
    september = tmp_path / "sep.csv"
    september.write_text(HEADER + "2026-09-20T00:00:00Z,s1,data-team,claude-haiku-4-5,100,0\n")
    import_file(october, september)
    assert main(["-w", october.location, "close", "--period", "2026-10"]) == 0
    err = capsys.readouterr().err
    assert "earlier months are still open: 2026-09 (their" in err
    close_period(october, "2026-09")
    assert main(["-w", october.location, "reopen", "--period", "2026-10", "--reason", "r"]) == 0
    assert main(["-w", october.location, "close", "--period", "2026-10"]) == 0
    assert "still open" not in capsys.readouterr().err
