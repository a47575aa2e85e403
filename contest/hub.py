"""The per-process fan-out hub: one subscription per group per process, one encoded frame
written to every local socket of the group.

Why not Channels' ``group_send``: it costs one channel-layer message per member (the in-memory
layer's is even O(N²), cleaning expired entries on every call), and a Channels consumer that
listens on the layer is closed (1011) when Redis errors. Here consumers never touch the layer.
Each process subscribes once per group it has local sockets for, with its own reconnecting
subscriber: if Redis restarts, sockets stay open, answers keep being stored and acknowledged,
and once the link is back every local socket gets a ``resync`` hint to reload state from the
database.

Without ``REDIS_URL`` there is one process (the embedded default) and broadcasts are
delivered in-process. ``broadcast`` may be called from any thread (services run in
``database_sync_to_async`` threads and the round clock in its own thread).
"""

import asyncio
import contextlib
import logging
import os
import queue
import threading
from collections.abc import Awaitable, Callable
from urllib.parse import urlparse

import orjson
from django.conf import settings

from contest import events

logger = logging.getLogger(__name__)

Callback = Callable[[str, dict], Awaitable[None]]

RECONNECT_MIN_SECONDS = 0.2
RECONNECT_MAX_SECONDS = 5.0
JOIN_WAIT_SECONDS = 2.0
HEALTH_CHECK_SECONDS = 10
# Named so that an operator (or a test) can find this process's subscriber in CLIENT LIST.
HUB_CLIENT_NAME = f"hoithi-hub-{os.getpid()}"


def _channel_prefix(url: str) -> str:
    # Redis pub/sub ignores the database number: put it in the channel name so that two
    # deployments (or test runs) on one Redis server never hear each other.
    db = (urlparse(url).path or "/0").strip("/") or "0"
    return f"hoithi:{db}:"


class Hub:
    """The relay of one event loop (one per process in production)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, redis_url: str | None):
        self.loop = loop
        self.redis_url = redis_url
        self.prefix = _channel_prefix(redis_url) if redis_url else ""
        self.groups: dict[str, set[Callback]] = {}
        self.queue: asyncio.Queue = asyncio.Queue()
        self.pubsub = None
        self.connected = asyncio.Event()
        self.tasks = [loop.create_task(self._dispatch())]
        if redis_url:
            self.tasks.append(loop.create_task(self._subscriber()))

    # -- local sockets ----------------------------------------------------------------

    async def join(self, group: str, callback: Callback) -> None:
        members = self.groups.setdefault(group, set())
        members.add(callback)
        if not self.redis_url:
            return
        # Subscribed before the caller reads its snapshot, so that nothing committed after the
        # snapshot can be missed. If Redis is away, go on: the subscriber subscribes every group
        # once it is back, and sends a ``resync`` hint.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.connected.wait(), JOIN_WAIT_SECONDS)
        if len(members) == 1 and self.pubsub is not None and self.connected.is_set():
            with contextlib.suppress(Exception):
                await self.pubsub.subscribe(self.prefix + group)

    async def leave(self, group: str, callback: Callback) -> None:
        members = self.groups.get(group)
        if not members:
            return
        members.discard(callback)
        if not members:
            del self.groups[group]
            if self.redis_url and self.pubsub is not None:
                with contextlib.suppress(Exception):
                    await self.pubsub.unsubscribe(self.prefix + group)

    def deliver_threadsafe(self, group: str, text: str) -> None:
        if not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.queue.put_nowait, (group, text))

    async def _dispatch(self) -> None:
        """One task per hub, so that frames reach each socket in the order they were sent."""
        while True:
            group, text = await self.queue.get()
            members = list(self.groups.get(group, ()))
            if not members:
                continue
            event = orjson.loads(text)
            for callback in members:
                try:
                    await callback(text, event)
                except Exception:
                    logger.exception("delivering %s to a socket failed", event.get("type"))

    # -- Redis --------------------------------------------------------------------------

    async def _subscriber(self) -> None:
        import redis.asyncio as aioredis

        delay = RECONNECT_MIN_SECONDS
        first = True
        while True:
            # No socket timeout (an idle subscription is normal: a timeout would drop it, the
            # trap of channels-redis with redis-py 8), but TCP keepalive and a PING every few
            # seconds, so that a Redis that vanished without a reset is noticed.
            client = aioredis.Redis.from_url(
                self.redis_url,
                socket_timeout=None,
                socket_connect_timeout=5,
                socket_keepalive=True,
                health_check_interval=HEALTH_CHECK_SECONDS,
                client_name=HUB_CLIENT_NAME,
            )
            try:
                self.pubsub = client.pubsub(ignore_subscribe_messages=True)
                # A placeholder channel keeps the connection subscribed while no group is.
                await self.pubsub.subscribe(self.prefix + "_hub", *[self.prefix + g for g in self.groups])
                self.connected.set()
                delay = RECONNECT_MIN_SECONDS
                if not first:
                    self._resync_everyone()
                first = False
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.connected.clear()
                logger.warning("hub lost Redis (%s); reconnecting in %.1fs", exc, delay)
            finally:
                self.pubsub = None
                with contextlib.suppress(Exception):
                    await client.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_MAX_SECONDS)

    async def _listen(self) -> None:
        prefix_length = len(self.prefix)
        while True:
            message = await self.pubsub.get_message(timeout=HEALTH_CHECK_SECONDS / 2)
            if message is None or message.get("type") != "message":
                continue
            channel = message["channel"].decode()
            data = message["data"]
            self.queue.put_nowait(
                (channel[prefix_length:], data.decode() if isinstance(data, bytes) else data)
            )

    def _resync_everyone(self) -> None:
        """Broadcasts may have been missed while Redis was away: tell every local socket."""
        text = events.encode({"type": events.RESYNC})
        for group in list(self.groups):
            if group.count(".") == 1:  # round groups only: every socket is in exactly one
                self.queue.put_nowait((group, text))

    def close(self) -> None:
        for task in self.tasks:
            task.cancel()


_hubs: dict[asyncio.AbstractEventLoop, Hub] = {}
_hubs_lock = threading.Lock()
_publishers: dict[str, "_Publisher"] = {}


def get_hub() -> Hub:
    """The hub of the running event loop, created on first use."""
    loop = asyncio.get_running_loop()
    with _hubs_lock:
        for stale in [other for other in _hubs if other.is_closed()]:
            del _hubs[stale]
        hub = _hubs.get(loop)
        if hub is None:
            hub = _hubs[loop] = Hub(loop, settings.REDIS_URL or None)
    return hub


class _Publisher(threading.Thread):
    """Publishes to Redis from its own thread, in order. Services call :func:`broadcast` in
    their on-commit hooks on the database thread; a slow or absent Redis must never hold up
    that thread (answers would stop being acknowledged), so they only enqueue. A frame that
    cannot be published is dropped with a warning: broadcasts are hints, the database is
    the truth, and the hub's subscriber sends ``resync`` once Redis is back."""

    def __init__(self, url: str):
        super().__init__(name="hub-publisher", daemon=True)
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.queue: queue.SimpleQueue = queue.SimpleQueue()

    def run(self) -> None:
        while True:
            channel, text = self.queue.get()
            try:
                self.client.publish(channel, text)
            except Exception as exc:
                logger.warning("could not publish to %s (%s); clients will resync", channel, exc)


def _publisher(url: str) -> _Publisher:
    with _hubs_lock:
        if url not in _publishers:
            _publishers[url] = _Publisher(url)
            _publishers[url].start()
        return _publishers[url]


def broadcast(group: str, text: str) -> None:
    """Send an encoded frame to every process's local sockets of ``group``. Any thread; never
    blocks on the network."""
    if settings.REDIS_URL:
        _publisher(settings.REDIS_URL).queue.put((_channel_prefix(settings.REDIS_URL) + group, text))
        return
    with _hubs_lock:
        hubs = list(_hubs.values())
    for hub in hubs:
        hub.deliver_threadsafe(group, text)
