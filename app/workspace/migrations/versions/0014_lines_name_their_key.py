"""Usage lines keep their pricing fields in their line key only (issue 9).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25

Model, service tier, inference geo, context window and speed are in ``line_keys`` since 0012;
dropping the copies makes each line 40-odd bytes smaller, an import faster and every scan of a
month shorter. The table is copied once (five ``DROP COLUMN`` would rewrite it five times).
"""

from alembic import op

from app.workspace.migrations import portable

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

KEPT = (
    "id, batch_id, day, period, dimension_set_id, input_tokens, cache_write_5m_tokens, "
    "cache_write_1h_tokens, cache_read_tokens, output_tokens, web_searches, requests, "
    "code_execution_hours, provided_cost, billed_period, line_key_id"
)
INDEXES = (
    "CREATE INDEX ix_usage_lines_period ON usage_lines (period, day)",
    "CREATE INDEX ix_usage_lines_batch ON usage_lines (batch_id)",
    "CREATE INDEX ix_usage_lines_billed ON usage_lines (billed_period, period) "
    "WHERE billed_period IS NOT NULL",
)


def upgrade() -> None:
    count = portable.count_type()
    op.execute(
        "CREATE TABLE usage_lines_slim ("
        f"{portable.id_column(big=True)}, "
        "batch_id INTEGER NOT NULL, "
        "day TEXT NOT NULL, "
        "period TEXT NOT NULL, "
        "dimension_set_id INTEGER NOT NULL, "
        f"input_tokens {count} NOT NULL, "
        f"cache_write_5m_tokens {count} NOT NULL, "
        f"cache_write_1h_tokens {count} NOT NULL, "
        f"cache_read_tokens {count} NOT NULL, "
        f"output_tokens {count} NOT NULL, "
        f"web_searches {count} NOT NULL, "
        f"requests {count} NOT NULL, "
        "code_execution_hours TEXT, "
        "provided_cost TEXT, "
        "billed_period TEXT, "
        "line_key_id INTEGER NOT NULL, "
        "PRIMARY KEY (id), "
        "FOREIGN KEY(batch_id) REFERENCES import_batches (id) ON DELETE CASCADE, "
        "FOREIGN KEY(dimension_set_id) REFERENCES dimension_sets (id))"
    )
    op.execute(f"INSERT INTO usage_lines_slim ({KEPT}) SELECT {KEPT} FROM usage_lines")
    op.execute("DROP TABLE usage_lines")
    op.execute("ALTER TABLE usage_lines_slim RENAME TO usage_lines")
    portable.continue_ids("usage_lines")
    for index in INDEXES:
        op.execute(index)


def downgrade() -> None:
    for column in ("model", "service_tier", "inference_geo", "context_window", "speed"):
        op.execute(f"ALTER TABLE usage_lines ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
        op.execute(
            f"UPDATE usage_lines SET {column} = "
            f"(SELECT k.{column} FROM line_keys k WHERE k.id = usage_lines.line_key_id)"
        )
