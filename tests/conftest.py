"""Shared fixtures: sample paths and headless Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def workspace(tmp_path):
    from app.services.workspaces import create_workspace

    ws = create_workspace(tmp_path / "test.cbdesk")
    yield ws
    ws.dispose()
