"""Initial workspace schema: imports, rolled-up usage, statements, prices, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _text(name: str, nullable: bool = False, default: str | None = None) -> sa.Column:
    return sa.Column(
        name,
        sa.Text,
        nullable=nullable,
        server_default=None if default is None else sa.text(repr(default)),
    )


def _int(name: str, default: str | None = None) -> sa.Column:
    return sa.Column(
        name,
        sa.Integer,
        nullable=False,
        server_default=None if default is None else sa.text(default),
    )


def _batch_fk(nullable: bool = False, ondelete: str = "CASCADE") -> sa.Column:
    return sa.Column(
        "batch_id",
        sa.Integer,
        sa.ForeignKey("import_batches.id", ondelete=ondelete),
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table("settings", sa.Column("key", sa.Text, primary_key=True), _text("value"))
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer, primary_key=True),
        *[_text(n) for n in ("file_name", "file_path")],
        sa.Column("content_hash", sa.Text, nullable=False, unique=True),
        *[_text(n) for n in ("format", "kind", "source", "imported_at")],
        *[_int(n) for n in ("rows_read", "lines_added", "rows_rejected")],
        _int("rows_ignored", "0"),
        _int("duplicates_skipped"),
        _int("lines_replaced", "0"),
        *[_text(n, nullable=True) for n in ("period_start", "period_end", "cost")],
        _text("options", default=""),
    )
    op.create_table(
        "batch_coverage",
        sa.Column(
            "batch_id",
            sa.Integer,
            sa.ForeignKey("import_batches.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("day", sa.Text, primary_key=True),
        _text("start_ts"),
        _text("end_ts"),
    )
    dims = ("api_key", "api_key_id", "workspace", "workspace_id", "user", "service_account", "tags")
    op.create_table(
        "dimension_sets",
        sa.Column("id", sa.Integer, primary_key=True),
        *[_text(n, default="") for n in dims],
        sa.UniqueConstraint(*dims, name="uq_dimension_sets"),
    )
    op.create_table(
        "usage_lines",
        sa.Column("id", sa.Integer, primary_key=True),
        _batch_fk(),
        _text("day"),
        _text("period"),
        sa.Column(
            "dimension_set_id", sa.Integer, sa.ForeignKey("dimension_sets.id"), nullable=False
        ),
        *[_text(n) for n in ("model", "service_tier", "inference_geo", "context_window", "speed")],
        *[
            _int(n)
            for n in (
                "input_tokens",
                "cache_write_5m_tokens",
                "cache_write_1h_tokens",
                "cache_read_tokens",
                "output_tokens",
                "web_searches",
                "requests",
            )
        ],
        _text("code_execution_hours", nullable=True),
        _text("provided_cost", nullable=True),
    )
    op.create_index("ix_usage_lines_period", "usage_lines", ["period", "day"])
    op.create_index("ix_usage_lines_batch", "usage_lines", ["batch_id"])
    op.create_index("ix_usage_lines_dimension_set", "usage_lines", ["dimension_set_id"])
    op.create_table(
        "statement_lines",
        sa.Column("id", sa.Integer, primary_key=True),
        _batch_fk(),
        *[
            _text(n)
            for n in (
                "source",
                "day",
                "period",
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
                "amount",
            )
        ],
        _text("list_amount", nullable=True),
    )
    op.create_index("ix_statement_lines_period", "statement_lines", ["period", "source"])
    op.create_index("ix_statement_lines_batch", "statement_lines", ["batch_id"])
    op.create_table(
        "provider_invoices",
        sa.Column("period", sa.Text, primary_key=True),
        _text("invoice_number", default=""),
        *[_text(n, nullable=True) for n in ("subtotal", "discount", "credits", "tax")],
        _text("total"),
        _text("currency", default="USD"),
        _batch_fk(nullable=True, ondelete="SET NULL"),
        _text("entered_at"),
    )
    op.create_table(
        "price_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        *[_text(n) for n in ("model", "effective_from", "input", "output")],
        *[
            _text(n, nullable=True)
            for n in (
                "cache_write_5m",
                "cache_write_1h",
                "cache_read",
                "long_context_input",
                "long_context_output",
            )
        ],
        _text("note", default=""),
        _text("created_at"),
        sa.UniqueConstraint("model", "effective_from", name="uq_price_entries_model_date"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        *[_text(n) for n in ("at", "action", "detail")],
    )


def downgrade() -> None:
    for table in (
        "audit_log",
        "price_entries",
        "provider_invoices",
        "statement_lines",
        "usage_lines",
        "dimension_sets",
        "batch_coverage",
        "import_batches",
        "settings",
    ):
        op.drop_table(table)
