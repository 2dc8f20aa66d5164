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


@pytest.fixture
def workspace(tmp_path):
    from app.services.workspaces import create_workspace

    ws = create_workspace(tmp_path / "test.cbdesk")
    yield ws
    ws.dispose()
