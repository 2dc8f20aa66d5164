"""The exact decimal sum on PostgreSQL servers (issue 14).

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-26

Money is stored as exact decimal text on both engines, so a workspace moves between a file and
a server unchanged. SQLite sums it with the ``dec_sum`` aggregate the app registers on each
connection (Python's Decimal); a server sums it with this ``dec_sum``, in NUMERIC (exact,
unlimited precision), and returns it as the same text: no exponent, no trailing zeros. On a
workspace file this revision changes nothing.
"""

from alembic import op

from app.workspace.migrations import portable

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not portable.on_server():
        return
    op.execute(
        "CREATE FUNCTION dec_sum_step(total numeric, amount text) RETURNS numeric "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE WHEN amount IS NULL OR "
        "amount = '' THEN total ELSE COALESCE(total, 0) + CAST(amount AS numeric) END $$"
    )
    op.execute(
        "CREATE FUNCTION dec_sum_text(total numeric) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CAST(trim_scale(total) AS text) $$"
    )
    op.execute(
        "CREATE AGGREGATE dec_sum(text) (SFUNC = dec_sum_step, STYPE = numeric, "
        "FINALFUNC = dec_sum_text, COMBINEFUNC = numeric_add, PARALLEL = SAFE)"
    )


def downgrade() -> None:
    if not portable.on_server():
        return
    op.execute("DROP AGGREGATE dec_sum(text)")
    op.execute("DROP FUNCTION dec_sum_text(numeric)")
    op.execute("DROP FUNCTION dec_sum_step(numeric, text)")
