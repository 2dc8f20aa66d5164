"""A price entry can carry its model's fast-mode multiplier (issue 10).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-25

Fast mode (``speed = fast``) multiplies every token rate of the models that offer it: × 2 on
Opus 5.5, Opus 5 and Opus 4.8, × 6 on Opus 4.7 and 4.6 (CHARGEBACK_MATH.md §1).
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("price_entries", sa.Column("fast_multiplier", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("price_entries") as batch:
        batch.drop_column("fast_multiplier")
