"""Group commit: items arriving together are flushed once, and only a flush acknowledges."""

import asyncio

import pytest

from contest.batcher import Batcher

# The flush runs through database_sync_to_async, which tidies the thread's connections.
pytestmark = [pytest.mark.asyncio, pytest.mark.django_db]


async def test_items_arriving_together_are_flushed_in_one_call_and_answered_in_order():
    calls = []

    def flush(items, *, now):
        calls.append(list(items))
        return [item * 2 for item in items]

    batcher = Batcher(flush, window=0.01)
    assert await asyncio.gather(*[batcher.submit(i) for i in range(5)]) == [0, 2, 4, 6, 8]
    assert calls == [[0, 1, 2, 3, 4]]


async def test_a_batch_is_capped_and_the_rest_follows():
    calls = []

    def flush(items, *, now):
        calls.append(len(items))
        return items

    batcher = Batcher(flush, window=0.001, max_batch=3)
    assert await asyncio.gather(*[batcher.submit(i) for i in range(7)]) == list(range(7))
    assert calls == [3, 3, 1]


async def test_a_failed_flush_acknowledges_nothing_and_the_next_batch_still_runs():
    def flush(items, *, now):
        if 0 in items:
            raise RuntimeError("database is locked")
        return items

    batcher = Batcher(flush, window=0.001)
    with pytest.raises(RuntimeError):
        await batcher.submit(0)
    assert await batcher.submit(1) == 1
