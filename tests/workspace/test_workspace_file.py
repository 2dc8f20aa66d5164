"""Creating, opening and protecting workspace files."""

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.workspace.db import WorkspaceError, create_workspace, open_workspace, schema_revision
from app.workspace.schema import metadata


def test_new_workspace_is_migrated_wal_with_foreign_keys(workspace):
    assert schema_revision(workspace) == "0004"
    with workspace.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert workspace.name == "test"


def test_migrations_match_the_schema(workspace):
    with workspace.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_refuses_to_overwrite(tmp_path, workspace):
    with pytest.raises(WorkspaceError, match="already exists"):
        create_workspace(workspace.path)


def test_newer_schema_gets_a_clear_message(tmp_path):
    ws = create_workspace(tmp_path / "new.cbdesk")
    ws.dispose()
    with sqlite3.connect(tmp_path / "new.cbdesk") as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(WorkspaceError, match="newer version"):
        open_workspace(tmp_path / "new.cbdesk")


@pytest.mark.parametrize("content", [b"hello", b""])
def test_not_a_workspace(tmp_path, content):
    path = tmp_path / "x.cbdesk"
    path.write_bytes(content)
    with pytest.raises(WorkspaceError, match="not"):
        open_workspace(path)


def test_foreign_sqlite_file(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE t (x)")
    with pytest.raises(WorkspaceError, match="not a Chargeback Desk workspace"):
        open_workspace(path)


def test_missing_file(tmp_path):
    with pytest.raises(WorkspaceError, match="No workspace"):
        open_workspace(tmp_path / "nope.cbdesk")


def test_decimal_sum_aggregate_is_exact(workspace):
    with workspace.engine.connect() as conn:
        value = conn.exec_driver_sql(
            "SELECT dec_sum(v) FROM (SELECT '0.1' AS v UNION ALL SELECT '0.2' "
            "UNION ALL SELECT '0.00000000001' UNION ALL SELECT NULL)"
        ).scalar()
    assert value == "0.30000000001"
