"""Net and list: a usage line keeps the list price of its own cost; contract discounts
(issue 10).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-26

Sources that report a cost report a list price next to it (FOCUS ``ListCost``, the Analytics
cost report's ``list_amount``): the difference is the negotiated discount. Usage priced from
tokens gets its discount from the price book's contract discounts: a percentage from a date
on, on one model or on every model (``model`` empty).
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("usage_lines", sa.Column("provided_list_cost", sa.Text(), nullable=True))
    op.create_table(
        "contract_discounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("effective_from", sa.Text(), nullable=False),
        sa.Column("percent", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.UniqueConstraint("model", "effective_from", name="uq_contract_discounts_model_date"),
    )


def downgrade() -> None:
    op.drop_table("contract_discounts")
    op.execute("ALTER TABLE usage_lines DROP COLUMN provided_list_cost")
