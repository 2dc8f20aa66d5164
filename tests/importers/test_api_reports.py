"""Admin API usage and cost reports and Claude Code analytics, hand-checked on the samples."""

import json
from decimal import Decimal

import pytest

from importers import detect_path
from importers.anthropic_cost import AnthropicCostReportImporter
from importers.anthropic_usage import AnthropicUsageReportImporter
from importers.base import FileRejected
from importers.claude_code import ClaudeCodeAnalyticsImporter
from tests.importers.helpers import read_with, write


def test_usage_report_page(data_dir):
    _, importer = detect_path(data_dir / "anthropic_usage_report_page1.json")
    assert isinstance(importer, AnthropicUsageReportImporter)
    data, ctx = read_with(importer, data_dir / "anthropic_usage_report_page1.json")
    assert ctx.rows_read == 3 and ctx.errors == []
    frame = data.frame.set_index("model")
    assert frame.loc["claude-opus-4-7", "input_tokens"] == 4_200_000
    assert frame.loc["claude-opus-4-7", "cache_write_5m_tokens"] == 250_000
    assert frame.loc["claude-opus-4-7", "service_tier"] == "batch"
    assert frame.loc["claude-haiku-4-5", "cache_write_1h_tokens"] == 400_000
    assert frame.loc["claude-haiku-4-5", "web_searches"] == 37
    assert frame.loc["claude-sonnet-4-6", "inference_geo"] == "us"
    assert frame.loc["claude-sonnet-4-6", "api_key_id"] == ""
    # The empty bucket of Oct 2 still counts as covered (zero usage that day).
    assert data.coverage["2026-10-02"] == ("2026-10-02T00:00:00Z", "2026-10-03T00:00:00Z")


def test_usage_report_array_of_pages(tmp_path, data_dir):
    page = json.loads((data_dir / "anthropic_usage_report_page1.json").read_text())
    second = {
        "data": [
            {
                "starting_at": "2026-10-03T00:00:00Z",
                "ending_at": "2026-10-04T00:00:00Z",
                "results": [page["data"][0]["results"][0]],
            }
        ],
        "has_more": False,
        "next_page": None,
    }
    path = write(tmp_path, "pages.json", json.dumps([page, second]))
    data, ctx = read_with(AnthropicUsageReportImporter(), path)
    assert ctx.rows_read == 4
    assert sorted(data.frame["day"].unique()) == ["2026-10-01", "2026-10-03"]


def test_usage_report_bad_values_are_numbered(tmp_path):
    doc = {
        "data": [
            {
                "starting_at": "2026-10-01T00:00:00Z",
                "ending_at": "2026-10-02T00:00:00Z",
                "results": [
                    {"model": "claude-haiku-4-5", "uncached_input_tokens": "many"},
                    {
                        "model": "claude-haiku-4-5",
                        "cache_creation": {"ephemeral_5m_input_tokens": -1},
                    },
                ],
            }
        ]
    }
    path = write(tmp_path, "bad.json", json.dumps(doc))
    _, ctx = read_with(AnthropicUsageReportImporter(), path)
    assert [(e.line, e.column) for e in ctx.errors] == [
        (1, "uncached_input_tokens"),
        (2, "cache_creation.ephemeral_5m_input_tokens"),
    ]


@pytest.mark.parametrize(
    "text", ['{"data": 3}', "[1, 2]", '{"data": [{"starting_at": "never", "ending_at": "x"}]}']
)
def test_usage_report_structure_errors(tmp_path, text):
    with pytest.raises(FileRejected):
        read_with(AnthropicUsageReportImporter(), write(tmp_path, "x.json", text))


def test_cost_report_cents_to_dollars_exactly(data_dir):
    _, importer = detect_path(data_dir / "anthropic_cost_report.json")
    assert isinstance(importer, AnthropicCostReportImporter)
    data, _ = read_with(importer, data_dir / "anthropic_cost_report.json")
    amounts = [Decimal(a) for a in data.frame["amount"]]
    # 1050.00 + 762.50 + 37.00 + 12.34567 cents
    assert sum(amounts) == Decimal("18.6184567")
    assert Decimal("0.1234567") in amounts
    code = data.frame[data.frame["cost_type"] == "code_execution"].iloc[0]
    assert code["model"] == "" and code["service_tier"] == ""


def test_cost_report_rejects_non_numeric_amounts(tmp_path):
    doc = {
        "data": [
            {
                "starting_at": "2026-10-01T00:00:00Z",
                "ending_at": "2026-10-02T00:00:00Z",
                "results": [{"amount": "12,5", "cost_type": "tokens"}],
            }
        ]
    }
    _, ctx = read_with(AnthropicCostReportImporter(), write(tmp_path, "c.json", json.dumps(doc)))
    assert ctx.errors[0].column == "amount"


CLAUDE_CODE = {
    "data": [
        {
            "actor": {"type": "user_actor", "email_address": "ana@example.com"},
            "date": "2026-10-05T00:00:00Z",
            "terminal_type": "vscode",
            "core_metrics": {},
            "model_breakdown": [
                {
                    "model": "claude-sonnet-4-6",
                    "tokens": {
                        "input": 1000,
                        "output": 200,
                        "cache_read": 5000,
                        "cache_creation": 300,
                    },
                    "estimated_cost": {"amount": 123.5, "currency": "USD"},
                },
                {
                    "model": "claude-opus-4-8",
                    "tokens": {"input": 10, "output": 1, "cache_read": 0, "cache_creation": 0},
                    "estimated_cost": {"amount": 7, "currency": "USD"},
                },
            ],
        },
        {
            "actor": {"type": "api_actor", "api_key_name": "ci-bot"},
            "date": "2026-10-06",
            "terminal_type": "non-interactive",
            "core_metrics": {},
            "model_breakdown": [
                {
                    "model": "claude-haiku-4-5",
                    "tokens": {"input": 50, "output": 5, "cache_read": 0, "cache_creation": 0},
                    "estimated_cost": {"amount": 0.01, "currency": "USD"},
                }
            ],
        },
    ],
    "has_more": False,
    "next_page": None,
}


def test_claude_code_lines_per_user_and_model(tmp_path):
    path = write(tmp_path, "cc.json", json.dumps(CLAUDE_CODE))
    _, importer = detect_path(path)
    assert isinstance(importer, ClaudeCodeAnalyticsImporter)
    data, ctx = read_with(importer, path)
    assert ctx.rows_read == 2 and ctx.errors == []
    rows = data.frame.set_index("model")
    assert rows.loc["claude-sonnet-4-6", "user"] == "ana@example.com"
    assert rows.loc["claude-sonnet-4-6", "cache_write_5m_tokens"] == 300
    assert Decimal(rows.loc["claude-sonnet-4-6", "provided_cost"]) == Decimal("1.235")
    assert rows.loc["claude-haiku-4-5", "api_key"] == "ci-bot"
    assert rows.loc["claude-haiku-4-5", "tags"] == '{"terminal_type":"non-interactive"}'
    assert Decimal(rows.loc["claude-haiku-4-5", "provided_cost"]) == Decimal("0.0001")


def test_claude_code_actor_is_required(tmp_path):
    doc = {"data": [{"date": "2026-10-05", "model_breakdown": []}]}
    _, ctx = read_with(ClaudeCodeAnalyticsImporter(), write(tmp_path, "cc.json", json.dumps(doc)))
    assert ctx.errors[0].column == "actor"
