"""Tables of a workspace file (SQLAlchemy Core). Created and changed only by migrations.

Money is stored as exact decimal TEXT on both engines (summed with the ``dec_sum`` aggregate:
Python's Decimal on SQLite, NUMERIC on PostgreSQL) and token counts as 64-bit integers; usage
lines are rolled up on import and never hold raw requests.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

COUNT = Integer().with_variant(BigInteger(), "postgresql")
"""Counts that may pass 2^31 (a day's tokens of one key): 64-bit on both engines (SQLite's
INTEGER is)."""

settings = Table(
    "settings",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file_name", Text, nullable=False),
    Column("file_path", Text, nullable=False),
    Column("content_hash", Text, nullable=False, unique=True),
    Column("format", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("imported_at", Text, nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("lines_added", Integer, nullable=False),
    Column("rows_rejected", Integer, nullable=False),
    Column("rows_ignored", Integer, nullable=False, server_default="0"),
    Column("duplicates_skipped", Integer, nullable=False),
    Column("lines_replaced", Integer, nullable=False, server_default="0"),
    Column("period_start", Text),
    Column("period_end", Text),
    Column("cost", Text),
    Column("options", Text, nullable=False, server_default=""),
    Column("requests_already_imported", Integer, nullable=False, server_default="0"),
    Column("removed_at", Text),
    Column("replaced_batches", Text, nullable=False, server_default=""),
)

batch_coverage = Table(
    "batch_coverage",
    metadata,
    Column(
        "batch_id", Integer, ForeignKey("import_batches.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("day", Text, primary_key=True),
    Column("start_ts", Text, nullable=False),
    Column("end_ts", Text, nullable=False),
)

dimension_sets = Table(
    "dimension_sets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("api_key", Text, nullable=False, server_default=""),
    Column("api_key_id", Text, nullable=False, server_default=""),
    Column("workspace", Text, nullable=False, server_default=""),
    Column("workspace_id", Text, nullable=False, server_default=""),
    Column("user", Text, nullable=False, server_default=""),
    Column("service_account", Text, nullable=False, server_default=""),
    Column("tags", Text, nullable=False, server_default=""),
    UniqueConstraint(
        "api_key",
        "api_key_id",
        "workspace",
        "workspace_id",
        "user",
        "service_account",
        "tags",
        name="uq_dimension_sets",
    ),
)

line_keys = Table(
    "line_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("day", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("service_tier", Text, nullable=False),
    Column("inference_geo", Text, nullable=False),
    Column("context_window", Text, nullable=False),
    Column("speed", Text, nullable=False),
    Column("prompt_band", Text, nullable=False),
    Column("has_usage", Integer, nullable=False),
    Column("has_provided_cost", Integer, nullable=False),
    UniqueConstraint(
        "day",
        "model",
        "service_tier",
        "inference_geo",
        "context_window",
        "speed",
        "prompt_band",
        "has_usage",
        "has_provided_cost",
        name="uq_line_keys",
    ),
)
"""What a usage line is priced by — its pricing key and day — and whether it has usage to
price or a cost of its own: lines are summed per key as one integer, not seven text columns."""

period_dimension_sets = Table(
    "period_dimension_sets",
    metadata,
    Column("period", Text, primary_key=True),
    Column("dimension_set_id", Integer, primary_key=True),
    sqlite_with_rowid=False,
)
"""Which dimension sets a period's lines have (or had: a superset after removals), so a month
is attributed without reading its lines twice."""

usage_lines = Table(
    "usage_lines",
    metadata,
    Column("id", COUNT, primary_key=True),
    Column(
        "batch_id", Integer, ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False
    ),
    Column("day", Text, nullable=False),
    Column("period", Text, nullable=False),
    Column("dimension_set_id", Integer, ForeignKey("dimension_sets.id"), nullable=False),
    Column("input_tokens", COUNT, nullable=False),
    Column("cache_write_5m_tokens", COUNT, nullable=False),
    Column("cache_write_1h_tokens", COUNT, nullable=False),
    Column("cache_read_tokens", COUNT, nullable=False),
    Column("output_tokens", COUNT, nullable=False),
    Column("web_searches", COUNT, nullable=False),
    Column("requests", COUNT, nullable=False),
    Column("code_execution_hours", Text),
    Column("provided_cost", Text),
    Column("billed_period", Text),
    Column("line_key_id", Integer, nullable=False),
    Column("provided_list_cost", Text),
    # Lines are found by day: a month is a range of days, an import's lines lie between its
    # first and last day (see app.workspace.usage_queries.scope_sql).
    Index("ix_usage_lines_day", "day"),
    Index(
        "ix_usage_lines_billed",
        "billed_period",
        "period",
        sqlite_where=text("billed_period IS NOT NULL"),
    ),
)
"""Usage rolled up per day and dimensions; ``billed_period`` is the closed period whose invoices
billed the line (its own month, or a later one as prior-period usage), NULL while unbilled. The
model, tier, geo, context window, speed and prompt band are the line key's (:data:`line_keys`;
keys are never deleted)."""

statement_lines = Table(
    "statement_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "batch_id", Integer, ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False
    ),
    Column("source", Text, nullable=False),
    Column("day", Text, nullable=False),
    Column("period", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("workspace", Text, nullable=False),
    Column("workspace_id", Text, nullable=False),
    Column("api_key", Text, nullable=False),
    Column("api_key_id", Text, nullable=False),
    Column("service_tier", Text, nullable=False),
    Column("context_window", Text, nullable=False),
    Column("inference_geo", Text, nullable=False),
    Column("token_type", Text, nullable=False),
    Column("cost_type", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("currency", Text, nullable=False),
    Column("amount", Text, nullable=False),
    Column("list_amount", Text),
    Index("ix_statement_lines_period", "period", "source"),
    Index("ix_statement_lines_batch", "batch_id"),
)

provider_invoices = Table(
    "provider_invoices",
    metadata,
    Column("period", Text, primary_key=True),
    Column("invoice_number", Text, nullable=False, server_default=""),
    Column("subtotal", Text),
    Column("discount", Text),
    Column("credits", Text),
    Column("tax", Text),
    Column("total", Text, nullable=False),
    Column("currency", Text, nullable=False, server_default="USD"),
    Column("batch_id", Integer, ForeignKey("import_batches.id", ondelete="SET NULL")),
    Column("entered_at", Text, nullable=False),
)

price_entries = Table(
    "price_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("model", Text, nullable=False),
    Column("effective_from", Text, nullable=False),
    Column("input", Text, nullable=False),
    Column("output", Text, nullable=False),
    Column("cache_write_5m", Text),
    Column("cache_write_1h", Text),
    Column("cache_read", Text),
    Column("long_context_input", Text),
    Column("long_context_output", Text),
    Column("note", Text, nullable=False, server_default=""),
    Column("created_at", Text, nullable=False),
    Column("fast_multiplier", Text),
    Column("high_band_input", Text),
    Column("high_band_output", Text),
    UniqueConstraint("model", "effective_from", name="uq_price_entries_model_date"),
)

contract_discounts = Table(
    "contract_discounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("model", Text, nullable=False),
    Column("effective_from", Text, nullable=False),
    Column("percent", Text, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("created_at", Text, nullable=False),
    UniqueConstraint("model", "effective_from", name="uq_contract_discounts_model_date"),
)
"""Negotiated discounts on token rates (percent, from a date on); ``model`` empty: every
model."""

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("actor", Text, nullable=False, server_default=""),
)
"""Every change to a workspace: when, what (``action`` and a JSON ``detail``) and who (the
operating-system user and machine; empty before migration 0019)."""

import_profiles = Table(
    "import_profiles",
    metadata,
    Column("name", Text, primary_key=True),
    Column("document", Text, nullable=False),
    Column("saved_at", Text, nullable=False),
)
"""Mapping profiles for CSV files no built-in importer knows (the policy file's shape)."""

policy_versions = Table(
    "policy_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("applied_at", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("document", Text, nullable=False),
)
"""Every applied policy, whole; the newest is in force (the history is the audit trail)."""

budgets = Table(
    "budgets",
    metadata,
    Column("team", Text, primary_key=True),
    Column("month", Text, primary_key=True),
    Column("product", Text, primary_key=True, server_default=""),
    Column("amount", Text, nullable=False),
)

request_ids = Table(
    "request_ids",
    metadata,
    Column(
        "batch_id", Integer, ForeignKey("import_batches.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("day", Text, primary_key=True),
    Column("source", Text, nullable=False),
    Column("count", Integer, nullable=False),
    Column("hashes", LargeBinary, nullable=False),
    Index("ix_request_ids_source_day", "source", "day"),
)
"""Sorted 64-bit hashes of the request ids an import added, per day: later files of the same
source skip these requests and add only new ones."""

closed_periods = Table(
    "closed_periods",
    metadata,
    Column("period", Text, primary_key=True),
    Column("closed_at", Text, nullable=False),
    Column("last_batch_id", Integer, nullable=False),
    Column("document", Text, nullable=False),
    Column("export_snapshot", Text),
)
"""A closed (final) period: the frozen invoice document and the newest import it included; the
lines it billed carry its period in ``usage_lines.billed_period``."""

business_metrics = Table(
    "business_metrics",
    metadata,
    Column("period", Text, primary_key=True),
    Column("team", Text, primary_key=True),
    Column("metric", Text, primary_key=True),
    Column("value", Text, nullable=False),
)
"""Units of value per team and month (tickets resolved, documents processed, …)."""

data_version = Table(
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token", Text, nullable=False),
    Column("counter", COUNT, nullable=False),
)
"""One row: a random token per workspace file and a counter that triggers bump on every change
to what periods are computed from (migration 0010); computed periods are reused until then."""

exchange_rates = Table(
    "exchange_rates",
    metadata,
    Column("period", Text, primary_key=True),
    Column("currency", Text, primary_key=True),
    Column("rate", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("entered_at", Text, nullable=False),
)
"""Units of the company's own currency per unit of the bill's, per month, with their source
(migration 0022); a month's rate is frozen into its document when it closes."""

disputes = Table(
    "disputes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("period", Text, nullable=False),
    Column("team", Text, nullable=False),
    Column("document_number", Text, nullable=False),
    Column("line_kind", Text, nullable=False),
    Column("line_label", Text, nullable=False),
    Column("line_amount", Text, nullable=False),
    Column("amount", Text, nullable=False),
    Column("raised_by", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("recorded_at", Text, nullable=False),
    Column("recorded_by", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="open"),
    Column("accepted_amount", Text),
    Column("move_to", Text),
    Column("decision_reason", Text),
    Column("decided_at", Text),
    Column("decided_by", Text),
    Column("billed_in", Text),
    Index("ix_disputes_status", "status"),
)
"""Contested lines of closed statements and invoices (migration 0023): open, accepted or
rejected; an accepted dispute's adjustment is billed once, by the month named in
``billed_in`` once that month closes."""
