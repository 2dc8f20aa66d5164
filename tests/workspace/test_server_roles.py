"""The administrator's script in docs/shared-workspace.sql, run as written: the owner creates
the workspace, an editor imports, edits and closes, a reader reads — each change audited under
its role."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.services.closing import close_period
from app.services.importing import import_file
from app.services.invoices import invoice_document
from app.services.policy import apply_policy_file
from app.workspace.db import WorkspaceReadOnly, create_workspace, open_workspace
from app.workspace.schema import audit_log

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "shared-workspace.sql"
_runs = itertools.count(1)


def _statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]


@pytest.fixture
def team_server(server_databases):
    """The script run on the test cluster (names made unique for this run): role → URL."""
    # Roles belong to the whole cluster: unique per process too, so that a second run on the
    # same cluster does not meet the first one's.
    n = f"{os.getpid()}x{next(_runs)}"
    sql = SCRIPT.read_text("utf-8")
    for name in ("cbdesk_owner", "cbdesk_editor", "cbdesk_reader", "anna", "lee"):
        sql = sql.replace(name, f"{name}{n}")
    sql = sql.replace("chargeback", f"chargeback{n}").replace(
        f"chargeback{n}-desk", "chargeback-desk"
    )
    before, after = sql.split(f"\\connect chargeback{n}")
    admin = server_databases.admin_url
    with psycopg.connect(admin, autocommit=True) as conn:
        for statement in _statements(before):
            conn.execute(statement)
    database_url = server_databases.url_of(f"chargeback{n}")
    with psycopg.connect(database_url, autocommit=True) as conn:
        for statement in _statements(after):
            conn.execute(statement)

    def url_as(role: str) -> str:
        return make_url(database_url).set(username=f"{role}{n}").render_as_string(False)

    yield url_as
    server_databases.drop(database_url)


def test_owner_creates_editor_works_reader_reads(team_server, data_dir, tmp_path):
    owner = create_workspace(team_server("cbdesk_owner"), name="Finance")
    owner.dispose()

    editor = open_workspace(team_server("anna"))
    try:
        assert not editor.read_only and editor.role.startswith("anna")
        assert import_file(editor, data_dir / "gateway_requests.csv").status == "imported"
        policy = tmp_path / "p.toml"
        policy.write_text('version = 1\n[[teams]]\nname = "Data"\n', encoding="utf-8")
        apply_policy_file(editor, policy)
        closed = close_period(editor, "2026-10")
        with editor.engine.connect() as conn:
            actors = {row.actor for row in conn.execute(audit_log.select())}
        assert actors and all("database role anna" in actor for actor in actors), actors
    finally:
        editor.dispose()

    reader = open_workspace(team_server("lee"))
    try:
        assert reader.read_only and reader.role.startswith("lee")
        assert invoice_document(reader, "2026-10") == closed
        with pytest.raises(WorkspaceReadOnly, match="editor role"):
            close_period(reader, "2026-11")
    finally:
        reader.dispose()


def test_an_older_schema_is_upgraded_by_the_owner_only_and_editors_are_told(team_server):
    from alembic import command

    from app.workspace.db import WorkspaceError, _alembic_config

    owner = create_workspace(team_server("cbdesk_owner"), name="Finance")
    with owner.engine.connect() as conn:
        from app.workspace.write_lock import WRITE_OPTION, WriteWait

        conn.execution_options(**{WRITE_OPTION: WriteWait(60, lambda _elapsed: None)})
        with conn.begin():
            command.downgrade(_alembic_config(conn), "0020")  # as an older version left it
    owner.dispose()
    with pytest.raises(WorkspaceError, match=r"only its owner role may make \(yours is anna"):
        open_workspace(team_server("anna"))
    open_workspace(team_server("cbdesk_owner")).dispose()  # the owner upgrades it
    editor = open_workspace(team_server("anna"))
    assert not editor.read_only
    editor.dispose()


def test_only_the_owner_role_makes_the_workspace(team_server):
    from app.workspace.db import WorkspaceError

    with pytest.raises(WorkspaceError, match=r"may not create tables .* owner role"):
        create_workspace(team_server("anna"))
