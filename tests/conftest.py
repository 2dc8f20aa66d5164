"""Shared fixtures: sample paths and headless Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# "Today" for the date checks of imports (usage after tomorrow is refused), so the suite
# means the same next year; processes the tests start inherit it.
os.environ["CHARGEBACK_DESK_TODAY"] = "2026-11-25"

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def server_databases():
    """Test databases on a PostgreSQL cluster: the one ``CBDESK_TEST_POSTGRES_URL`` names
    (``.ci/run`` starts it), else a throwaway cluster started for this run; skipped where
    PostgreSQL's server is not installed, unless ``CBDESK_REQUIRE_POSTGRES`` is set."""
    import shutil
    import tempfile

    from tests import throwaway_postgres
    from tests.server_databases import ServerDatabases

    url = os.environ.get(throwaway_postgres.URL_ENV)
    folder = None
    if not url:
        if throwaway_postgres.server_programs() is None:
            if os.environ.get("CBDESK_REQUIRE_POSTGRES"):
                pytest.fail("PostgreSQL is required (CBDESK_REQUIRE_POSTGRES) but not installed")
            pytest.skip("PostgreSQL's server is not installed: shared workspaces not tested")
        folder = Path(tempfile.mkdtemp(prefix="cbdesk-pg-"))
        url = throwaway_postgres.start(folder)
    try:
        yield ServerDatabases(url)
    finally:
        if folder is not None:
            throwaway_postgres.stop(folder)
            shutil.rmtree(folder, ignore_errors=True)


def _new_workspace(request, tmp_path):
    """A new empty workspace named 'test': a file, or on the server for ``server`` tests."""
    from app.services.workspaces import create_workspace, open_workspace

    if getattr(request, "param", "file") == "server":
        databases = request.getfixturevalue("server_databases")
        url = databases.new_workspace_url()
        request.addfinalizer(lambda: databases.drop(url))
        return open_workspace(url)
    return create_workspace(tmp_path / "test.cbdesk")


@pytest.fixture
def workspace(request, tmp_path):
    ws = _new_workspace(request, tmp_path)
    yield ws
    ws.dispose()


MONTH_POLICY = (
    'version = 1\n[[teams]]\nname = "Data"\n[[teams]]\nname = "Web"\n'
    '[[rules]]\nwhen = { api_key = "k-data" }\nteam = "Data"\n'
)


@pytest.fixture
def unmapped_month(workspace, tmp_path):
    """By hand (Haiku 4.5, $1 per 1M input): k-data 9M = $9 to Data; k-big 3M = $3,
    ann 1M = $1 and a line tagged team=growth 0.5M = $0.50 are unallocated ($4.50 of
    $13.50). A line of October (k-big, $2) lets October be closed."""
    from app.services.importing import import_file
    from app.services.policy import apply_policy_file

    log = tmp_path / "g.csv"
    log.write_text(
        "timestamp,request_id,api_key,user,team,model,input_tokens\n"
        "2026-10-05T10:00:00Z,o,k-big,,,claude-haiku-4-5,2000000\n"
        "2026-11-02T10:00:00Z,a,k-big,,,claude-haiku-4-5,3000000\n"
        "2026-11-02T10:00:01Z,b,,ann,,claude-haiku-4-5,1000000\n"
        "2026-11-02T10:00:02Z,c,,,growth,claude-haiku-4-5,500000\n"
        "2026-11-02T10:00:03Z,d,k-data,,,claude-haiku-4-5,9000000\n",
        encoding="utf-8",
    )
    policy = tmp_path / "p.toml"
    policy.write_text(MONTH_POLICY, encoding="utf-8")
    apply_policy_file(workspace, policy)
    assert import_file(workspace, log).status == "imported"
    return workspace


def _demo_built_once() -> None:
    """Build the demo workspace once per test run; every test gets its own copy.

    Twelve modules use the demo; building it is a second or more each time. The copy is made
    with SQLite's backup API, so it is a consistent, independent file. Calls with a progress
    callback or a cancel token (the tests of building itself) build for real.
    """
    import atexit
    import shutil
    import sqlite3
    import tempfile

    from app.services import demo
    from app.workspace.db import open_workspace

    build = demo.build_demo_workspace
    folder = Path(tempfile.mkdtemp(prefix="cbdesk-demo-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    template = folder / "demo.cbdesk"

    def build_or_copy(path, progress=None, cancel=None, password=None):
        if progress is not None or cancel is not None or isinstance(path, str):
            kwargs = {"progress": progress} if progress is not None else {}
            return build(path, cancel=cancel, password=password, **kwargs)
        if not template.exists():
            build(template).dispose()
        source = sqlite3.connect(template)
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return open_workspace(Path(path))

    demo.build_demo_workspace = build_or_copy


_demo_built_once()
