"""Monthly exchange rates into the company's own currency (issue 15).

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-26

One rate per month and currency, with where it was read (an ECB reference rate, the treasury's
month-end rate, …); a month closes with the rate of that moment, frozen in its document.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_rates",
        sa.Column("period", sa.Text(), primary_key=True),
        sa.Column("currency", sa.Text(), primary_key=True),
        sa.Column("rate", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("entered_at", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("exchange_rates")
