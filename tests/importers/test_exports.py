"""Console exports, LiteLLM spend logs, FOCUS and provider invoices, hand-checked."""

from decimal import Decimal

import pytest

from importers import detect_path
from importers.console_cost import ConsoleCostCsvImporter
from importers.console_usage import ConsoleUsageCsvImporter
from importers.focus import FocusCsvImporter
from importers.litellm import LiteLLMCsvImporter, LiteLLMJsonlImporter
from importers.provider_invoice import ProviderInvoiceCsvImporter
from tests.importers.helpers import read_with, write


def test_console_usage_14_columns(data_dir):
    path = data_dir / "console_usage_export.csv"
    _, importer = detect_path(path)
    assert isinstance(importer, ConsoleUsageCsvImporter)
    data, ctx = read_with(importer, path)
    assert ctx.rows_read == 3 and ctx.errors == []
    opus = data.frame[data.frame["model"] == "claude-opus-4-8"].iloc[0]
    assert (opus["input_tokens"], opus["output_tokens"]) == (296 + 208367, 27 + 39423)
    assert (opus["cache_write_1h_tokens"], opus["cache_read_tokens"]) == (1000, 50000)
    assert opus["context_window"] == "0-200k" and opus["workspace"] == "Default"
    # Hourly dates: coverage is the hours seen.
    assert data.coverage["2026-07-03"] == ("2026-07-03T01:00:00Z", "2026-07-03T03:00:00Z")


def test_console_usage_11_columns_with_bom_and_batch(tmp_path):
    text = (
        "\ufeffusage_date_utc,model_version,api_key,workspace,usage_type,"
        "usage_input_tokens_no_cache,usage_input_tokens_cache_write_5m,"
        "usage_input_tokens_cache_write_1h,usage_input_tokens_cache_read,"
        "usage_output_tokens,web_search_count\n"
        "2026-10-01,claude-3-5-haiku-20241022,k,W,batch,10,0,0,0,5,0\n"
    )
    path = write(tmp_path, "u.csv", text)
    _, importer = detect_path(path)
    data, ctx = read_with(importer, path)
    row = data.frame.iloc[0]
    assert ctx.errors == [] and row["model"] == "claude-3-5-haiku"
    assert row["service_tier"] == "batch" and row["context_window"] == ""
    assert data.coverage["2026-10-01"] == ("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z")


def test_console_usage_bad_tokens(tmp_path, data_dir):
    text = (data_dir / "console_usage_export.csv").read_text().replace(",296,", ",2x6,")
    _, ctx = read_with(ConsoleUsageCsvImporter(), write(tmp_path, "u.csv", text))
    assert [(e.line, e.column) for e in ctx.errors] == [(2, "usage_input_tokens_no_cache")]


def test_console_cost_both_variants(data_dir):
    for name, total in (
        ("console_cost_export.csv", "7.90"),
        ("console_cost_export_11col.csv", "14.00"),
    ):
        _, importer = detect_path(data_dir / name)
        assert isinstance(importer, ConsoleCostCsvImporter)
        data, ctx = read_with(importer, data_dir / name)
        assert ctx.errors == []
        assert sum(Decimal(a) for a in data.frame["amount"]) == Decimal(total)
    data, _ = read_with(ConsoleCostCsvImporter(), data_dir / "console_cost_export.csv")
    assert set(data.frame["model"]) == {"claude-sonnet-4-6", "claude-haiku-4-5"}
    assert "cache_read_input_tokens" in set(data.frame["token_type"])
    assert set(data.frame["api_key_id"]) == {"apikey_01FinanceBot", "apikey_01OldProto"}


def test_console_cost_semicolon_decimal_comma(tmp_path):
    text = (
        "usage_date_utc;model;workspace;api_key;usage_type;context_window;token_type;"
        "cost_usd;cost_type;inference_geo;speed\n"
        "2026-10-01;Claude Haiku 4.5;Default;k;message;0-200k;output;3,60;token;global;\n"
    )
    data, ctx = read_with(ConsoleCostCsvImporter(), write(tmp_path, "c.csv", text, "cp1252"))
    assert ctx.errors == [] and data.frame.iloc[0]["amount"] == "3.6"


def test_litellm_jsonl_sample(data_dir):
    path = data_dir / "litellm_spend_logs.jsonl"
    _, importer = detect_path(path)
    assert isinstance(importer, LiteLLMJsonlImporter)
    data, ctx = read_with(importer, path)
    assert ctx.rows_read == 14 and ctx.rows_ignored == 2 and ctx.errors == []
    assert data.frame["requests"].sum() == 12
    expected = sum(
        Decimal(v)
        for v in (
            "0.00011",
            "0.0001",
            "0.00012",
            "0.0009",
            "0.00089",
            "0.0052",
            "0.00058",
            "0.00057",
            "0.12",
            "0.00011",
            "0.00009",
            "0.00088",
        )
    )
    assert sum(Decimal(c) for c in data.frame["provided_cost"]) == expected


def test_litellm_csv_with_tags_and_metadata(tmp_path):
    text = (
        "request_id,call_type,api_key,spend,prompt_tokens,completion_tokens,startTime,"
        "model,user,team_id,request_tags,metadata\n"
        "a,acompletion,h1,0.5,100,10,2026-10-01T00:00:00,claude-haiku-4-5,u1,t-9,"
        '"[""env:prod"", ""nightly""]","{""user_api_key_alias"": ""etl-key""}"\n'
        "a,acompletion,h1,0.5,100,10,2026-10-01T00:00:00,claude-haiku-4-5,u1,t-9,[],{}\n"
    )
    path = write(tmp_path, "s.csv", text)
    _, importer = detect_path(path)
    assert isinstance(importer, LiteLLMCsvImporter)
    data, ctx = read_with(importer, path)
    row = data.frame.iloc[0]
    assert ctx.duplicates_skipped == 1
    assert row["api_key"] == "etl-key"
    assert row["tags"] == '{"env":"prod","request_tags":"nightly","team":"t-9"}'


def test_focus_sample_imports_whole(data_dir):
    path = data_dir / "focus_1_0_sample.csv"
    _, importer = detect_path(path)
    assert isinstance(importer, FocusCsvImporter)
    data, ctx = read_with(importer, path, focus_rows="all")
    assert ctx.rows_read == 1000 and ctx.errors == []
    assert sum(Decimal(c) for c in data.frame["provided_cost"]) == Decimal("20.52022672899")
    assert data.frame["tags"].str.contains('"environment":"dev"').any()


def test_focus_keeps_only_claude_rows_by_default(data_dir, tmp_path):
    """Issue 8, case 11: the multi-cloud sample's AWS/Azure/Oracle rows were imported as
    Claude cost."""
    from importers.base import FileRejected

    sample = data_dir / "focus_1_0_sample.csv"
    with pytest.raises(FileRejected, match=r"no Anthropic/Claude rows.*AWS 942.*--focus-rows all"):
        read_with(FocusCsvImporter(), sample)
    mixed = write(
        tmp_path,
        "mixed.csv",
        "BilledCost,ChargePeriodStart,ProviderName,ServiceName,SkuId\n"
        "1.00,2026-10-01 00:00:00,Anthropic,Claude API,claude-sonnet-4-6\n"
        "2.00,2026-10-01 00:00:00,AWS,Amazon Bedrock,anthropic.claude-haiku-4-5\n"
        "4.00,2026-10-01 00:00:00,AWS,Amazon EC2,m7i.large\n"
        "8.00,2026-10-01 00:00:00,Microsoft,Virtual Machines,D2s\n",
    )
    data, ctx = read_with(FocusCsvImporter(), mixed)
    assert ctx.rows_ignored == 2 and "AWS 1" in ctx.ignored_reason
    assert "Microsoft 1" in ctx.ignored_reason
    assert sum(Decimal(c) for c in data.frame["provided_cost"]) == Decimal("3.00")
    everything, ctx = read_with(FocusCsvImporter(), mixed, focus_rows="all")
    assert sum(Decimal(c) for c in everything.frame["provided_cost"]) == Decimal("15.00")


def test_focus_effective_cost_choice(tmp_path):
    text = (
        "BilledCost,EffectiveCost,ChargePeriodStart,ChargePeriodEnd,ServiceName,Tags\n"
        "2.00,1.50,2026-10-01 00:00:00,2026-10-02 00:00:00,Claude,NULL\n"
        '-0.25,-0.25,2026-10-01 00:00:00,2026-10-02 00:00:00,Claude,"{""team"": ""data""}"\n'
    )
    path = write(tmp_path, "f.csv", text)
    billed, _ = read_with(FocusCsvImporter(), path)
    effective, _ = read_with(FocusCsvImporter(), path, focus_cost="effective")
    assert sum(Decimal(c) for c in billed.frame["provided_cost"]) == Decimal("1.75")
    assert sum(Decimal(c) for c in effective.frame["provided_cost"]) == Decimal("1.25")


def test_focus_keeps_the_list_cost_next_to_the_billed_cost(tmp_path):
    """ListCost is the price before the negotiated discount; a row without one is at list."""
    text = (
        "BilledCost,ListCost,ChargePeriodStart,ServiceName\n"
        "8.80,10.00,2026-10-01 00:00:00,Claude\n"
        "1.00,NULL,2026-10-01 00:00:00,Claude\n"
    )
    data, ctx = read_with(FocusCsvImporter(), write(tmp_path, "f.csv", text))
    assert ctx.errors == []
    line = data.frame.iloc[0]
    assert (line["provided_cost"], line["provided_list_cost"]) == ("9.8", "11")
    without, _ = read_with(
        FocusCsvImporter(),
        write(tmp_path, "g.csv", "BilledCost,ChargePeriodStart,ServiceName\n1,2026-10-01,Claude\n"),
    )
    assert without.frame.iloc[0]["provided_list_cost"] is None


def test_focus_bad_tags(tmp_path):
    text = "BilledCost,ChargePeriodStart,ServiceName,Tags\n1,2026-10-01 00:00:00,Claude,not-json\n"
    _, ctx = read_with(FocusCsvImporter(), write(tmp_path, "f.csv", text))
    assert ctx.errors[0].column == "Tags"


def test_provider_invoice(data_dir, tmp_path):
    path = data_dir / "provider_invoice.csv"
    _, importer = detect_path(path)
    assert isinstance(importer, ProviderInvoiceCsvImporter)
    data, ctx = read_with(importer, path)
    row = data.frame.iloc[0]
    assert (row["period"], row["total"], row["discount"]) == ("2026-10", "13200.00", "-1800.00")
    bad = write(
        tmp_path,
        "i.csv",
        "period,invoice_number,subtotal,discount,credits,tax,total\n"
        "2026-13,x,1,0,0,0,1\n2026-10,y,10,0,0,0,9\n",
    )
    _, ctx = read_with(ProviderInvoiceCsvImporter(), bad)
    assert [(e.line, e.column) for e in ctx.errors] == [(2, "period"), (3, "total")]


def test_a_row_without_a_list_price_counts_at_list_in_its_line():
    """Rows summed into one line: once one has a list price, the line's list price is every
    row's (a row without one is at list)."""
    from importers.canonical import UsageRollup

    rollup = UsageRollup()
    day = {"day": "2026-11-02", "model": "claude-haiku-4-5"}
    rollup.add(**day, provided_cost=Decimal("1"))
    rollup.add(**day, provided_cost=Decimal("8"), provided_list_cost=Decimal("10"))
    rollup.add(**day, provided_cost=Decimal("2"))
    line = rollup.frame().iloc[0]
    assert (line["provided_cost"], line["provided_list_cost"]) == ("11", "13")
