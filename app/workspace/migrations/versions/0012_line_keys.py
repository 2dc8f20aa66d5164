"""Each usage line names its line key: pricing key, day, has usage, has a cost (issue 9).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25

SQLite sorts to group; summing a month's lines per attribution and one integer key takes half
the time of grouping by seven text columns. Existing lines get their keys here.
"""

from alembic import op

from app.workspace.migrations import portable

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

HAS_USAGE = (
    "input_tokens + cache_write_5m_tokens + cache_write_1h_tokens + cache_read_tokens "
    "+ output_tokens + web_searches > 0 "
    "OR COALESCE(code_execution_hours, '') NOT IN ('', '0')"
)
KEY_COLUMNS = "day, model, service_tier, inference_geo, context_window, speed"


def upgrade() -> None:
    has_usage, has_cost = portable.flag(HAS_USAGE), portable.flag("provided_cost IS NOT NULL")
    op.execute(
        f"CREATE TABLE line_keys ({portable.id_column()} PRIMARY KEY, day TEXT NOT NULL, "
        "model TEXT NOT NULL, service_tier TEXT NOT NULL, inference_geo TEXT NOT NULL, "
        "context_window TEXT NOT NULL, speed TEXT NOT NULL, has_usage INTEGER NOT NULL, "
        "has_provided_cost INTEGER NOT NULL, CONSTRAINT uq_line_keys UNIQUE "
        f"({KEY_COLUMNS}, has_usage, has_provided_cost))"
    )
    op.execute(
        f"INSERT INTO line_keys ({KEY_COLUMNS}, has_usage, has_provided_cost) "
        f"SELECT DISTINCT {KEY_COLUMNS}, {has_usage}, {has_cost} FROM usage_lines"
    )
    op.execute("ALTER TABLE usage_lines ADD COLUMN line_key_id INTEGER NOT NULL DEFAULT 0")
    op.execute(
        "UPDATE usage_lines SET line_key_id = (SELECT k.id FROM line_keys k "
        "WHERE k.day = usage_lines.day AND k.model = usage_lines.model "
        "AND k.service_tier = usage_lines.service_tier "
        "AND k.inference_geo = usage_lines.inference_geo "
        "AND k.context_window = usage_lines.context_window AND k.speed = usage_lines.speed "
        f"AND k.has_usage = {has_usage} "
        f"AND k.has_provided_cost = {portable.flag('usage_lines.provided_cost IS NOT NULL')})"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE usage_lines DROP COLUMN line_key_id")
    op.execute("DROP TABLE line_keys")
