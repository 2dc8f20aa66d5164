"""What the exports of a closed period are made of, frozen at close (issue 8, case 8).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25

Periods closed before this revision have none: their exports are rebuilt from the usage lines
they billed, at today's prices (their invoice totals never change either way).
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("closed_periods") as batch:
        batch.add_column(sa.Column("export_snapshot", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("closed_periods") as batch:
        batch.drop_column("export_snapshot")
