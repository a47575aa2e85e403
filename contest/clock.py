"""The round clock: applies scheduled transitions and submits overdue attempts, whether or not
anybody is connected.

One clock is active per deployment, guarded by a database lease (:class:`RoundClockLease`):
the holder renews it every tick; a second copy (another host, or a second
``run_round_clock``) waits as a standby and takes over only once the lease has expired. In
the embedded default the same loop runs in a thread of the Daphne process, started lazily by
:func:`with_round_clock` on the first request or socket (Daphne has no ASGI lifespan events).
"""

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone

from contest.models import RoundClockLease
from contest.services import attempts as attempt_services
from contest.services import live as live_services
from contest.services import rounds as round_services

logger = logging.getLogger(__name__)

LEASE_NAME = "round-clock"
TICK_SECONDS = 1.0
LEASE_SECONDS = 10.0


def tick(*, now) -> dict:
    """One pass of the clock's duties. Each duty is race-safe on its own (compare-and-swap)."""
    return {
        "opened": round_services.open_due_rounds(now=now),
        "submitted": attempt_services.submit_overdue(now=now),
        "closed": round_services.close_due_rounds(now=now),
        "questions_closed": live_services.close_due_questions(now=now),
    }


def acquire_lease(holder: str, *, now, seconds: float = LEASE_SECONDS) -> bool:
    """Take or renew the lease: succeeds for its holder, or for anyone once it has expired."""
    try:
        with transaction.atomic():
            RoundClockLease.objects.get_or_create(name=LEASE_NAME)
    except IntegrityError:
        pass  # created by the other copy at the same instant
    taken = (
        RoundClockLease.objects.filter(name=LEASE_NAME)
        .filter(Q(holder=holder) | Q(holder="") | Q(expires_at__isnull=True) | Q(expires_at__lt=now))
        .update(holder=holder, expires_at=now + timedelta(seconds=seconds))
    )
    return taken == 1


def release_lease(holder: str) -> None:
    RoundClockLease.objects.filter(name=LEASE_NAME, holder=holder).update(holder="", expires_at=None)


def mark_tick(holder: str, *, now) -> None:
    RoundClockLease.objects.filter(name=LEASE_NAME, holder=holder).update(last_tick_at=now)


def last_tick_lag(*, now=None) -> float | None:
    """Seconds since the active clock (in any process) last completed a tick; None if no clock
    has ever ticked. The health endpoint reports it; over a few seconds means trouble."""
    last = RoundClockLease.objects.filter(name=LEASE_NAME).values_list("last_tick_at", flat=True).first()
    if last is None:
        return None
    return max(0.0, ((now or timezone.now()) - last).total_seconds())


def new_holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def run(stop: threading.Event, *, holder: str | None = None, tick_seconds: float = TICK_SECONDS) -> None:
    """Tick until ``stop`` is set; only while holding the lease. Releases it on the way out so a
    standby takes over at once after a clean shutdown (SIGTERM)."""
    holder = holder or new_holder_id()
    active = False
    try:
        while not stop.is_set():
            close_old_connections()
            try:
                now = timezone.now()
                if acquire_lease(holder, now=now):
                    if not active:
                        logger.info("round clock %s is active", holder)
                        active = True
                    tick(now=now)
                    mark_tick(holder, now=timezone.now())
                elif active:
                    logger.warning("round clock %s lost its lease; standing by", holder)
                    active = False
            except Exception:
                logger.exception("round clock tick failed; retrying")
            stop.wait(tick_seconds)
    finally:
        try:
            release_lease(holder)
        finally:
            close_old_connections()


_thread: threading.Thread | None = None
_stop = threading.Event()
_start_lock = threading.Lock()


def ensure_started() -> bool:
    """Start the in-process clock thread once, when the settings ask for it (embedded default)."""
    global _thread
    if not settings.HOITHI.get("ROUND_CLOCK_IN_PROCESS"):
        return False
    with _start_lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=run, args=(_stop,), name="round-clock", daemon=True)
            _thread.start()
    return True


def with_round_clock(app):
    """ASGI wrapper starting the in-process clock on the first connection of any kind."""
    started = False

    async def application(scope, receive, send):
        nonlocal started
        if not started:
            started = True
            ensure_started()
        return await app(scope, receive, send)

    return application
