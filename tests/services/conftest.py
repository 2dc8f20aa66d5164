"""Every service test that takes ``workspace`` runs twice: on a workspace file (SQLite) and on
a shared workspace (PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.conftest import _new_workspace


@pytest.fixture(params=["file", "server"])
def workspace(request, tmp_path):
    ws = _new_workspace(request, tmp_path)
    yield ws
    ws.dispose()


DEMO_TEMPLATE = "cbdesk_demo_template"


def _demo_copy(request, folder):
    """A demo workspace of its own for one test or module: a file, or a server database."""
    from app.services.demo import build_demo_workspace
    from app.services.workspaces import open_workspace

    if request.param == "file":
        return build_demo_workspace(folder / "demo.cbdesk"), lambda: None
    databases = request.getfixturevalue("server_databases")

    def build(url: str) -> None:
        build_demo_workspace(url).dispose()

    url = databases.copy_of(databases.template(DEMO_TEMPLATE, build))
    return open_workspace(url), lambda: databases.drop(url)


@pytest.fixture(params=["file", "server"])
def fresh_demo(request, tmp_path):
    """The demo workspace for one test that changes it."""
    workspace, drop = _demo_copy(request, tmp_path)
    yield workspace
    workspace.dispose()
    drop()


@pytest.fixture(scope="module", params=["file", "server"])
def demo(request, tmp_path_factory):
    """The demo workspace, once per module and engine: a file, or a database on the server
    (copied from a demo built there once per run)."""
    workspace, drop = _demo_copy(request, tmp_path_factory.mktemp("demo"))
    yield workspace
    workspace.dispose()
    drop()


@pytest.fixture(params=["file", "server"])
def make_workspace(request):
    """Makes new empty workspaces on the test's engine (for tests that make several, such as
    property tests): ``make_workspace(folder)`` → an open workspace; dropped by the caller's
    ``dispose`` for files, and with its database at the end of the test for servers."""
    from app.services.workspaces import create_workspace, open_workspace

    if request.param == "file":
        return lambda folder: create_workspace(folder / "w.cbdesk")
    databases = request.getfixturevalue("server_databases")
    made: list[str] = []

    def make(_folder):
        url = databases.new_workspace_url()
        made.append(url)
        return open_workspace(url)

    def drop_all() -> None:
        for url in made:
            databases.drop(url)

    request.addfinalizer(drop_all)
    return make
