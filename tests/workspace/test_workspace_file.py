"""Creating, opening and protecting workspace files."""

import contextlib
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from app.workspace.db import (
    WorkspaceError,
    create_workspace,
    head_revision,
    open_workspace,
    schema_revision,
)
from app.workspace.schema import metadata
from app.workspace.write_lock import WRITE_OPTION, WriteWait


def test_new_workspace_is_migrated_wal_with_foreign_keys(workspace):
    assert schema_revision(workspace) == head_revision()
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


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_refused_foreign_file_is_not_modified(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE t (x)")
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="not a Chargeback Desk workspace"):
        open_workspace(path)
    assert path.read_bytes() == before  # not switched to WAL
    assert _files(tmp_path) == ["other.db"]


@pytest.mark.parametrize("keep", [4096, 100_000])
def test_a_truncated_workspace_gets_a_clear_message(tmp_path, keep):
    from app.services.demo import build_demo_workspace

    ws = build_demo_workspace(tmp_path / "demo.cbdesk")
    ws.dispose()
    data = (tmp_path / "demo.cbdesk").read_bytes()
    broken = tmp_path / "broken.cbdesk"
    broken.write_bytes(data[:keep])
    with pytest.raises(WorkspaceError, match=r"damaged or truncated|not a Chargeback Desk"):
        ws = open_workspace(broken)
        # A file cut past its first pages opens; its first full read finds the damage.
        from app.services.reporting import cost_report

        try:
            cost_report(ws, "2026-10")
        except Exception as exc:
            from app.services.workspaces import describe_database_error

            raise WorkspaceError(describe_database_error(exc) or str(exc)) from None


def test_a_workspace_without_write_access_is_read_only(tmp_path, monkeypatch):
    import os

    import app.workspace.db as db
    from app.services.closing import close_period
    from app.services.reporting import cost_report
    from tests.conftest import DATA

    ws = create_workspace(tmp_path / "ro.cbdesk")
    from app.services.importing import import_file

    import_file(ws, DATA / "gateway_requests.csv")
    ws.dispose()
    before = _files(tmp_path)
    monkeypatch.setattr(db.os, "access", lambda path, mode: mode != os.W_OK)
    ws = open_workspace(tmp_path / "ro.cbdesk")
    assert ws.read_only
    assert cost_report(ws, "2026-10").total > 0
    with pytest.raises(WorkspaceError, match="read-only"):
        close_period(ws, "2026-10")
    report = import_file(ws, DATA / "anthropic_usage_report_page1.json")
    assert report.status == "rejected" and "read-only" in report.message
    ws.dispose()
    assert _files(tmp_path) == before


@pytest.mark.skipif(
    not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
    reason="root writes read-only files anyway",
)
def test_a_read_only_folder_really_is_read_only(tmp_path):
    from app.cli import main

    folder = tmp_path / "locked"
    folder.mkdir()
    ws = create_workspace(folder / "w.cbdesk")
    ws.dispose()
    folder.chmod(0o555)
    try:
        assert main(["-w", str(folder / "w.cbdesk"), "report", "--period", "2026-10"]) == 0
        assert main(["-w", str(folder / "w.cbdesk"), "close", "--period", "2026-10"]) == 2
        assert _files(folder) == ["w.cbdesk"]
    finally:
        folder.chmod(0o755)


@pytest.fixture(params=["file", "server"])
def old_location(request, tmp_path):
    """Where an old workspace is made: a file, or a new database on the test server."""
    if request.param == "file":
        return tmp_path / "old.cbdesk"
    databases = request.getfixturevalue("server_databases")
    url = databases.create_empty()
    request.addfinalizer(lambda: databases.drop(url))
    return url


@contextlib.contextmanager
def _old_workspace(location, revision, batches):
    """A workspace (file or server) at schema ``revision`` with a name, one empty dimension set
    and ``batches`` import batches; yields the open write transaction for the lines."""
    from alembic import command

    from app.workspace import postgres_engine, sqlite_engine
    from app.workspace.db import _alembic_config

    if isinstance(location, str):
        engine = postgres_engine.make_engine(location)
    else:
        engine = sqlite_engine.make_engine(location)
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: WriteWait(60, lambda _elapsed: None)})
        with conn.begin():
            command.upgrade(_alembic_config(conn), revision)
            conn.exec_driver_sql("INSERT INTO settings VALUES ('name', 'old')")
            conn.exec_driver_sql(
                "INSERT INTO dimension_sets (id, api_key, api_key_id, workspace, workspace_id, "
                "\"user\", service_account, tags) VALUES (1, '', '', '', '', '', '', '')"
            )
            for batch in batches:
                conn.exec_driver_sql(
                    "INSERT INTO import_batches (id, file_name, file_path, content_hash, format, "
                    "kind, source, imported_at, rows_read, lines_added, rows_rejected, "
                    f"duplicates_skipped) VALUES ({batch}, 'f', 'f', 'h{batch}', 'gateway-csv', "
                    "'usage', 'gateway', 'now', 1, 1, 0, 0)"
                )
            yield conn
    engine.dispose()


def test_upgrade_records_what_closed_periods_billed(old_location):
    """0005 back-fills ``billed_period``: own lines to their month, late ones to the next close."""
    path = old_location
    with _old_workspace(path, "0004", (1, 2, 3)) as conn:
        lines = [(1, "2026-07"), (2, "2026-07"), (2, "2026-08"), (3, "2026-07"), (3, "2026-08")]
        lines.append((3, "2026-10"))
        for line_id, (batch, period) in enumerate(lines, start=1):
            conn.exec_driver_sql(
                "INSERT INTO usage_lines (id, batch_id, day, period, dimension_set_id, model, "
                "service_tier, inference_geo, context_window, speed, input_tokens, "
                "cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, output_tokens, "
                f"web_searches, requests) VALUES ({line_id}, {batch}, '{period}-05', "
                f"'{period}', 1, 'claude-haiku-4-5', 'standard', '', '', '', 1, 0, 0, 0, 0, 0, 1)"
            )
        # July closed after import 1, August after import 2; import 3 came later. October was
        # closed after import 3 while September was open, and November after December: late
        # August and October lines of import 3 were in no closed draft — still unbilled.
        for period, closed_at, last in [
            ("2026-07", "t1", 1),
            ("2026-08", "t2", 2),
            ("2026-10", "t3", 3),
            ("2026-12", "t4", 3),
            ("2026-11", "t5", 3),
        ]:
            conn.exec_driver_sql(
                f"INSERT INTO closed_periods VALUES ('{period}', '{closed_at}', {last}, '{{}}')"
            )
    ws = open_workspace(path)
    with ws.engine.connect() as conn:
        billed = conn.exec_driver_sql("SELECT id, billed_period FROM usage_lines ORDER BY id").all()
    ws.dispose()
    assert billed == [
        (1, "2026-07"),
        (2, "2026-08"),
        (3, "2026-08"),
        (4, None),  # late July line of import 3: September was open when October closed
        (5, None),
        (6, "2026-10"),
    ]


def test_a_foreign_file_with_an_alembic_table_is_refused_untouched(tmp_path):
    path = tmp_path / "other-app.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE alembic_version (version_num TEXT)")
        raw.execute("INSERT INTO alembic_version VALUES ('0004')")
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="not a Chargeback Desk workspace"):
        open_workspace(path)
    assert path.read_bytes() == before


def test_upgrade_gives_every_line_the_key_of_its_pricing_values(old_location):
    """0012 back-fills ``line_key_id``: lines with the same pricing key and day, and the same
    "has usage" and "has its own cost", share a key; the others do not."""
    path = old_location
    with _old_workspace(path, "0011", (1,)) as conn:
        lines = [  # day, model, tier, input tokens, code execution hours, provided cost
            ("2026-10-05", "claude-haiku-4-5", "standard", 1, None, None),
            ("2026-10-05", "claude-haiku-4-5", "standard", 7, None, None),
            ("2026-10-05", "claude-haiku-4-5", "batch", 1, None, None),
            ("2026-10-06", "claude-haiku-4-5", "standard", 1, None, None),
            ("2026-10-05", "claude-haiku-4-5", "standard", 0, None, "1.50"),
            ("2026-10-05", "claude-haiku-4-5", "standard", 0, "0.5", None),
            ("2026-10-05", "claude-haiku-4-5", "standard", 0, "0", None),
        ]
        for line_id, (day, model, tier, tokens, hours, cost) in enumerate(lines, start=1):
            conn.execute(
                text(
                    "INSERT INTO usage_lines (id, batch_id, day, period, dimension_set_id, "
                    "model, service_tier, inference_geo, context_window, speed, input_tokens, "
                    "cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, "
                    "output_tokens, web_searches, requests, code_execution_hours, "
                    "provided_cost) VALUES (:id, 1, :day, '2026-10', 1, :model, :tier, '', '', "
                    "'', :tokens, 0, 0, 0, 0, 0, 1, :hours, :cost)"
                ),
                dict(
                    id=line_id,
                    day=day,
                    model=model,
                    tier=tier,
                    tokens=tokens,
                    hours=hours,
                    cost=cost,
                ),
            )
    ws = open_workspace(path)
    with ws.engine.connect() as conn:
        keyed = conn.exec_driver_sql(
            "SELECT k.day, k.service_tier, k.has_usage, k.has_provided_cost, u.line_key_id "
            "FROM usage_lines u JOIN line_keys k ON k.id = u.line_key_id ORDER BY u.id"
        ).all()
        listed = conn.exec_driver_sql("SELECT * FROM period_dimension_sets").all()
        indexes = {index["name"] for index in inspect(conn).get_indexes("usage_lines")}
    ws.dispose()
    assert listed == [("2026-10", 1)]  # 0013 lists the dimension sets of each period
    assert indexes == {"ix_usage_lines_day", "ix_usage_lines_billed"}  # 0015: found by day
    assert [row[:4] for row in keyed] == [
        ("2026-10-05", "standard", 1, 0),
        ("2026-10-05", "standard", 1, 0),
        ("2026-10-05", "batch", 1, 0),
        ("2026-10-06", "standard", 1, 0),
        ("2026-10-05", "standard", 0, 1),
        ("2026-10-05", "standard", 1, 0),
        ("2026-10-05", "standard", 0, 0),
    ]
    ids = [row[4] for row in keyed]
    assert ids[0] == ids[1] == ids[5] and len(set(ids)) == 5


def test_the_schema_head_the_app_opens_without_alembic_is_the_newest_migration():
    from alembic.script import ScriptDirectory

    from app.workspace.db import SCHEMA_HEAD, _alembic_config

    assert ScriptDirectory.from_config(_alembic_config(None)).get_heads() == [SCHEMA_HEAD]


def test_only_database_errors_are_told_as_a_workspace_problem():
    """A fault of the program whose message happens to say "read-only" or "locked" is not
    told to the user as a read-only, busy or damaged workspace: that would send them to fix
    the wrong thing."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from app.services.workspaces import describe_database_error

    assert describe_database_error(ValueError("assignment destination is read-only")) is None
    assert describe_database_error(RuntimeError("the queue is locked")) is None
    locked = OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked"))
    assert "another process" in describe_database_error(locked)
    readonly = sqlite3.OperationalError("attempt to write a readonly database")
    assert "read-only" in describe_database_error(readonly)


def test_upgrade_marks_stored_haiku_5_5_usage_as_band_unknown(old_location):
    """0017: lines stored before prompt bands summed requests of any size, so Haiku 5.5 lines
    with usage become "band unknown"; other lines, and a cost without usage, have no band.
    The keys keep their ids and the lines their keys."""
    path = old_location
    with _old_workspace(path, "0016", (1,)) as conn:
        keys = [  # id, model, has usage, has provided cost
            (5, "claude-haiku-5-5", 1, 0),
            (6, "claude-haiku-5-5", 0, 1),
            (7, "claude-haiku-4-5", 1, 0),
        ]
        for key_id, model, usage, cost in keys:
            conn.execute(
                text(
                    "INSERT INTO line_keys VALUES (:id, '2026-11-02', :model, 'standard', '', '', "
                    "'', :usage, :cost)"
                ),
                dict(id=key_id, model=model, usage=usage, cost=cost),
            )
            conn.execute(
                text(
                    "INSERT INTO usage_lines (batch_id, day, period, dimension_set_id, "
                    "input_tokens, cache_write_5m_tokens, cache_write_1h_tokens, "
                    "cache_read_tokens, output_tokens, web_searches, requests, provided_cost, "
                    "line_key_id) VALUES (1, '2026-11-02', '2026-11', 1, :tokens, 0, 0, 0, 0, 0, "
                    "1, :cost, :key)"
                ),
                dict(tokens=usage * 1_000_000, cost="1.5" if cost else None, key=key_id),
            )
    ws = open_workspace(path)
    with ws.engine.connect() as conn:
        bands = conn.exec_driver_sql(
            "SELECT u.line_key_id, k.model, k.prompt_band FROM usage_lines u "
            "JOIN line_keys k ON k.id = u.line_key_id ORDER BY u.id"
        ).all()
    ws.dispose()
    assert bands == [
        (5, "claude-haiku-5-5", "unknown"),
        (6, "claude-haiku-5-5", ""),
        (7, "claude-haiku-4-5", ""),
    ]


def test_every_migration_goes_down_and_up_again(old_location):
    """Each revision's downgrade undoes its upgrade, on both engines: down to an empty database
    and up again gives the schema the app queries."""
    from alembic import command

    from app.workspace.db import _alembic_config

    with _old_workspace(old_location, "head", ()) as conn:
        conn.exec_driver_sql("DELETE FROM dimension_sets")
        conn.exec_driver_sql("DELETE FROM settings")
        command.downgrade(_alembic_config(conn), "base")
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        command.upgrade(_alembic_config(conn), "head")
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
