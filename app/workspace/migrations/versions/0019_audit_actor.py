"""Who made each audited change: the operating-system user and machine (issue 12, the audit
log in the window).

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-26

Entries made before this revision have no actor (empty).
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("actor", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    op.execute("ALTER TABLE audit_log DROP COLUMN actor")
