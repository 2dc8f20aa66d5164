"""A counter of changes to what periods are computed from (issue 9).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25

Triggers bump ``data_version.counter`` whenever imports, closes, the policy, prices, provider
totals, budgets, metrics or settings change, so a period's computed results can be reused until
then. ``token`` is random per workspace file: a new file at the same path starts afresh.
"""

from alembic import op

from app.workspace.migrations import portable

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

WATCHED = (
    "import_batches",
    "closed_periods",
    "policy_versions",
    "price_entries",
    "provider_invoices",
    "budgets",
    "business_metrics",
    "settings",
)


def upgrade() -> None:
    op.execute(
        "CREATE TABLE data_version (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), "
        f"token TEXT NOT NULL, counter {portable.count_type()} NOT NULL)"
    )
    if portable.on_server():
        _server_upgrade()
        return
    op.execute("INSERT INTO data_version VALUES (1, lower(hex(randomblob(8))), 0)")
    for table in WATCHED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER data_version_{table}_{event.lower()} AFTER {event} ON {table} "
                "BEGIN UPDATE data_version SET counter = counter + 1; END"
            )


def _server_upgrade() -> None:
    """PostgreSQL: one trigger per table and statement, calling one function."""
    op.execute(
        "INSERT INTO data_version VALUES "
        "(1, substr(md5(random()::text || clock_timestamp()::text), 1, 16), 0)"
    )
    op.execute(
        "CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN UPDATE data_version SET counter = counter + 1; RETURN NULL; END $$"
    )
    for table in WATCHED:
        op.execute(
            f"CREATE TRIGGER data_version_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump()"
        )


def downgrade() -> None:
    if portable.on_server():
        for table in WATCHED:
            op.execute(f"DROP TRIGGER data_version_{table} ON {table}")
        op.execute("DROP FUNCTION data_version_bump()")
        op.execute("DROP TABLE data_version")
        return
    for table in WATCHED:
        for event in ("insert", "update", "delete"):
            # IF EXISTS: a batch downgrade (0016, 0017) recreates price_entries without them.
            op.execute(f"DROP TRIGGER IF EXISTS data_version_{table}_{event}")
    op.execute("DROP TABLE data_version")
