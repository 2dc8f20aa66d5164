"""Is this file imported already? Its content is hashed on a thread of its own while the file
is read: a file seen before stops the read at once, a new one costs no waiting for the hash."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from app.domain.progress import CancelToken
from app.workspace.db import Workspace
from app.workspace.imports import batch_id_for_hash


def file_hash(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class EarlierImportCheck:
    """Hashes ``path`` and looks for an import of the same content; when there is one,
    cancels ``stop`` (the read of the file)."""

    def __init__(self, workspace: Workspace, path: Path, stop: CancelToken) -> None:
        self._workspace = workspace
        self._path = path
        self._stop = stop
        self._content_hash = ""
        self._earlier: int | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="content-hash", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._content_hash = file_hash(self._path)
            with self._workspace.engine.connect() as conn:
                self._earlier = batch_id_for_hash(conn, self._content_hash)
        except BaseException as exc:  # raised to the caller by result()
            self._error = exc
            return
        if self._earlier is not None:
            self._stop.cancel()

    def result(self) -> tuple[str, bool]:
        """The content hash, and whether an earlier import has the same (waits for both);
        a problem reading the file is raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._content_hash, self._earlier is not None
