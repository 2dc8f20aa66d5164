"""Usage lines are found by their day; one index instead of two (issue 9).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25

Every query for lines names their days: a month is a range of days, an import's lines lie
between its first and last day (``import_batches.period_start``/``period_end``). One index on
the day serves both, and an import of a quarter million lines no longer maintains two (a tenth
of its time).
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_usage_lines_period", table_name="usage_lines")
    op.drop_index("ix_usage_lines_batch", table_name="usage_lines")
    op.create_index("ix_usage_lines_day", "usage_lines", ["day"])


def downgrade() -> None:
    op.drop_index("ix_usage_lines_day", table_name="usage_lines")
    op.create_index("ix_usage_lines_period", "usage_lines", ["period", "day"])
    op.create_index("ix_usage_lines_batch", "usage_lines", ["batch_id"])
