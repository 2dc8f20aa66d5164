"""Data files shipped with the app (price book, icons), read with ``importlib.resources``."""

from __future__ import annotations

from importlib import resources


def read_text(name: str) -> str:
    """The text of a shipped resource file, wherever the app is installed or frozen."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
