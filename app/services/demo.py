"""Use case: build the demo workspace from generated export files, through the real importers."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.domain.progress import CancelToken, ProgressCallback, no_progress
from app.services.demo_data import write_demo_files
from app.services.importing import IMPORTED, import_file
from app.services.workspaces import demo_workspace_path
from app.workspace.db import Workspace, create_workspace

DEMO_NAME = "Demo — Acme Corp"


def build_demo_workspace(
    path: Path, progress: ProgressCallback = no_progress, cancel: CancelToken | None = None
) -> Workspace:
    """Create ``path`` and import the demo company's six months of exports into it."""
    cancel = cancel or CancelToken()
    workspace = create_workspace(Path(path), name=DEMO_NAME)
    try:
        with tempfile.TemporaryDirectory(prefix="cbdesk-demo-") as tmp:
            progress(0.05, "Writing the demo exports")
            files = write_demo_files(Path(tmp))
            for index, file in enumerate(files):
                cancel.check()
                progress(0.1 + 0.9 * index / len(files), f"Importing {file.name}")
                report = import_file(workspace, file, cancel=cancel)
                if report.status != IMPORTED:
                    raise RuntimeError(
                        f"demo file {file.name} did not import: {'; '.join(report.problems())}"
                    )
    except BaseException:
        workspace.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    progress(1.0, "Demo workspace ready")
    return workspace


def ensure_demo_workspace(progress: ProgressCallback = no_progress) -> Path:
    """The demo workspace's path, building it first when it is missing (atomically)."""
    target = demo_workspace_path()
    if target.is_file():
        return target
    partial = target.with_name(f".building-{os.getpid()}-{target.name}")
    workspace = build_demo_workspace(partial, progress)
    workspace.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    os.replace(partial, target)
    return target
