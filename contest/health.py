"""Health checks for /health/: database, channel layer, round clock.

The channel layer is checked by a real round trip: a message sent to a private channel of
this process must come back. With Redis that proves the connection, the pub/sub
subscription and (de)serialisation all work, which a PING would not.
"""

import asyncio
import importlib
import logging
import secrets
import weakref

from channels.layers import get_channel_layer
from django.db import connection

logger = logging.getLogger(__name__)

# One private channel (and lock) per event loop: subscribing a fresh channel per check
# would leave a subscription behind every time with the Redis pub/sub layer.
_probes: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, tuple[asyncio.Lock, list]]" = (
    weakref.WeakKeyDictionary()
)


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        logger.exception("Health check: database unreachable")
        return False


async def check_channel_layer(timeout: float = 2.0) -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False
    lock, channel = _probes.setdefault(asyncio.get_running_loop(), (asyncio.Lock(), []))
    nonce = secrets.token_hex(8)
    try:
        async with lock:
            if not channel:
                channel.append(await layer.new_channel("health."))
            await layer.send(channel[0], {"type": "health.ping", "nonce": nonce})
            async with asyncio.timeout(timeout):
                while True:  # a late reply to an earlier, timed-out check may be queued first
                    message = await layer.receive(channel[0])
                    if message.get("nonce") == nonce:
                        return True
    except Exception:
        logger.exception("Health check: channel layer round trip failed")
        return False


def clock_lag() -> float | None:
    """Seconds since the round clock last ticked, from ``contest.clock.last_tick_lag()``
    when the rounds module provides it; None when unknown."""
    try:
        clock = importlib.import_module("contest.clock")
    except ImportError:
        return None
    last_tick_lag = getattr(clock, "last_tick_lag", None)
    return last_tick_lag() if last_tick_lag else None
