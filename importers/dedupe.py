"""Set membership of request-id hashes with memory of 8 bytes per id.

Ids are hashed to 64 bits and kept in sorted runs that merge as they grow (a tiny
log-structured set), so checking a million ids costs a few ``searchsorted`` calls rather than a
Python set of a million strings. Ids are hashed straight from Arrow's buffer, eight bytes at a
time, with a multiply-xorshift mix. Two different ids share a hash with probability about
n²/2⁶⁵ (3·10⁻⁸ for a million ids).

:class:`RequestIdLedger` extends this across files: the hashes each import keeps are stored per
day, and a later file of the same source skips the requests already imported (late-arriving
logs add only what is new).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import IO

import numpy as np
import pandas as pd
import pyarrow as pa

_SEED = np.uint64(0xCBF29CE484222325)
_PRIME = np.uint64(0x100000001B3)
_SHIFT = np.uint64(29)


def _mix(rows: np.ndarray, width: int) -> np.ndarray:
    """Hash each row of a ``(n, width)`` byte matrix, eight bytes at a time."""
    words = (width + 7) // 8
    padded = np.zeros((len(rows), words * 8), dtype=np.uint8)
    padded[:, :width] = rows
    view = padded.view(np.uint64)
    hashes = np.full(len(rows), _SEED, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(words):
            hashes ^= view[:, j]
            hashes *= _PRIME
            hashes ^= hashes >> _SHIFT
        hashes ^= np.uint64(width)
    return hashes


def hash_ids(ids: pa.Array) -> np.ndarray:
    """64-bit hashes of an Arrow array of strings (no nulls); a hash depends only on its id."""
    if isinstance(ids, pa.ChunkedArray):
        ids = ids.combine_chunks()
    if ids.type != pa.large_string():
        ids = ids.cast(pa.large_string())
    n = len(ids)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    offsets = np.frombuffer(ids.buffers()[1], dtype=np.int64, count=n + 1, offset=ids.offset * 8)
    data_buffer = ids.buffers()[2]
    data = (
        np.frombuffer(data_buffer, dtype=np.uint8)
        if data_buffer is not None
        else np.zeros(0, dtype=np.uint8)
    )
    lengths = np.diff(offsets)
    first = int(lengths[0])
    if (lengths == first).all():
        block = data[offsets[0] : offsets[-1]].reshape(n, first)
        return _mix(block, first)
    hashes = np.empty(n, dtype=np.uint64)
    for width in np.unique(lengths):
        rows = np.flatnonzero(lengths == width)
        positions = offsets[rows][:, None] + np.arange(int(width))
        hashes[rows] = _mix(data[positions], int(width))
    return hashes


MAX_MERGED_RUN = 1 << 21
"""Runs stop merging at two million hashes, so a merge never doubles a large memory block."""


class SeenHashes:
    """Sorted runs of unique hashes; each run at least twice the size of the next."""

    def __init__(self) -> None:
        self._runs: list[np.ndarray] = []

    def __len__(self) -> int:
        return sum(len(run) for run in self._runs)

    def values(self) -> np.ndarray:
        """Every hash remembered, sorted."""
        if not self._runs:
            return np.zeros(0, dtype=np.uint64)
        return np.sort(np.concatenate(self._runs))

    def first_sightings(self, hashes: np.ndarray) -> np.ndarray:
        """Boolean mask: True where the hash was not seen before (nor earlier in ``hashes``).

        The hashes marked True are remembered.
        """
        if len(hashes) == 0:
            return np.zeros(0, dtype=bool)
        candidates = np.flatnonzero(~pd.Series(hashes).duplicated().to_numpy())
        unique = hashes[candidates]
        fresh = np.ones(len(unique), dtype=bool)
        for run in self._runs:
            positions = np.searchsorted(run, unique)
            positions[positions == len(run)] = 0
            fresh &= run[positions] != unique
        keep = np.zeros(len(hashes), dtype=bool)
        keep[candidates[fresh]] = True
        self._add_run(np.sort(unique[fresh]))
        return keep

    def _add_run(self, run: np.ndarray) -> None:
        if len(run) == 0:
            return
        self._runs.append(run)
        while (
            len(self._runs) > 1
            and len(self._runs[-2]) <= 2 * len(self._runs[-1])
            and len(self._runs[-2]) + len(self._runs[-1]) <= MAX_MERGED_RUN
        ):
            last = self._runs.pop()
            previous = self._runs.pop()
            self._runs.append(np.sort(np.concatenate([previous, last]), kind="stable"))


_MASK = (1 << 64) - 1


def hash_id(request_id: str) -> int:
    """The hash :func:`hash_ids` gives one id (for row-by-row readers)."""
    data = request_id.encode("utf-8")
    width = len(data)
    padded = data + b"\0" * (-width % 8)
    value = int(_SEED)
    for start in range(0, len(padded), 8):
        value ^= int.from_bytes(padded[start : start + 8], "little")
        value = (value * int(_PRIME)) & _MASK
        value ^= value >> int(_SHIFT)
    return value ^ width


EPOCH = date(1970, 1, 1)


def day_number(day: str) -> int:
    """Days since 1970-01-01 of an ISO day (Arrow's date32)."""
    return (date.fromisoformat(day) - EPOCH).days


def day_text(number: int) -> str:
    return (EPOCH + timedelta(days=int(number))).isoformat()


class _SpilledDays:
    """Hashes of each day in one anonymous temporary file, in pieces appended as they come
    (the system removes the file when it is closed or the process ends, however it ends)."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._where: dict[int, list[tuple[int, int]]] = {}

    def __contains__(self, day: int) -> bool:
        return day in self._where

    def days(self) -> list[int]:
        return list(self._where)

    def append(self, day: int, hashes: np.ndarray) -> None:
        if self._file is None:
            # Open as long as the ledger lives: closed with it or by the process ending.
            self._file = tempfile.TemporaryFile(prefix="cbdesk-ids-")  # noqa: SIM115
        self._file.seek(0, os.SEEK_END)
        self._where.setdefault(day, []).append((self._file.tell(), len(hashes)))
        self._file.write(np.asarray(hashes, dtype="<u8").tobytes())

    def read(self, day: int) -> np.ndarray:
        """The day's pieces, one after the other."""
        assert self._file is not None
        parts = []
        for offset, count in self._where[day]:
            self._file.seek(offset)
            parts.append(np.frombuffer(self._file.read(count * 8), dtype="<u8"))
        return np.concatenate(parts).astype(np.uint64)

    def take(self, day: int) -> np.ndarray:
        """The day's hashes, no longer kept here."""
        hashes = self.read(day)
        del self._where[day]
        return hashes

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = None
        self._where = {}


class RequestIdLedger:
    """Decides which requests of one file are new: not earlier in the file, not imported before.

    ``known_for_day(day)`` returns the sorted hashes earlier imports of the same source stored
    for that day (``YYYY-MM-DD``); it is asked once per day the file touches. Requests without
    an id cannot be recognised and are always kept. The hashes of the kept requests are what
    the import stores. Days are passed as day numbers (Arrow's date32) to keep this vectorised.

    With :meth:`defer_repeats`, a reader that can read its file again bets that no id comes
    twice in it: the ids go straight to the file, nothing grows in memory, and
    :meth:`settle_repeats` checks the bet at the end.
    """

    def __init__(self, known_for_day: Callable[[str], np.ndarray] | None = None) -> None:
        self._known_for_day = known_for_day or (lambda _day: np.zeros(0, dtype=np.uint64))
        self._spilled = _SpilledDays()
        self.reset()

    def reset(self) -> None:
        """Forget the file read so far (the reader starts again)."""
        self._known: dict[int, np.ndarray] = {}
        self._seen: dict[int, SeenHashes] = {}
        """Per day, the ids kept so far: the file's duplicates check and what is stored."""
        self._deferred = False
        self._spilled.close()
        self.already_imported = 0
        self.duplicates = 0

    def close(self) -> None:
        """Release the temporary file (the kept hashes are gone)."""
        self.reset()

    def _known_hashes(self, day: int) -> np.ndarray:
        known = self._known.get(day)
        if known is None:
            loaded = self._known_for_day(day_text(day))
            known = self._known[day] = np.asarray(loaded, dtype=np.uint64)
        return known

    def keep(self, days: np.ndarray, hashes: np.ndarray) -> np.ndarray:
        """Boolean mask over requests (day numbers and id hashes, in file order): True to add.

        Of several requests of one day with one id, the first in file order is kept; a day's
        requests are checked against that day's earlier imports (ids are per day everywhere).
        """
        days = np.asarray(days, dtype=np.int64)
        distinct_days = np.unique(days)
        mask = np.zeros(len(hashes), dtype=bool)
        for day in distinct_days:
            rows = np.flatnonzero(days == day) if len(distinct_days) > 1 else np.arange(len(days))
            of_day = hashes[rows]
            fresh = np.ones(len(rows), dtype=bool)
            known = self._known_hashes(int(day))
            if len(known):
                positions = np.searchsorted(known, of_day)
                positions[positions == len(known)] = 0
                fresh = known[positions] != of_day
            self.already_imported += int(len(rows) - fresh.sum())
            candidates = np.flatnonzero(fresh)
            if self._deferred:
                self._spilled.append(int(day), of_day[candidates])
                mask[rows[candidates]] = True
                continue
            seen = self._seen.setdefault(int(day), SeenHashes())
            first = seen.first_sightings(of_day[candidates])
            self.duplicates += int(len(candidates) - first.sum())
            mask[rows[candidates[first]]] = True
        return mask

    def defer_repeats(self) -> None:
        """Keep every request not imported before, and check for ids repeated within the file
        only at the end (see :meth:`settle_repeats`). Call before the first :meth:`keep`."""
        self._deferred = True

    def settle_repeats(self) -> bool:
        """True when no id came twice in the file: every decision stands and the kept hashes
        are final. False when one did: reset and read the file again without deferring, so
        the first of the repeated requests in file order is the one kept."""
        if not self._deferred:
            return True
        for day in self._spilled.days():
            hashes = np.sort(self._spilled.take(day))
            if len(hashes) > 1 and bool((hashes[1:] == hashes[:-1]).any()):
                return False
            self._spilled.append(day, hashes)
        self._deferred = False
        return True

    def known_changed(self, known_for_day: Callable[[str], np.ndarray]) -> bool:
        """True when earlier imports' ids of the file's days differ from what was checked
        (another process imported or removed meanwhile): the decisions must be made again."""
        for day, known in self._known.items():
            if not np.array_equal(np.asarray(known_for_day(day_text(day)), np.uint64), known):
                return True
        return False

    def keep_one(self, day: str, request_id: str) -> bool:
        """True when the request with this id (on ``day``, ``YYYY-MM-DD``) is to be added."""
        days = np.array([day_number(day)], dtype=np.int64)
        return bool(self.keep(days, np.array([hash_id(request_id)], dtype=np.uint64))[0])

    def kept_by_day(self) -> Iterator[tuple[str, np.ndarray]]:
        """Sorted hashes of the requests kept, day by day (``YYYY-MM-DD``): what the import
        stores, one day in memory at a time."""
        for day in sorted({*self._seen, *self._spilled.days()}):
            seen = self._seen.get(day)
            hashes = seen.values() if seen is not None else self._spilled.read(day)
            if len(hashes):
                yield day_text(day), hashes
