"""The workspace's single write lock, as both engines take it: how a writer waits for it.

A file takes it with SQLite's ``BEGIN IMMEDIATE``, a server with an advisory lock; either way a
writer that finds it taken polls, tells its caller how long it has waited, and gives up with a
clear message (changing nothing) after the time it was willing to wait.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

WRITE_OPTION = "cbdesk_write"
"""The execution option that makes a connection's transaction a write (its value: a
:class:`WriteWait`)."""


class WorkspaceBusy(Exception):
    """Another process kept the write lock longer than this writer was willing to wait."""


@dataclass(frozen=True)
class WriteWait:
    """How a writer waits for the lock: at most ``seconds``, telling ``notify(elapsed)``."""

    seconds: float
    notify: Callable[[float], None]

    def waited(self, elapsed: float) -> None:
        """The lock is still taken after ``elapsed`` seconds: give up, or say so and go on."""
        if elapsed >= self.seconds:
            raise WorkspaceBusy(
                f"another Chargeback Desk process has been writing to this workspace for "
                f"{elapsed:.0f} s; nothing was changed — try again when it has finished"
            )
        self.notify(elapsed)
