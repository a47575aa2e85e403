"""A second database thread per process, for the refreshes nobody waits on: scoreboard ticks,
the organisers' monitor and the projector's progress.

Channels runs every ``database_sync_to_async`` call of a process on one thread, one after
another. At a synchronous start or in the last-seconds rush, acknowledgements, entries and
the organisers' commands wait for that thread; a 2,000-contestant board tick or monitor queued
in front of them delayed them all. These reads run on their own thread with their own
connection instead. They only read, so they never wait for a write lock (SQLite in WAL mode
lets readers run beside the writer), and what they show is at most one refresh behind.
"""

from concurrent.futures import ThreadPoolExecutor

from channels.db import DatabaseSyncToAsync

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hoithi-reads")


def background_read(func):
    """``func`` as a coroutine function run on the background-reads thread (like
    ``database_sync_to_async``: connections are checked before and after each call)."""
    return DatabaseSyncToAsync(func, thread_sensitive=False, executor=_executor)
