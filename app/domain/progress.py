"""Progress reporting and cooperative cancellation for long work (imports, exports, demo)."""

from __future__ import annotations

import threading
from collections.abc import Callable

ProgressCallback = Callable[[float, str], None]
"""Called with a fraction in [0, 1] and a short message."""


class Cancelled(Exception):
    """Raised inside long work when the user asked to cancel; nothing is kept."""


class CancelToken:
    """A flag the UI sets and the worker polls; thread-safe."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` when cancellation was requested."""
        if self._event.is_set():
            raise Cancelled()


def no_progress(fraction: float, message: str) -> None:
    """A progress callback that ignores everything."""


class FollowingCancelToken(CancelToken):
    """Cancelled by its own :meth:`cancel` or when the token it follows is (the user's), so
    the program can stop work of its own accord without cancelling on the user's behalf."""

    def __init__(self, followed: CancelToken) -> None:
        super().__init__()
        self._followed = followed

    @property
    def cancelled(self) -> bool:
        return self._event.is_set() or self._followed.cancelled

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled()
