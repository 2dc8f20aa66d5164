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
    assert main(["-w", str(workspace.path), "reconcile", "--period", "2026-10", "--json"]) == 0
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
    assert main(["-w", str(workspace.path), "reconcile", "--period", "2026-10"]) == 0
    text = capsys.readouterr().out
    assert "Known gaps" in text and "never counted twice" in text
