"""Disputes: a team lead contests a line of a closed statement or invoice (issue 15).

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-26

A dispute is open, accepted or rejected. An accepted one moves its amount on the team's next
open month; ``billed_in`` names the month whose close froze that adjustment (cleared when that
month reopens), so the amount moves exactly once. Changes bump the data version: open months'
drafts show accepted disputes.
"""

from alembic import op

from app.workspace.migrations import portable

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

EVENTS = ("insert", "update", "delete")


def upgrade() -> None:
    op.execute(
        f"CREATE TABLE disputes ({portable.id_column()} PRIMARY KEY, "
        "period TEXT NOT NULL, team TEXT NOT NULL, document_number TEXT NOT NULL, "
        "line_kind TEXT NOT NULL, line_label TEXT NOT NULL, line_amount TEXT NOT NULL, "
        "amount TEXT NOT NULL, raised_by TEXT NOT NULL, reason TEXT NOT NULL, "
        "recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL, "
        "status TEXT NOT NULL DEFAULT 'open', accepted_amount TEXT, move_to TEXT, "
        "decision_reason TEXT, decided_at TEXT, decided_by TEXT, billed_in TEXT)"
    )
    op.execute("CREATE INDEX ix_disputes_status ON disputes (status)")
    if portable.on_server():
        op.execute(
            "CREATE TRIGGER data_version_disputes AFTER INSERT OR UPDATE OR DELETE ON disputes "
            "FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump()"
        )
        return
    for event in EVENTS:
        op.execute(
            f"CREATE TRIGGER data_version_disputes_{event} AFTER {event.upper()} ON disputes "
            "BEGIN UPDATE data_version SET counter = counter + 1; END"
        )


def downgrade() -> None:
    if portable.on_server():
        op.execute("DROP TRIGGER data_version_disputes ON disputes")
    else:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS data_version_disputes_{event}")
    op.execute("DROP INDEX ix_disputes_status")
    op.execute("DROP TABLE disputes")
