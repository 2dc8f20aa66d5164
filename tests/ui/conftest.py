"""Fixtures for UI tests: a small workspace with one month of gateway data."""

import pytest

from app.services.importing import import_file
from app.services.workspaces import create_workspace


@pytest.fixture
def small_workspace(tmp_path, data_dir):
    workspace = create_workspace(tmp_path / "ui.cbdesk")
    import_file(workspace, data_dir / "gateway_requests.csv")
    yield workspace
    workspace.dispose()


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path, monkeypatch):
    """Keep 'recent workspace' and the demo out of the real user folders."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
