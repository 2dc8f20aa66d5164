"""Shared workspaces on a PostgreSQL server: created, opened, refused and protected like files."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.workspace.db import (
    WorkspaceError,
    WorkspaceReadOnly,
    create_workspace,
    head_revision,
    open_workspace,
    schema_revision,
)
from app.workspace.schema import metadata


@pytest.fixture
def empty_database(server_databases):
    url = server_databases.create_empty()
    yield url
    server_databases.drop(url)


@pytest.fixture
def shared(empty_database):
    workspace = create_workspace(empty_database, name="Finance")
    yield workspace
    workspace.dispose()


def test_a_workspace_is_created_in_an_empty_database_through_every_migration(shared):
    assert schema_revision(shared) == head_revision()
    with shared.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    assert shared.name == "Finance" and shared.shared and shared.path is None
    assert shared.label.endswith("on this computer")


def test_the_server_sums_money_exactly_as_text_like_a_file(shared, tmp_path):
    """NUMERIC arithmetic, and the same text as the file's Decimal sum: no exponent, no
    trailing zeros."""
    cases = {
        "0.30000000001": ["0.1", "0.2", "0.00000000001", None],
        "4": ["1.50", "2.50"],
        "-0.5": ["-1.25", "0.75"],
        "0": ["1.10", "-1.1"],
        "123456789012345678901234567890.000000000001": [
            "123456789012345678901234567890",
            "0.000000000001",
        ],
    }
    file = create_workspace(tmp_path / "f.cbdesk")
    try:
        for expected, values in cases.items():
            union = " UNION ALL ".join(
                "SELECT CAST(NULL AS TEXT) AS v" if v is None else f"SELECT '{v}' AS v"
                for v in values
            )
            for workspace in (shared, file):
                with workspace.engine.connect() as conn:
                    found = conn.execute(text(f"SELECT dec_sum(v) FROM ({union}) AS t")).scalar()
                assert found == expected, (workspace.label, values)
        with shared.engine.connect() as conn:
            assert (
                conn.execute(text("SELECT dec_sum(v) FROM (SELECT '' AS v) AS t")).scalar() is None
            )
    finally:
        file.dispose()


def test_an_empty_database_is_not_a_workspace_yet(empty_database):
    with pytest.raises(
        WorkspaceError, match=r"No workspace in .*create one with 'chargeback-desk init"
    ):
        open_workspace(empty_database)


def test_a_second_init_is_refused_and_changes_nothing(shared, empty_database):
    with pytest.raises(WorkspaceError, match="already holds a workspace"):
        create_workspace(empty_database)
    assert shared.name == "Finance"


def test_a_database_of_another_application_is_refused(empty_database):
    import psycopg

    with psycopg.connect(empty_database) as c:
        c.execute("CREATE TABLE customers (id int)")
        c.execute("CREATE TABLE settings (key text)")
    with pytest.raises(WorkspaceError, match="holds other tables"):
        open_workspace(empty_database)


def test_a_database_sorting_by_a_language_is_refused_with_how_to_make_one(server_databases):
    import psycopg

    with psycopg.connect(server_databases.admin_url, autocommit=True) as admin:
        collations = admin.execute(
            "SELECT collname FROM pg_collation WHERE collprovider = 'i' LIMIT 1"
        ).fetchone()
        if collations is None:
            pytest.skip("the server has no ICU collations")
        admin.execute(
            "CREATE DATABASE cbdesk_icu TEMPLATE template0 ENCODING 'UTF8' "
            "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'"
        )
    url = server_databases.url_of("cbdesk_icu")
    try:
        with pytest.raises(WorkspaceError, match="LOCALE 'C'"):
            create_workspace(url)
    finally:
        server_databases.drop(url)


def test_a_server_that_cannot_be_reached_is_told_without_sql_or_traceback(tmp_path):
    url = f"postgresql://nobody@/cbdesk?host={tmp_path}"
    with pytest.raises(WorkspaceError) as refused:
        open_workspace(url)
    message = str(refused.value)
    assert "cannot reach the workspace's database server" in message
    assert "SELECT" not in message and "Traceback" not in message


def test_a_read_only_role_reads_everything_and_changes_nothing(shared, server_databases):
    import psycopg

    from app.services.invoices import invoice_document

    database = make_url(shared.url).database
    with psycopg.connect(server_databases.url_of(database), autocommit=True) as admin:
        admin.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'team_lead') "
            "THEN CREATE ROLE team_lead LOGIN; END IF; END $$"
        )
        admin.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO team_lead")
    reader_url = server_databases.url_of(database).replace("postgres@", "team_lead@")
    reader = open_workspace(reader_url)
    try:
        assert reader.read_only
        assert "team_lead" in reader.read_only_reason and "editor role" in reader.read_only_reason
        assert invoice_document(reader, "2026-10")["grand_total"] == "0.00"
        with pytest.raises(WorkspaceReadOnly, match=r"may read .* but not change it"):
            reader.set_setting("name", "mine")
    finally:
        reader.dispose()
    assert shared.name == "Finance"


def test_each_change_names_the_database_role_it_was_made_as(shared):
    from app.services.audit_trail import audit_entries
    from app.services.prices import set_price

    set_price(
        shared, {"model": "claude-x-1", "effective_from": "2026-10-01", "input": "1", "output": "2"}
    )
    entries = audit_entries(shared)
    assert entries and all("(database role postgres)" in e.actor for e in entries)


def test_a_password_is_never_shown_or_remembered_wherever_the_url_holds_it():
    from app.workspace.locations import has_password, without_password

    for url in (
        "postgresql://anna:s3cret@db.example.com:5432/finance",
        "postgresql://anna@db.example.com/finance?password=s3cret",
        "postgresql://anna@db.example.com/finance?sslmode=require&password=s3cret",
        "postgres://anna:s3cret@db/finance",
    ):
        shown = without_password(url)
        assert "s3cret" not in shown and shown.startswith("postgresql://anna@db"), shown
        assert has_password(url)
    assert "sslmode=require" in without_password(
        "postgresql://anna@db/finance?sslmode=require&password=s3cret"
    )
    assert not has_password("postgresql://anna@db/finance")


def test_a_malformed_address_is_refused_without_repeating_it():
    with pytest.raises(WorkspaceError) as refused:
        open_workspace("postgresql://anna:s3cret@db:port/finance")
    assert "s3cret" not in str(refused.value)
    assert "postgresql://USER@SERVER:PORT/DATABASE" in str(refused.value)


def test_a_vanished_writer_does_not_hold_the_write_lock_for_hours(shared):
    """Both ends of a connection probe it when idle: the server gives up on a machine gone
    from the network within a minute, and with it its transaction and the write lock."""
    with shared.engine.connect() as conn:
        dsn = conn.connection.driver_connection.info.dsn
        # Set by this session (a socket reads 0: keepalives are for TCP connections).
        source = conn.execute(
            text("SELECT source FROM pg_settings WHERE name = 'tcp_keepalives_idle'")
        ).scalar()
    assert "keepalives=1" in dsn and "keepalives_idle=30" in dsn and "keepalives_count=3" in dsn
    assert "-c tcp_keepalives_idle=30" in dsn and source == "client"


def test_a_demo_cancelled_while_built_on_a_server_leaves_the_database_empty(empty_database):
    from app.domain.progress import Cancelled, CancelToken
    from app.services.demo import build_demo_workspace

    token = CancelToken()

    def progress(fraction, _message):
        if fraction > 0.3:
            token.cancel()

    with pytest.raises(Cancelled):
        build_demo_workspace(empty_database, progress, token)
    with pytest.raises(WorkspaceError, match="No workspace in"):
        open_workspace(empty_database)
    create_workspace(empty_database).dispose()  # and a new one can be made there
