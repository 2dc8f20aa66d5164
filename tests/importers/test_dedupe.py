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


def _blocks_strategy():
    from hypothesis import strategies as st

    block = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 30)), min_size=1, max_size=25)
    return st.lists(block, min_size=1, max_size=25)


def _run(ledger, blocks):
    masks = []
    for block in blocks:
        days = np.array([d for d, _ in block], dtype=np.int64)
        hashes = np.array([n * 7919 + 1 for _, n in block], dtype=np.uint64)
        masks.append(ledger.keep(days + 20_000, hashes).tolist())
    return masks, [(day, hashes.tolist()) for day, hashes in ledger.kept_by_day()]


def test_deferred_repeats_keep_and_store_what_deciding_at_once_keeps_or_ask_to_read_again():
    """A reader that defers the check for ids repeated in its file keeps every request not
    imported before; at the end the bet is checked: without repeats the stored hashes are
    what deciding at once stores, with one the file must be read again."""
    from hypothesis import given, settings

    from importers.dedupe import RequestIdLedger

    known = {"2024-10-04": np.array([1, 7920 * 3 + 1], dtype=np.uint64)}

    @settings(max_examples=80, deadline=None)
    @given(_blocks_strategy())
    def check(blocks):
        exact = RequestIdLedger(lambda d: known.get(d, []))
        exact_masks, exact_kept = _run(exact, blocks)
        deferred = RequestIdLedger(lambda d: known.get(d, []))
        deferred.defer_repeats()
        masks = []
        for block in blocks:
            days = np.array([d for d, _ in block], dtype=np.int64) + 20_000
            hashes = np.array([n * 7919 + 1 for _, n in block], dtype=np.uint64)
            masks.append(deferred.keep(days, hashes).tolist())
        repeated = exact.duplicates > 0
        assert deferred.settle_repeats() is not repeated
        assert deferred.already_imported == exact.already_imported
        if not repeated:
            assert masks == exact_masks
            kept = [(day, hashes.tolist()) for day, hashes in deferred.kept_by_day()]
            assert kept == exact_kept
        deferred.close()

    check()


def test_a_file_repeating_a_request_id_is_read_again_and_keeps_the_first_in_file_order(tmp_path):
    from importers.gateway import GatewayCsvImporter
    from tests.importers.helpers import read_with, write

    path = write(
        tmp_path,
        "repeat.csv",
        "timestamp,request_id,model,team,input_tokens\n"
        "2026-10-01T01:00:00Z,r1,claude-sonnet-4-5,data,10\n"
        "2026-10-01T02:00:00Z,r2,claude-sonnet-4-5,web,20\n"
        "2026-10-01T03:00:00Z,r1,claude-sonnet-4-5,ops,40\n",
    )
    data, ctx = read_with(GatewayCsvImporter(), path)
    assert ctx.rows_read == 3 and ctx.duplicates_skipped == 1
    lines = {row.tags: row.input_tokens for row in data.frame.itertuples()}
    assert lines == {'{"team":"data"}': 10, '{"team":"web"}': 20}
    assert [len(h) for _, h in ctx.request_ids.kept_by_day()] == [2]
