"""Set membership of request-id hashes with memory of 8 bytes per id.

Ids are hashed to 64 bits and kept in sorted runs that merge as they grow (a tiny
log-structured set), so checking a million ids costs a few ``searchsorted`` calls rather than a
Python set of a million strings. Ids are hashed straight from Arrow's buffer, eight bytes at a
time, with a multiply-xorshift mix. Two different ids share a hash with probability about
n²/2⁶⁵ (3·10⁻⁸ for a million ids).
"""

from __future__ import annotations

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
