"""The dimension sets of each period's lines, listed once (issue 9).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25

A month is attributed per distinct dimension set; listing them from the lines costs a scan of
the month. Imports add the sets of the periods they touch; existing lines are listed here.
"""

from alembic import op

from app.workspace.migrations import portable

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TABLE period_dimension_sets (period TEXT NOT NULL, dimension_set_id INTEGER "
        f"NOT NULL, PRIMARY KEY (period, dimension_set_id)){portable.without_rowid()}"
    )
    op.execute(
        "INSERT INTO period_dimension_sets "
        "SELECT DISTINCT period, dimension_set_id FROM usage_lines"
    )


def downgrade() -> None:
    op.execute("DROP TABLE period_dimension_sets")
