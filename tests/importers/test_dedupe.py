import numpy as np
import pyarrow as pa

from importers.dedupe import SeenHashes, hash_ids


def test_fixed_and_variable_width_ids_dedupe_across_batches():
    seen = SeenHashes()
    first = seen.first_sightings(hash_ids(pa.array(["req_01", "req_02", "req_01", "req_03"])))
    assert first.tolist() == [True, True, False, True]
    second = seen.first_sightings(
        hash_ids(pa.array(["req_03", "r4", "req_02", "a-much-longer-id"]))
    )
    assert second.tolist() == [False, True, False, True]
    assert len(seen) == 5


def test_many_batches_keep_exact_membership():
    rng = np.random.default_rng(7)
    seen = SeenHashes()
    everything: set[str] = set()
    for _ in range(30):
        ids = [f"id-{n:06d}" for n in rng.integers(0, 5000, 400)]
        keep = seen.first_sightings(hash_ids(pa.array(ids)))
        expected = []
        for value in ids:
            expected.append(value not in everything)
            everything.add(value)
        assert keep.tolist() == expected
