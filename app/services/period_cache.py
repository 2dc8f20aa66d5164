"""Results of a period computed once per workspace state and reused by every report, export
and page until imports, closes, the policy or prices change.

The version and the computation are read in one transaction, so a result is never filed under
a state it was not computed from. The cache is small (the last few results) and per process.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection

from app.workspace import data_version
from app.workspace.db import Workspace

T = TypeVar("T")
MAX_RESULTS = 12

_results: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
_lock = threading.Lock()


def _key(conn: Connection, name: Hashable) -> tuple[Hashable, ...]:
    return (str(conn.engine.url), data_version.current(conn), name)


def _cached(key: tuple[Hashable, ...]) -> tuple[bool, Any]:
    with _lock:
        if key in _results:
            _results.move_to_end(key)
            return True, _results[key]
    return False, None


def _keep(key: tuple[Hashable, ...], result: Any) -> None:
    with _lock:
        _results[key] = result
        while len(_results) > MAX_RESULTS:
            _results.popitem(last=False)


def forget_all() -> None:
    """Drop every result (a workspace closed for good; tests that compare ways of computing)."""
    with _lock:
        _results.clear()


class _CollectorPause:
    """How many computations run without the cycle collector, and whether it was on before
    the first of them (computations on several threads pause it together)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.was_enabled = False


_pause = _CollectorPause()


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """A month's computation makes hundreds of thousands of small objects and no reference
    cycles; the cycle collector would walk them again and again (a quarter of the time). The
    last computation to finish turns it back on, if it was on."""
    with _pause.lock:
        if _pause.running == 0:
            _pause.was_enabled = gc.isenabled()
            gc.disable()
        _pause.running += 1
    try:
        yield
    finally:
        with _pause.lock:
            _pause.running -= 1
            if _pause.running == 0 and _pause.was_enabled:
                gc.enable()


def computed_once(
    workspace: Workspace,
    what: Hashable | Callable[[Connection], Hashable],
    compute: Callable[[Connection], T],
) -> T:
    """``compute(conn)`` for this workspace state, from the cache when it was computed before.

    ``what`` names the result, or is read from the workspace (two requests that come down to
    the same question share one result). Callers must treat the result as read-only: it is
    shared.
    """
    with workspace.engine.connect() as conn:
        key = _key(conn, what(conn) if callable(what) else what)
        found, result = _cached(key)
        if found:
            return result  # type: ignore[no-any-return]
        with without_cycle_collection():
            result = compute(conn)
    _keep(key, result)
    return result


def found_in_state(conn: Connection, what: Hashable) -> tuple[bool, Any]:
    """Whether ``what`` was already made for the state ``conn`` sees, and the result if so."""
    return _cached(_key(conn, what))


def shared_in_state(conn: Connection, what: Hashable, make: Callable[[], T]) -> T:
    """One object for every computation that sees the workspace state ``conn``'s transaction
    sees (a memo they fill together); made by ``make`` the first time."""
    key = _key(conn, what)
    found, result = _cached(key)
    if found:
        return result  # type: ignore[no-any-return]
    with without_cycle_collection():
        result = make()
    _keep(key, result)
    return result
