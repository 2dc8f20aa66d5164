"""Policy versions (taxonomy, rules, pools, settings as applied) and budgets.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("applied_at", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_table(
        "budgets",
        sa.Column("team", sa.Text, primary_key=True),
        sa.Column("month", sa.Text, primary_key=True),
        sa.Column("product", sa.Text, primary_key=True, server_default=sa.text("''")),
        sa.Column("amount", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("budgets")
    op.drop_table("policy_versions")
