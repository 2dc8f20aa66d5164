"""Prompt bands: a line key names its band, a price entry its high-band rates (issue 10).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26

Claude Haiku 5.5 prices a request by the size of its prompt: up to 100,000 tokens the low
band, over it the high band on every token (CHARGEBACK_MATH.md §1). The band is decided per
request before lines are rolled up, so it is part of the line key. Lines stored before this
revision summed their requests without knowing the band: those of Haiku 5.5 with usage become
"band unknown" (priced at the low band and named in reconciliation), every other line has no
band.
"""

import sqlalchemy as sa
from alembic import op

from app.workspace.migrations import portable

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

KEY_COLUMNS = "day, model, service_tier, inference_geo, context_window, speed"
BANDED_MODELS = "('claude-haiku-5-5')"
"""The models with prompt bands when this revision was written."""


def _line_keys(table: str, band: bool) -> str:
    band_column = "prompt_band TEXT NOT NULL, " if band else ""
    band_key = ", prompt_band" if band else ""
    return (
        f"CREATE TABLE {table} ({portable.id_column()} PRIMARY KEY, day TEXT NOT NULL, "
        "model TEXT NOT NULL, service_tier TEXT NOT NULL, inference_geo TEXT NOT NULL, "
        f"context_window TEXT NOT NULL, speed TEXT NOT NULL, {band_column}"
        "has_usage INTEGER NOT NULL, has_provided_cost INTEGER NOT NULL, "
        f"CONSTRAINT uq_line_keys UNIQUE ({KEY_COLUMNS}{band_key}, has_usage, "
        "has_provided_cost))"
    )


def _free_constraint_name() -> None:
    """PostgreSQL names constraints per schema: the old table's goes before the new one's."""
    if portable.on_server():
        op.execute("ALTER TABLE line_keys DROP CONSTRAINT uq_line_keys")


def upgrade() -> None:
    op.add_column("price_entries", sa.Column("high_band_input", sa.Text(), nullable=True))
    op.add_column("price_entries", sa.Column("high_band_output", sa.Text(), nullable=True))
    # Keys keep their ids: the lines name them.
    _free_constraint_name()
    op.execute(_line_keys("line_keys_banded", band=True))
    op.execute(
        f"INSERT INTO line_keys_banded (id, {KEY_COLUMNS}, prompt_band, has_usage, "
        f"has_provided_cost) SELECT id, {KEY_COLUMNS}, CASE WHEN model IN {BANDED_MODELS} "
        "AND has_usage = 1 THEN 'unknown' ELSE '' END, has_usage, has_provided_cost FROM line_keys"
    )
    op.execute("DROP TABLE line_keys")
    op.execute("ALTER TABLE line_keys_banded RENAME TO line_keys")
    portable.continue_ids("line_keys")


def downgrade() -> None:
    # Keys told apart only by their band become one: their lines move to the lowest id.
    _free_constraint_name()
    op.execute(_line_keys("line_keys_unbanded", band=False))
    op.execute(
        f"INSERT INTO line_keys_unbanded (id, {KEY_COLUMNS}, has_usage, has_provided_cost) "
        f"SELECT MIN(id), {KEY_COLUMNS}, has_usage, has_provided_cost FROM line_keys "
        f"GROUP BY {KEY_COLUMNS}, has_usage, has_provided_cost"
    )
    op.execute(
        "UPDATE usage_lines SET line_key_id = (SELECT u.id FROM line_keys k JOIN "
        "line_keys_unbanded u USING (day, model, service_tier, inference_geo, context_window, "
        "speed, has_usage, has_provided_cost) WHERE k.id = usage_lines.line_key_id)"
    )
    op.execute("DROP TABLE line_keys")
    op.execute("ALTER TABLE line_keys_unbanded RENAME TO line_keys")
    portable.continue_ids("line_keys")
    with op.batch_alter_table("price_entries") as batch:
        batch.drop_column("high_band_output")
        batch.drop_column("high_band_input")
