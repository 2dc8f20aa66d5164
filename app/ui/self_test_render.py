"""The GUI part of ``--self-test``: build the main window offscreen and render it to a PNG."""

from __future__ import annotations

import os
from pathlib import Path


def render_main_window(png: Path, workspace: Path) -> bool:
    """Open ``workspace`` in the main window offscreen and save a screenshot to ``png``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.ui.launch import run_gui

    return (
        run_gui(workspace=workspace, demo=False, page="dashboard", screenshot=png) == 0
        and png.is_file()
        and png.stat().st_size > 0
    )
