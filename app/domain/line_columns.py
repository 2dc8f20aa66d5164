"""Column names of canonical lines, shared by the importers (which fill them) and the
workspace (which stores them)."""

from __future__ import annotations

DIMENSION_COLUMNS: tuple[str, ...] = (
    "api_key",
    "api_key_id",
    "workspace",
    "workspace_id",
    "user",
    "service_account",
    "tags",
)
"""Who-dimensions of a usage line; ``tags`` is canonical JSON of ``tag.*`` values."""

PRICING_COLUMNS: tuple[str, ...] = (
    "model",
    "service_tier",
    "inference_geo",
    "context_window",
    "speed",
    "prompt_band",
)

USAGE_KEY_COLUMNS: tuple[str, ...] = ("day", *PRICING_COLUMNS, *DIMENSION_COLUMNS)

USAGE_COUNT_COLUMNS: tuple[str, ...] = (
    "input_tokens",
    "cache_write_5m_tokens",
    "cache_write_1h_tokens",
    "cache_read_tokens",
    "output_tokens",
    "web_searches",
    "requests",
)

USAGE_COLUMNS: tuple[str, ...] = (
    *USAGE_KEY_COLUMNS,
    *USAGE_COUNT_COLUMNS,
    "code_execution_hours",
    "provided_cost",
    "provided_list_cost",
)
"""``code_execution_hours``, ``provided_cost`` and its list price ``provided_list_cost`` are
exact decimal text or ``None``."""

STATEMENT_KEY_COLUMNS: tuple[str, ...] = (
    "day",
    "model",
    "workspace",
    "workspace_id",
    "api_key",
    "api_key_id",
    "service_tier",
    "context_window",
    "inference_geo",
    "token_type",
    "cost_type",
    "description",
    "currency",
)
STATEMENT_COLUMNS: tuple[str, ...] = (*STATEMENT_KEY_COLUMNS, "amount", "list_amount")
"""``amount`` and ``list_amount`` (may be ``None``) are exact decimal text in the currency."""

PROVIDER_INVOICE_COLUMNS: tuple[str, ...] = (
    "period",
    "invoice_number",
    "subtotal",
    "discount",
    "credits",
    "tax",
    "total",
    "currency",
)
