"""Set membership of request-id hashes with memory of 8 bytes per id.

Ids are hashed to 64 bits (pandas' SipHash-based ``hash_array``) and kept in sorted runs that
merge as they grow (a tiny log-structured set), so checking a million ids costs a few
``searchsorted`` calls rather than a Python set of a million strings. Two different ids share a
hash with probability about n²/2⁶⁵ (3·10⁻⁸ for a million ids).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def hash_ids(ids: np.ndarray) -> np.ndarray:
    """64-bit hashes of an object array of strings."""
    return pd.util.hash_array(ids, categorize=False)


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
        keep = np.zeros(len(hashes), dtype=bool)
        if len(hashes) == 0:
            return keep
        unique, first_index = np.unique(hashes, return_index=True)
        fresh = np.ones(len(unique), dtype=bool)
        for run in self._runs:
            positions = np.searchsorted(run, unique)
            positions[positions == len(run)] = 0
            fresh &= run[positions] != unique
        keep[first_index[fresh]] = True
        self._add_run(unique[fresh])
        return keep

    def _add_run(self, run: np.ndarray) -> None:
        if len(run) == 0:
            return
        self._runs.append(run)
        while len(self._runs) > 1 and len(self._runs[-2]) <= 2 * len(self._runs[-1]):
            last = self._runs.pop()
            previous = self._runs.pop()
            self._runs.append(np.sort(np.concatenate([previous, last]), kind="stable"))
