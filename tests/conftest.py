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

    def build_or_copy(path, progress=None, cancel=None):
        if progress is not None or cancel is not None:
            kwargs = {"progress": progress} if progress is not None else {}
            return build(path, cancel=cancel, **kwargs)
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
