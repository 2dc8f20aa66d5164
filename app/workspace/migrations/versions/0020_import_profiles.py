"""Mapping profiles: how to read a CSV file no built-in importer knows (issue 12, the import
wizard). A profile is a JSON document (delimiter, encoding, header row, date format and each
column's canonical field or tag), found again by the file's header.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_profiles",
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("import_profiles")
