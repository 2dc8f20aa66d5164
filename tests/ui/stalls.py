"""Recording event-loop stalls: how long the UI thread was away from its events.

A timer asks to run every ``interval`` milliseconds; whenever it runs late, the UI thread was
busy (painting, or work that belongs on a worker) for the lateness. The longest lateness is the
worst freeze a user would have felt while the recorder ran.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer


class StallRecorder(QObject):
    """Start it, do things in the window, stop it, read :attr:`longest` (seconds)."""

    def __init__(self, interval_ms: int = 5) -> None:
        super().__init__()
        self.interval = interval_ms / 1000
        self.stalls: list[float] = []
        self.ticks = 0
        """How many times the timer ran: the event loop turned that often."""
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.stalls.clear()
        self.ticks = 0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._tick()
        self._timer.stop()

    def _tick(self) -> None:
        self.ticks += 1
        now = time.perf_counter()
        late = now - self._last - self.interval
        if late > 0:
            self.stalls.append(late)
        self._last = now

    @property
    def longest(self) -> float:
        return max(self.stalls, default=0.0)

    def over(self, seconds: float) -> list[float]:
        return [s for s in self.stalls if s > seconds]
