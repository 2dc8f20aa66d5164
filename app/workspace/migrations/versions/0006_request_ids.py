"""Request ids of sources that have them (gateway, LiteLLM), so late logs add only new requests.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25

Stored as one blob of sorted 64-bit hashes per import and day (8 bytes a request). Imports made
before this revision stored none: their requests are not recognised by later files.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "request_ids",
        sa.Column(
            "batch_id",
            sa.Integer,
            sa.ForeignKey("import_batches.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("day", sa.Text, primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("hashes", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_request_ids_source_day", "request_ids", ["source", "day"])
    with op.batch_alter_table("import_batches") as batch:
        batch.add_column(
            sa.Column("requests_already_imported", sa.Integer, nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("import_batches") as batch:
        batch.drop_column("requests_already_imported")
    op.drop_index("ix_request_ids_source_day", "request_ids")
    op.drop_table("request_ids")
