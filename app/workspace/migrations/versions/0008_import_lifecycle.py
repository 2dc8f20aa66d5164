"""Imports that were removed or wholly replaced (issue 8 review).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25

A removed import keeps its row, marked ``removed_at``, so its id is never given to another
import (a listing a user removes from stays true). An import records which earlier imports it
replaced (``replaced_batches``), so removing it can say which ones to bring back; an import
whose every day was replaced gives up its content hash, so its file can be imported again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_batches") as batch:
        batch.add_column(sa.Column("removed_at", sa.Text, nullable=True))
        batch.add_column(sa.Column("replaced_batches", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("import_batches") as batch:
        batch.drop_column("replaced_batches")
        batch.drop_column("removed_at")
