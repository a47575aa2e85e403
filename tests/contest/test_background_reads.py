"""The second database thread: refreshes run beside the thread answers and entries use."""

import threading

import pytest
from channels.db import database_sync_to_async

from contest.background_reads import background_read
from contest.models import Round

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_a_background_read_runs_on_its_own_thread_and_sees_committed_rows(edition):
    from tests.contest.rounds_helpers import exam_round

    round_ = await database_sync_to_async(exam_round)(edition)
    main = await database_sync_to_async(threading.get_ident)()
    reads = await background_read(threading.get_ident)()
    assert main != reads
    assert await background_read(lambda: Round.objects.filter(pk=round_.pk).exists())()
