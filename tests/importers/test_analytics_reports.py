"""Usage & Cost Analytics API reports (beta, late October 2026): the bucketed usage and cost
reports and the per-user reports, read from samples written from the SDK's field lists."""

import json
from decimal import Decimal

import pytest

from importers import detect_path
from importers.anthropic_analytics import (
    AnalyticsCostReportImporter,
    AnalyticsUsageReportImporter,
    AnalyticsUserCostReportImporter,
    AnalyticsUserUsageReportImporter,
)
from importers.anthropic_cost import AnthropicCostReportImporter
from importers.anthropic_usage import AnthropicUsageReportImporter
from importers.base import FileRejected
from tests.importers.helpers import read_with, write


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("analytics_cost_report.json", AnalyticsCostReportImporter),
        ("analytics_usage_report.json", AnalyticsUsageReportImporter),
        ("analytics_user_cost_report.json", AnalyticsUserCostReportImporter),
        ("analytics_user_usage_report.json", AnalyticsUserUsageReportImporter),
        ("anthropic_cost_report.json", AnthropicCostReportImporter),
        ("anthropic_usage_report_page1.json", AnthropicUsageReportImporter),
    ],
)
def test_each_report_is_recognised_by_its_content(data_dir, name, kind):
    _, importer = detect_path(data_dir / name)
    assert isinstance(importer, kind)


def _lines(data):
    return {
        (row.model, json.loads(row.tags or "{}").get("claude_product", "")): row
        for row in data.frame.itertuples()
    }


def test_the_cost_report_keeps_net_and_list_in_dollars(data_dir):
    """Amounts are strings in fractional cents: 41234.5678 cents = $412.345678."""
    data, ctx = read_with(AnalyticsCostReportImporter(), data_dir / "analytics_cost_report.json")
    assert ctx.errors == [] and ctx.rows_read == 4
    lines = _lines(data)
    chat = lines[("claude-sonnet-5-5", "chat")]
    assert (chat.provided_cost, chat.provided_list_cost) == ("412.345678", "485.112562")
    assert (chat.day, chat.requests, chat.input_tokens) == ("2026-11-02", 1840, 0)
    slack = lines[("claude-sonnet-5-5", "claude-tag")]
    assert json.loads(slack.tags) == {
        "claude_product": "claude-tag",
        "claude_tag_category": "engaged",
        "slack_channel": "C0123FINANCE",
    }
    total = sum(Decimal(c) for c in data.frame["provided_cost"])
    assert total == Decimal("1313.350678")  # 41234.5678 + 85000 + 850.5 + 4250 cents
    # The empty bucket says there was no usage on 3 November: covered.
    assert set(data.coverage) == {"2026-11-02", "2026-11-03"}


def test_the_usage_report_gives_tokens_to_price(data_dir):
    data, _ = read_with(AnalyticsUsageReportImporter(), data_dir / "analytics_usage_report.json")
    code = _lines(data)[("claude-opus-5-5", "claude_code")]
    assert (code.input_tokens, code.cache_write_5m_tokens, code.cache_write_1h_tokens) == (
        9_000_000,
        1_200_000,
        2_500_000,
    )
    assert (code.cache_read_tokens, code.output_tokens, code.requests) == (
        180_000_000,
        2_100_000,
        912,
    )
    assert code.provided_cost is None and code.speed == "standard"
    chat = _lines(data)[("claude-sonnet-5-5", "chat")]
    assert chat.web_searches == 310
    # Daily sums: the Haiku 5.5 prompt band of each request is not known.
    assert _lines(data)[("claude-haiku-5-5", "cowork")].prompt_band == "unknown"


def test_per_user_rows_are_the_users_email(data_dir):
    data, _ = read_with(
        AnalyticsUserCostReportImporter(), data_dir / "analytics_user_cost_report.json"
    )
    users = {
        row.user: (row.provided_cost, row.provided_list_cost) for row in data.frame.itertuples()
    }
    assert users == {
        "ana.lima@example.com": ("610", "717.647059"),
        "bo.chen@example.com": ("125.0025", "147.061765"),
        # A deleted account has no email: its tagged user id keeps it apart.
        "user_01CyGone": ("3.1", "3.647059"),
    }
    usage, _ = read_with(
        AnalyticsUserUsageReportImporter(), data_dir / "analytics_user_usage_report.json"
    )
    ana = next(r for r in usage.frame.itertuples() if r.user == "ana.lima@example.com")
    assert (ana.model, ana.input_tokens, ana.day) == ("claude-opus-5-5", 6_500_000, "2026-11-02")


def _report(results, **page):
    return json.dumps(
        {
            "data": [
                {
                    "starting_at": "2026-11-02T00:00:00Z",
                    "ending_at": "2026-11-03T00:00:00Z",
                    "results": results,
                }
            ],
            "has_more": False,
            **page,
        }
    )


def _cost(**dims):
    return {"amount": "100", "list_amount": "120", "currency": "USD", "product": "chat", **dims}


def test_rows_grouped_by_rbac_group_are_refused_with_the_reason(tmp_path):
    path = write(
        tmp_path,
        "groups.json",
        _report([_cost(rbac_group_id="rbac_group_01A"), _cost(rbac_group_id="rbac_group_01B")]),
    )
    with pytest.raises(FileRejected, match=r"overlap.*never add up to the organisation"):
        read_with(AnalyticsCostReportImporter(), path)


def test_a_bucket_at_the_100_group_cap_is_flagged_as_possibly_incomplete(tmp_path):
    rows = [_cost(model=f"claude-model-{n}") for n in range(100)]
    data, ctx = read_with(AnalyticsCostReportImporter(), write(tmp_path, "cap.json", _report(rows)))
    assert len(data.frame) == 100
    assert ctx.notes == [
        "possibly incomplete: 1 bucket(s) have 100 groups, the most the report shows "
        "(2026-11-02); groups beyond the top 100 have no row — export with fewer group_by[] "
        "dimensions or narrower buckets"
    ]


def test_a_per_user_report_without_dates_is_refused(tmp_path):
    row = {
        "actor": {"type": "user_actor", "user_id": "u1", "email_address": "a@x.com"},
        **_cost(),
    }
    path = write(tmp_path, "nodates.json", json.dumps({"data": [row], "has_more": False}))
    with pytest.raises(FileRejected, match="bucket_width"):
        read_with(AnalyticsUserCostReportImporter(), path)


def test_usage_tokens_without_a_model_are_refused(tmp_path):
    row = {
        "uncached_input_tokens": 5,
        "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
        "cache_read_input_tokens": 0,
        "output_tokens": 1,
        "server_tool_use": {"web_search_requests": 0},
        "product": "chat",
        "model": None,
    }
    path = write(tmp_path, "nomodel.json", _report([row]))
    with pytest.raises(FileRejected, match="group_by\\[\\]=model"):
        read_with(AnalyticsUsageReportImporter(), path)


def test_costs_by_token_type_alone_are_flagged_as_missing_tool_costs(tmp_path):
    rows = [_cost(token_type="output_tokens"), _cost(token_type="uncached_input_tokens")]
    _, ctx = read_with(AnalyticsCostReportImporter(), write(tmp_path, "t.json", _report(rows)))
    assert ctx.notes and "web search and code execution are missing" in ctx.notes[0]
    both = [_cost(token_type="output_tokens", cost_type="tokens"), _cost(cost_type="web_search")]
    _, ctx = read_with(AnalyticsCostReportImporter(), write(tmp_path, "b.json", _report(both)))
    assert ctx.notes == []
