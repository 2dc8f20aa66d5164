"""Each usage line records the period whose invoices billed it (issue 8: billed exactly once).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

Before this revision a closed period remembered only the last import it included, and late
usage was recomputed into "the next open period" every time — so it was billed again after that
period closed too. Existing closed periods are back-filled: a period's own lines up to its last
import were billed by it; a late line was billed by the earliest later closed period whose close
came after the line's import (the draft that showed it as prior-period usage when it closed).
"""

import sqlalchemy as sa
from alembic import op

_MONTH_INDEX = "(CAST(substr({p}, 1, 4) AS INTEGER) * 12 + CAST(substr({p}, 6, 2) AS INTEGER))"

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("usage_lines") as batch:
        batch.add_column(sa.Column("billed_period", sa.Text, nullable=True))
    op.create_index("ix_usage_lines_billed", "usage_lines", ["billed_period", "period"])
    op.execute(
        """
        UPDATE usage_lines SET billed_period = period
        WHERE batch_id <= (SELECT c.last_batch_id FROM closed_periods c
                           WHERE c.period = usage_lines.period)
        """
    )
    # A late line was billed by closed month c if c's close came after the line's import and c
    # was then the first open month after the line's own: every month in between had already
    # been closed (closed_at compares as ISO text).
    op.execute(
        f"""
        UPDATE usage_lines SET billed_period = (
            SELECT MIN(c.period) FROM closed_periods c
            WHERE c.period > usage_lines.period
              AND c.last_batch_id >= usage_lines.batch_id
              AND (SELECT COUNT(*) FROM closed_periods b
                   WHERE b.period > usage_lines.period AND b.period < c.period
                     AND b.closed_at <= c.closed_at)
                  = {_MONTH_INDEX.format(p="c.period")}
                    - {_MONTH_INDEX.format(p="usage_lines.period")} - 1)
        WHERE billed_period IS NULL
          AND period IN (SELECT period FROM closed_periods)
        """
    )


def downgrade() -> None:
    op.drop_index("ix_usage_lines_billed", "usage_lines")
    with op.batch_alter_table("usage_lines") as batch:
        batch.drop_column("billed_period")
