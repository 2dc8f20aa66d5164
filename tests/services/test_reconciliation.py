"""Reconciliation of the samples: usage re-priced vs the cost report vs the invoice."""

import json
from decimal import Decimal

from app.cli import main
from app.services.importing import import_file
from app.services.reconciliation import reconcile


def test_samples_reconcile_by_model_and_token_type(workspace, data_dir, capsys):
    for name in (
        "anthropic_usage_report_page1.json",
        "anthropic_cost_report.json",
        "console_cost_export.csv",
        "provider_invoice.csv",
    ):
        assert import_file(workspace, data_dir / name).status == "imported"
    result = reconcile(workspace, "2026-10")
    rows = {(r.model, r.token_type): r for r in result.rows}
    opus_input = rows[("claude-opus-4-7", "uncached_input_tokens")]
    assert opus_input.usage == Decimal("10.5")  # 4.2M batch tokens at $2.50
    assert opus_input.billed() == Decimal("10.5")  # 1050.00 cents
    assert rows[("claude-opus-4-7", "output_tokens")].billed() == Decimal("7.625")
    assert rows[("", "web_search")].usage == rows[("", "web_search")].billed() == Decimal("0.37")
    assert rows[("", "code_execution")].usage == 0
    assert result.usage_total == Decimal("52.96475")
    assert result.statement_totals["anthropic-cost-api"] == Decimal("18.6184567")
    # Issue 8, case 10: the Console export's days that the cost report covers too are set
    # aside (counted once, from the cost report); only its other days count.
    assert result.statement_totals["console-cost-csv"] == Decimal("0.85")
    uses = {use.source: use for use in result.sources}
    assert uses["anthropic-cost-api"].days and not uses["anthropic-cost-api"].days_set_aside
    assert uses["console-cost-csv"].days_set_aside
    assert not set(uses["console-cost-csv"].days) & set(uses["anthropic-cost-api"].days)
    assert result.provider_total == Decimal("13200.00")
    assert any("code execution" in gap for gap in result.gaps)
    assert any("Default workspace" in gap for gap in result.gaps)
    assert main(["-w", workspace.location, "reconcile", "--period", "2026-10", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["usage_total"] == "52.96" and doc["provider_minus_usage"] == "13147.04"
    row = next(
        r
        for r in doc["rows"]
        if r["token_type"] == "uncached_input_tokens" and r["model"] == "claude-opus-4-7"
    )
    assert row["variance"] == "0.00"
    assert [u["source"] for u in doc["statement_sources"]] == [
        "anthropic-cost-api",
        "console-cost-csv",
    ]
    assert main(["-w", workspace.location, "reconcile", "--period", "2026-10"]) == 0
    text = capsys.readouterr().out
    assert "Known gaps" in text and "never counted twice" in text


def test_reconciliation_names_haiku_5_5_lines_whose_prompt_band_is_unknown(workspace, tmp_path):
    """A Console usage export sums a day's requests: their prompt sizes, so their bands, are
    lost. Such lines are priced at the low band and named (§1); a gateway log's are not.
    By hand: 1M input at the low band's 0.10 = 0.10 USD."""
    console = tmp_path / "console.csv"
    console.write_text(
        "usage_date_utc,model_version,api_key,workspace,usage_type,context_window,"
        "usage_input_tokens_no_cache,usage_input_tokens_cache_write_5m,"
        "usage_input_tokens_cache_write_1h,usage_input_tokens_cache_read,usage_output_tokens,"
        "web_search_count,inference_geo,speed\n"
        "2026-11-03 01:00,claude-haiku-5-5,k1,Default,standard,≤ 200k,1000000,0,0,0,0,0,global,\n",
        encoding="utf-8",
    )
    gateway = tmp_path / "gateway.csv"
    gateway.write_text(
        "timestamp,request_id,model,input_tokens\n2026-11-04T10:00:00Z,r1,claude-haiku-5-5,10\n",
        encoding="utf-8",
    )
    for path in (console, gateway):
        assert import_file(workspace, path).status == "imported"
    result = reconcile(workspace, "2026-11")
    named = [gap for gap in result.gaps if "prompt band" in gap]
    assert named == [
        "1 usage line(s) of claude-haiku-5-5 have an unknown prompt band (a source that sums "
        "requests): priced at the low band, 0.10 USD; requests with prompts over 100,000 "
        "tokens would pay the high band"
    ]


def test_a_statement_row_without_a_list_price_is_at_list(workspace, tmp_path):
    """Found in review: rows without a list price were left out of the source's list total
    but not of its net total, understating the discount."""
    path = tmp_path / "cost.csv"
    path.write_text(
        "usage_date_utc,model,workspace,api_key,usage_type,context_window,token_type,cost_usd,"
        "list_price_usd,cost_type,inference_geo,speed,api_key_id,api_key_status\n"
        "2026-11-03,Claude Haiku 4.5,Default,k,standard,\u2264 200k,input_no_cache,1.00,1.20,"
        "token,global,,id1,active\n"
        "2026-11-03,Claude Haiku 4.5,Default,k,standard,\u2264 200k,output,0.50,,token,global,,"
        "id1,active\n",
        encoding="utf-8",
    )
    assert import_file(workspace, path).status == "imported"
    result = reconcile(workspace, "2026-11")
    assert result.statement_totals["console-cost-csv"] == Decimal("1.50")
    assert result.statement_list_totals["console-cost-csv"] == Decimal("1.70")
