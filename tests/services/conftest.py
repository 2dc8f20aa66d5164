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
