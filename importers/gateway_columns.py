"""Column vocabulary of gateway request logs: which header names mean what (FORMATS.md)."""

from __future__ import annotations

TIMESTAMP_NAMES = ("timestamp", "time", "created_at", "start_time", "datetime", "date", "ts")
REQUEST_ID_NAMES = ("request_id", "id", "requestid")
TOKEN_NAMES: dict[str, tuple[str, ...]] = {
    "input_tokens": ("input_tokens", "uncached_input_tokens"),
    "output_tokens": ("output_tokens",),
    "cache_read_tokens": ("cache_read_input_tokens", "cache_read_tokens"),
    "cache_creation_total": ("cache_creation_input_tokens", "cache_write_tokens"),
    "cache_write_5m_tokens": ("cache_creation_5m_input_tokens", "ephemeral_5m_input_tokens"),
    "cache_write_1h_tokens": ("cache_creation_1h_input_tokens", "ephemeral_1h_input_tokens"),
    "web_searches": ("web_searches", "web_search_requests", "web_search_count"),
}
DIMENSION_NAMES: dict[str, tuple[str, ...]] = {
    "api_key": ("api_key", "api_key_name", "key_name"),
    "api_key_id": ("api_key_id", "key_id"),
    "workspace": ("workspace", "workspace_name"),
    "workspace_id": ("workspace_id",),
    "user": ("user", "user_id", "user_email", "email"),
    "service_account": ("service_account", "service_account_id"),
    "inference_geo": ("inference_geo", "geo"),
    "context_window": ("context_window",),
    "speed": ("speed",),
}
MODEL_NAMES = ("model", "model_id", "model_name")
BATCH_NAMES = ("is_batch", "batch")
TIER_NAMES = ("service_tier", "tier")
COST_NAMES = ("cost", "cost_usd")
TAG_ALIASES = {"application": "product", "env": "environment", "dept": "department"}
"""Header names that are spellings of a standard tag."""

IGNORED_COLUMNS = {
    "latency_ms",
    "latency",
    "duration_ms",
    "duration",
    "status",
    "status_code",
    "http_status",
    "error",
    "error_type",
    "error_message",
    "prompt",
    "completion",
    "messages",
    "response",
    "end_time",
    "endtime",
    "ip",
    "client_ip",
    "user_agent",
    "stop_reason",
    "total_tokens",
    "ttft_ms",
    "time_to_first_token_ms",
}
"""Per-request columns that would explode the rollup and say nothing about who pays."""


def first_present(header: list[str], names: tuple[str, ...]) -> str | None:
    present = set(header)
    for name in names:
        if name in present:
            return name
    return None


class GatewayColumns:
    """Resolves a lower-cased header to the fields of a gateway log; the rest become tags."""

    def __init__(self, header: list[str]) -> None:
        self.header = header
        self.timestamp = first_present(header, TIMESTAMP_NAMES)
        self.request_id = first_present(header, REQUEST_ID_NAMES)
        self.model = first_present(header, MODEL_NAMES)
        self.batch = first_present(header, BATCH_NAMES)
        self.tier = first_present(header, TIER_NAMES)
        self.cost = first_present(header, COST_NAMES)
        self.tokens = {field: first_present(header, names) for field, names in TOKEN_NAMES.items()}
        self.dimensions = {f: first_present(header, names) for f, names in DIMENSION_NAMES.items()}
        used = {
            self.timestamp,
            self.request_id,
            self.model,
            self.batch,
            self.tier,
            self.cost,
            *self.tokens.values(),
            *self.dimensions.values(),
        }
        self.tags: dict[str, str] = {}
        for column in header:
            if column in used or column in IGNORED_COLUMNS or not column:
                continue
            tag = TAG_ALIASES.get(column, column)
            if tag in self.tags.values():
                continue
            self.tags[column] = tag

    def missing_required(self) -> list[str]:
        missing = []
        if self.timestamp is None:
            missing.append("timestamp")
        if self.model is None:
            missing.append("model")
        if self.tokens["input_tokens"] is None and self.tokens["output_tokens"] is None:
            missing.append("input_tokens/output_tokens")
        return missing

    @property
    def splits_cache_writes(self) -> bool:
        """With a 1-hour column, ``cache_creation_input_tokens`` is the total of both TTLs."""
        return self.tokens["cache_write_1h_tokens"] is not None


def looks_like_gateway(header: list[str]) -> bool:
    columns = GatewayColumns(header)
    return not columns.missing_required()
