"""Items of an iterator made on a thread of their own, a few ahead of the consumer.

The rollup pulls the checked blocks of a file one at a time and aggregates each before asking
for the next: parsing and checking (pyarrow, numpy) and aggregating (DuckDB) took turns. Both
release the GIL for their heavy parts, so with the next block made while the current one is
aggregated, they run side by side on two cores.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

POLL_SECONDS = 0.05
"""How often a producer waiting for room checks whether the consumer has gone."""


class _End:
    """The source is exhausted, or raised ``error``."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class Prefetched(Generic[T]):
    """Iterates ``source`` on a worker thread, at most ``depth`` items ahead; an exception of
    the source is raised to the consumer in its place. :meth:`close` stops the worker (items
    not taken are dropped) and waits for it."""

    def __init__(self, source: Iterator[T], depth: int = 2, name: str = "prefetch") -> None:
        self._items: queue.Queue[T | _End] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._done = False
        self._thread = threading.Thread(target=self._produce, args=(source,), name=name)
        self._thread.daemon = True
        self._thread.start()

    def _put(self, item: T | _End) -> bool:
        while not self._stop.is_set():
            try:
                self._items.put(item, timeout=POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self, source: Iterator[T]) -> None:
        try:
            for item in source:
                if not self._put(item):
                    return
        except BaseException as exc:  # handed to the consumer, raised there
            self._put(_End(exc))
            return
        self._put(_End())

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._done:
            raise StopIteration
        item = self._items.get()
        if isinstance(item, _End):
            self._done = True
            self._thread.join()
            if item.error is not None:
                raise item.error
            raise StopIteration
        return item

    def close(self) -> None:
        self._done = True
        self._stop.set()
        self._thread.join()
