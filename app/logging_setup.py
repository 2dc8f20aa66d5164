"""Logging to a file under the user's log folder (frozen windowed builds have no stdout)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from platformdirs import user_log_dir


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Log to ``chargeback-desk.log`` in the user log folder; returns its path if writable."""
    root = logging.getLogger()
    if any(getattr(h, "_chargeback_desk", False) for h in root.handlers):
        return None
    try:
        folder = Path(user_log_dir("Chargeback Desk", appauthor=False))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "chargeback-desk.log"
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._chargeback_desk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path


def current_log_file() -> Path | None:
    """The log file :func:`configure_logging` opened, if any."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, "_chargeback_desk", False):
            return Path(handler.baseFilename)  # type: ignore[attr-defined]
    return None
