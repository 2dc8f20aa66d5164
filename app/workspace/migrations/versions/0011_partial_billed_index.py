"""The index of billed usage lines holds billed lines only (issue 9).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25

New lines are never billed, so an import no longer maintains this index; closing a month adds
its lines. Queries for unbilled lines select by period (its own index).
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_usage_lines_billed", table_name="usage_lines")
    op.execute(
        "CREATE INDEX ix_usage_lines_billed ON usage_lines (billed_period, period) "
        "WHERE billed_period IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_usage_lines_billed", table_name="usage_lines")
    op.create_index("ix_usage_lines_billed", "usage_lines", ["billed_period", "period"])
