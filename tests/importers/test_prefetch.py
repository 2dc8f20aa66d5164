"""Items made ahead on a worker thread arrive in order, failures arrive in their place, and a
consumer that stops early leaves no thread behind."""

import threading

import pytest

from importers.prefetch import Prefetched


def test_items_arrive_in_order_and_the_worker_ends():
    stream = Prefetched(iter(range(1000)), depth=2)
    assert list(stream) == list(range(1000))
    assert list(stream) == []
    assert not any(t.name == "prefetch" for t in threading.enumerate())


def test_a_failure_of_the_source_is_raised_to_the_consumer_after_the_items_before_it():
    def source():
        yield 1
        yield 2
        raise ValueError("bad block")

    stream = Prefetched(source())
    assert next(stream) == 1 and next(stream) == 2
    with pytest.raises(ValueError, match="bad block"):
        next(stream)


def test_closing_early_stops_a_worker_that_waits_for_room():
    made = []

    def endless():
        n = 0
        while True:
            made.append(n)
            yield n
            n += 1

    stream = Prefetched(endless(), depth=1, name="endless")
    assert next(stream) == 0
    stream.close()
    assert not any(t.name == "endless" for t in threading.enumerate())
    assert len(made) <= 4  # never ran far ahead of the consumer
