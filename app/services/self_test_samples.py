"""Tiny files in every import format, written and imported by ``--self-test``."""

from __future__ import annotations

SAMPLES: dict[str, tuple[str, str | bytes]] = {
    "gateway-csv": (
        "gateway.csv",
        "timestamp,request_id,team,model,input_tokens,output_tokens\n"
        "2026-10-01T08:00:00Z,r1,data,claude-haiku-4-5,1000000,0\n"
        "2026-10-01T08:00:01Z,r1,data,claude-haiku-4-5,1000000,0\n",
    ),
    "gateway-jsonl": (
        "gateway.jsonl",
        '{"timestamp": "2026-10-02T08:00:00Z", "request_id": "j1", '
        '"model": "claude-sonnet-4-6", "input_tokens": 1000000, '
        '"output_tokens": 0}\n',
    ),
    "anthropic-usage-json": (
        "usage.json",
        '{"data": [{"starting_at": "2026-10-03T00:00:00Z", "ending_at": '
        '"2026-10-04T00:00:00Z", "results": [{"api_key_id": "k", "workspace_id": null, '
        '"model": "claude-opus-4-7", "service_tier": "batch", "context_window": "0-200k", '
        '"inference_geo": "global", "uncached_input_tokens": 1000000, "cache_creation": '
        '{"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0}, '
        '"cache_read_input_tokens": 0, "output_tokens": 0, "server_tool_use": '
        '{"web_search_requests": 0}}]}], "has_more": false, "next_page": null}',
    ),
    "anthropic-cost-json": (
        "cost.json",
        '{"data": [{"starting_at": "2026-10-01T00:00:00Z", "ending_at": '
        '"2026-10-02T00:00:00Z", "results": [{"amount": "250.5", "currency": "USD", '
        '"workspace_id": null, "description": "Claude Haiku 4.5 Usage - Input Tokens", '
        '"cost_type": "tokens", "model": "claude-haiku-4-5", "token_type": '
        '"uncached_input_tokens", "service_tier": "standard", "context_window": "0-200k", '
        '"inference_geo": "global"}]}], "has_more": false, "next_page": null}',
    ),
    "claude-code-json": (
        "claude_code.json",
        '{"data": [{"actor": {"type": "user_actor", "email_address": "dev@example.com"}, '
        '"date": "2026-10-04T00:00:00Z", "terminal_type": "vscode", "core_metrics": {}, '
        '"model_breakdown": [{"model": "claude-sonnet-4-6", "tokens": {"input": 1000, '
        '"output": 100, "cache_read": 0, "cache_creation": 0}, "estimated_cost": '
        '{"amount": 45, "currency": "USD"}}]}], "has_more": false, "next_page": null}',
    ),
    "litellm-jsonl": (
        "spend.jsonl",
        '{"request_id": "l1", "call_type": "acompletion", "model": "gpt-4o", "usage": '
        '{"prompt_tokens": 10, "completion_tokens": 2}, "startTime": "2026-10-05T09:00:00", '
        '"response_cost": 0.0011, "status": "success"}\n',
    ),
    "litellm-csv": (
        "spend.csv",
        "request_id,call_type,api_key,spend,total_tokens,prompt_tokens,completion_tokens,"
        "startTime,endTime,model,user,team_id\n"
        "c1,acompletion,hash1,0.25,30,20,10,2026-10-06T09:00:00,2026-10-06T09:00:01,"
        "claude-haiku-4-5,alice,data\n",
    ),
    "console-usage-csv": (
        "console_usage.csv",
        "usage_date_utc,model_version,api_key,workspace,usage_type,context_window,"
        "usage_input_tokens_no_cache,usage_input_tokens_cache_write_5m,"
        "usage_input_tokens_cache_write_1h,usage_input_tokens_cache_read,usage_output_tokens,"
        "web_search_count,inference_geo,speed\n"
        "2026-10-07,claude-haiku-4-5,eng,Default,standard,\u2264 200k,1000000,0,0,0,0,0,"
        "global,\n",
    ),
    "console-cost-csv": (
        "console_cost.csv",
        "usage_date_utc,model,workspace,api_key,usage_type,context_window,token_type,cost_usd,"
        "cost_type,inference_geo,speed\n"
        "2026-10-07,Claude Haiku 4.5,Default,eng,message,\u2264 200k,input_no_cache,1.00,token,"
        "global,\n",
    ),
    "focus-csv": (
        "focus.csv",
        "BilledCost,EffectiveCost,ListCost,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,"
        "ServiceName,ProviderName,SubAccountId,SubAccountName,SkuId,Tags\n"
        "1.50,1.50,1.50,2026-10-08 00:00:00,2026-10-09 00:00:00,Usage,Claude,Anthropic,"
        'w1,Default,claude-haiku-4-5,"{""team"": ""data""}"\n',
    ),
    "anthropic-analytics-usage-json": (
        "analytics_usage.json",
        '{"data": [{"starting_at": "2026-10-09T00:00:00Z", "ending_at": '
        '"2026-10-10T00:00:00Z", "results": [{"product": "chat", "model": '
        '"claude-sonnet-5-5", "rbac_group_id": null, "uncached_input_tokens": 1000, '
        '"cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0}, '
        '"cache_read_input_tokens": 0, "output_tokens": 10, "server_tool_use": '
        '{"web_search_requests": 0}, "requests": 1}]}], "has_more": false, "next_page": null}',
    ),
    "anthropic-analytics-cost-json": (
        "analytics_cost.json",
        '{"data": [{"starting_at": "2026-10-10T00:00:00Z", "ending_at": '
        '"2026-10-11T00:00:00Z", "results": [{"product": "claude_code", "model": '
        '"claude-opus-5-5", "amount": "85", "list_amount": "100", "currency": "USD", '
        '"requests": 1}]}], "has_more": false, "next_page": null}',
    ),
    "anthropic-analytics-user-usage-json": (
        "analytics_user_usage.json",
        '{"data": [{"actor": {"type": "user_actor", "user_id": "u1", "email_address": '
        '"dev@example.com", "name": "Dev", "deleted": false}, "starting_at": '
        '"2026-10-11T00:00:00Z", "ending_at": "2026-10-12T00:00:00Z", "product": "chat", '
        '"model": "claude-haiku-4-5", "uncached_input_tokens": 1000, "cache_creation": '
        '{"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0}, '
        '"cache_read_input_tokens": 0, "output_tokens": 10, "server_tool_use": '
        '{"web_search_requests": 0}, "total_tokens": 1010}], "has_more": false, '
        '"next_page": null}',
    ),
    "anthropic-analytics-user-cost-json": (
        "analytics_user_cost.json",
        '{"data": [{"actor": {"type": "user_actor", "user_id": "u1", "email_address": '
        '"dev@example.com", "name": "Dev", "deleted": false}, "starting_at": '
        '"2026-10-12T00:00:00Z", "ending_at": "2026-10-13T00:00:00Z", "product": "chat", '
        '"model": "claude-sonnet-5-5", "amount": "12.5", "list_amount": "15", '
        '"currency": "USD"}], "has_more": false, "next_page": null}',
    ),
    "provider-invoice-pdf": (
        "invoice.pdf",
        # A one-page Stripe-style invoice for September ($9.00), written by
        # tests/importers/invoice_pdfs.py: the byte offsets of its cross-reference table count.
        (
            b"%PDF-1.4\n"
            b"1 0 obj\n"
            b"<< /Type /Catalog /Pages 2 0 R >>\n"
            b"endobj\n"
            b"2 0 obj\n"
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>\n"
            b"endobj\n"
            b"3 0 obj\n"
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>\n"
            b"endobj\n"
            b"4 0 obj\n"
            b"<< /Length 1171 >>\n"
            b"stream\n"
            b"BT /F1 20 Tf 50 740 Td (Invoice) Tj ET\n"
            b"BT /F1 10 Tf 50 712 Td (Invoice number) Tj ET\n"
            b"BT /F1 10 Tf 160 712 Td (7F3A2C1B-0011) Tj ET\n"
            b"BT /F1 10 Tf 50 698 Td (Date of issue) Tj ET\n"
            b"BT /F1 10 Tf 160 698 Td (October 1, 2026) Tj ET\n"
            b"BT /F1 10 Tf 50 684 Td (Date due) Tj ET\n"
            b"BT /F1 10 Tf 160 684 Td (December 1, 2026) Tj ET\n"
            b"BT /F1 10 Tf 50 650 Td (Anthropic, PBC) Tj ET\n"
            b"BT /F1 10 Tf 300 650 Td (Bill to) Tj ET\n"
            b"BT /F1 10 Tf 300 636 Td (Example Corp) Tj ET\n"
            b"BT /F1 14 Tf 50 600 Td ($9.00 USD due December 1, 2026) Tj ET\n"
            b"BT /F1 9 Tf 50 560 Td (Description) Tj ET\n"
            b"BT /F1 9 Tf 330 560 Td (Qty) Tj ET\n"
            b"BT /F1 9 Tf 400 560 Td (Unit price) Tj ET\n"
            b"BT /F1 9 Tf 520 560 Td (Amount) Tj ET\n"
            b"BT /F1 10 Tf 50 540.0 Td (Claude API usage) Tj ET\n"
            b"BT /F1 10 Tf 330 540.0 Td (1) Tj ET\n"
            b"BT /F1 10 Tf 400 540.0 Td ($9.00) Tj ET\n"
            b"BT /F1 10 Tf 520 540.0 Td ($9.00) Tj ET\n"
            b"BT /F1 8 Tf 50 528.0 Td (Sep 1 \x96 Sep 30, 2026) Tj ET\n"
            b"BT /F1 10 Tf 330 506.0 Td (Subtotal) Tj ET\n"
            b"BT /F1 10 Tf 520 506.0 Td ($9.00) Tj ET\n"
            b"BT /F1 10 Tf 330 490.0 Td (Total) Tj ET\n"
            b"BT /F1 10 Tf 520 490.0 Td ($9.00) Tj ET\n"
            b"BT /F1 10 Tf 330 474.0 Td (Amount due) Tj ET\n"
            b"BT /F1 10 Tf 520 474.0 Td ($9.00) Tj ET\n"
            b"BT /F1 8 Tf 50 60 Td (Page 1 of 1) Tj ET\n"
            b"endstream\n"
            b"endobj\n"
            b"5 0 obj\n"
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\n"
            b"endobj\n"
            b"xref\n"
            b"0 6\n"
            b"0000000000 65535 f \n"
            b"0000000009 00000 n \n"
            b"0000000058 00000 n \n"
            b"0000000115 00000 n \n"
            b"0000000241 00000 n \n"
            b"0000001463 00000 n \n"
            b"trailer\n"
            b"<< /Size 6 /Root 1 0 R >>\n"
            b"startxref\n"
            b"1560\n"
            b"%%EOF\n"
        ),
    ),
    "provider-invoice-csv": (
        "invoice.csv",
        "period,invoice_number,subtotal,discount,credits,tax,total,currency\n"
        "2026-10,INV-1,10.00,-1.00,0.00,0.00,9.00,USD\n",
    ),
}
"""Format id → (file name, content: text, or bytes for a binary format)."""
