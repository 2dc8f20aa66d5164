"""Late usage is billed exactly once: by the first invoice that bills it, frozen there at close.

Regression tests for issue 8, case 1 (late usage billed again after the month that billed it was
closed, and again in a reopened month).
"""

from decimal import Decimal

import pytest

from app.services.closing import close_period, reopen_period
from app.services.importing import import_file
from app.services.invoices import invoice_document
from app.services.policy import apply_policy_file

POLICY = """
version = 1
[settings]
overhead_rate = "0"
[[teams]]
name = "Data"
aliases = ["data-team"]
code = "DATA"
"""
HEADER = "timestamp,request_id,team,model,input_tokens,output_tokens\n"


def _usage(tmp_path, name, day, request_id, dollars):
    """A gateway file with one Haiku 4.5 request costing ``dollars`` (input at $1/MTok)."""
    path = tmp_path / name
    path.write_text(
        HEADER + f"{day}T10:00:00Z,{request_id},data-team,claude-haiku-4-5,{dollars}000000,0\n"
    )
    return path


@pytest.fixture
def months(workspace, tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY)
    apply_policy_file(workspace, policy)
    for month in ("07", "08", "09", "10", "11", "12"):
        path = _usage(tmp_path, f"m{month}.csv", f"2025-{month}-05", f"r{month}", 10)
        assert import_file(workspace, path).status == "imported"
    return workspace


def _prior_period_lines(workspace, period):
    document = invoice_document(workspace, period)
    return [
        (line["label"], line["amount"])
        for invoice in document["invoices"]
        for line in invoice["lines"]
        if line["kind"] == "prior_period"
    ]


def _billed_total(workspace, periods):
    """Invoiced plus Unallocated over ``periods``: every line billed or shown once."""
    total = Decimal(0)
    for period in periods:
        document = invoice_document(workspace, period)
        total += Decimal(document["grand_total"]) + Decimal(document["unallocated"])
    return total


def test_late_line_is_not_billed_again_after_the_month_that_billed_it_closes(months, tmp_path):
    close_period(months, "2025-07")
    late = _usage(tmp_path, "late.csv", "2025-07-20", "late1", 2)
    assert import_file(months, late).status == "imported"
    assert _prior_period_lines(months, "2025-08") == [("Prior-period usage (2025-07)", "2.00")]
    close_period(months, "2025-08")
    assert _prior_period_lines(months, "2025-09") == []
    close_period(months, "2025-09")
    assert _prior_period_lines(months, "2025-10") == []
    # 4 × $10 of the months' own usage + the $2 late line, once.
    assert _billed_total(months, ["2025-07", "2025-08", "2025-09", "2025-10"]) == Decimal("42")


def test_reopening_a_month_does_not_rebill_late_usage_a_later_close_billed(months, tmp_path):
    close_period(months, "2025-10")
    late = _usage(tmp_path, "late.csv", "2025-10-25", "late2", 2)
    assert import_file(months, late).status == "imported"
    close_period(months, "2025-11")
    assert _prior_period_lines(months, "2025-11") == [("Prior-period usage (2025-10)", "2.00")]
    reopen_period(months, "2025-10", "credit note")
    assert invoice_document(months, "2025-10")["grand_total"] == "10.00"
    close_period(months, "2025-10")
    assert _billed_total(months, ["2025-10", "2025-11"]) == Decimal("22")
    assert _prior_period_lines(months, "2025-12") == []


def test_late_usage_skips_closed_months_to_the_first_open_one(months, tmp_path):
    close_period(months, "2025-07")
    close_period(months, "2025-08")
    late = _usage(tmp_path, "late.csv", "2025-07-21", "late3", 3)
    assert import_file(months, late).status == "imported"
    assert _prior_period_lines(months, "2025-08") == []
    assert _prior_period_lines(months, "2025-09") == [("Prior-period usage (2025-07)", "3.00")]
    assert _prior_period_lines(months, "2025-10") == []


def test_reopening_the_billing_month_puts_late_usage_back_in_its_draft(months, tmp_path):
    close_period(months, "2025-07")
    late = _usage(tmp_path, "late.csv", "2025-07-22", "late4", 2)
    import_file(months, late)
    close_period(months, "2025-08")
    reopen_period(months, "2025-08", "wrong rule")
    assert _prior_period_lines(months, "2025-08") == [("Prior-period usage (2025-07)", "2.00")]
    assert _prior_period_lines(months, "2025-09") == []


CONSOLE = (
    "usage_date_utc,model_version,api_key,workspace,usage_type,context_window,"
    "usage_input_tokens_no_cache,usage_input_tokens_cache_write_5m,"
    "usage_input_tokens_cache_write_1h,usage_input_tokens_cache_read,usage_output_tokens,"
    "web_search_count,inference_geo,speed\n"
)
ROW = "2025-07-{:02d} {:02d}:00,claude-haiku-4-5,k,Default,standard,≤ 200k,{}000000,0,0,0,0,0,,\n"


def test_an_export_cannot_replace_late_usage_a_closed_month_billed(months, tmp_path):
    """July reopened, but its late usage was billed by August's closed invoices: a re-export
    replacing it would bill it again in July."""
    close_period(months, "2025-07")
    late = tmp_path / "console-late.csv"
    late.write_text(CONSOLE + ROW.format(20, 5, 2))
    assert import_file(months, late).status == "imported"
    close_period(months, "2025-08")
    reopen_period(months, "2025-07", "fix a rule")
    whole = tmp_path / "console-whole.csv"
    whole.write_text(CONSOLE + ROW.format(20, 1, 1) + ROW.format(20, 5, 2))
    report = import_file(months, whole)
    assert report.status == "rejected" and "reopen 2025-08 first" in report.message
    assert _billed_total(months, ["2025-07", "2025-08"]) == Decimal("22")


def test_late_december_usage_goes_to_january_of_the_next_year(workspace, tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY)
    apply_policy_file(workspace, policy)
    for month, year in (("01", 2025), ("12", 2025), ("01", 2026)):
        path = _usage(tmp_path, f"{year}{month}.csv", f"{year}-{month}-05", f"y{year}{month}", 10)
        import_file(workspace, path)
    close_period(workspace, "2025-01")
    close_period(workspace, "2025-12")
    assert import_file(workspace, _usage(tmp_path, "late.csv", "2025-12-30", "dec", 2)).status == (
        "imported"
    )
    assert _prior_period_lines(workspace, "2026-01") == [("Prior-period usage (2025-12)", "2.00")]
    assert invoice_document(workspace, "2025-01")["grand_total"] == "10.00"


def test_the_export_of_a_month_includes_the_late_usage_it_bills(months, tmp_path):
    """Review finding: exports spread invoices over the month's own usage only, so late usage
    billed as prior-period usage showed as "(shared cost)" and not in usage by type."""
    import csv

    from app.services.exports import export_period

    close_period(months, "2025-07")
    import_file(months, _usage(tmp_path, "late.csv", "2025-07-20", "late9", 2))
    out = tmp_path / "aug.csv"
    export_period(months, "csv", "2025-08", out)
    rows = list(csv.DictReader(out.open()))
    july = [r for r in rows if r["day"].startswith("2025-07")]
    assert july and all(r["model"] == "claude-haiku-4-5" for r in july)
    assert sum(Decimal(r["allocated_cost"]) for r in rows) == Decimal("12.00")


def test_recomputing_a_closed_month_bills_what_it_billed_at_close(months, tmp_path):
    from app.services.invoices import period_invoices

    close_period(months, "2025-07")
    import_file(months, _usage(tmp_path, "late.csv", "2025-07-20", "late10", 2))
    frozen = close_period(months, "2025-08")
    again = period_invoices(months, "2025-08").allocation
    assert again.grand_total_cents + again.unallocated_cents == 1200
    assert Decimal(frozen["grand_total"]) + Decimal(frozen["unallocated"]) == Decimal("12.00")
    labels = [line.label for inv in again.invoices for line in inv.lines]
    assert "Prior-period usage (2025-07)" in labels
