"""Usage lines lose the index on their dimension set (issue 9).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25

No query looks lines up by dimension set (periods group them), and every import paid to keep
the index: about a fifth of the time spent writing a large file's lines.
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_usage_lines_dimension_set", table_name="usage_lines")


def downgrade() -> None:
    op.create_index("ix_usage_lines_dimension_set", "usage_lines", ["dimension_set_id"])
