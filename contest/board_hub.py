"""Debounced scoreboard ticks: one recomputation per round per process, shared by every local
board socket.

Why: N contestants answering must not cost N² messages, nor one ranking per viewer per answer.
Hints (``progress.hint`` after each answer batch, ``board.hint`` after a board action,
``round.state``) only mark a round's ticker dirty. The ticker recomputes at once when it has
been idle (a graded answer reaches the boards in well under a second), otherwise
:data:`MIN_INTERVAL` seconds after the previous tick's frames went out (so never more than two
``board`` messages in any one second to a viewer),
builds one frame per kind of viewer (audience × view), and writes each socket its kind's frame
only if it differs from the last one that socket got (a frozen board sends nothing at all).
A timer wakes the ticker when the freeze begins, since no hint marks that moment.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

import orjson
from django.utils import timezone

from contest import events
from contest.background_reads import background_read
from contest.board_frames import Kind, board_frames

logger = logging.getLogger(__name__)

MIN_INTERVAL = 0.5


class BoardSubscriber(Protocol):
    """What the ticker needs from a socket (see contest.board_consumers.BoardConsumer)."""

    kind: Kind
    last_content: str | None

    async def send_frame(self, text: str) -> None: ...


def content_of(frame: dict) -> str:
    """The frame without its timestamp, to tell whether a socket's picture changed."""
    content = {k: v for k, v in frame.items() if k != "server_time"}
    return orjson.dumps(content, default=str, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode()


class BoardTicker:
    """One round's ticks in one event loop."""

    def __init__(self, round_id: int, loop: asyncio.AbstractEventLoop):
        self.round_id = round_id
        self.loop = loop
        self.subscribers: set[BoardSubscriber] = set()
        self.dirty = False
        self.last_run = float("-inf")
        self.task: asyncio.Task | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.ticks = 0  # recomputations, for the benchmark and tests

    def poke(self) -> None:
        self.dirty = True
        if self.task is None or self.task.done():
            self.task = self.loop.create_task(self._run())

    async def _run(self) -> None:
        while self.dirty and self.subscribers:
            wait = self.last_run + MIN_INTERVAL - self.loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self.dirty = False
            try:
                await self.tick()
            except Exception:
                logger.exception("board tick for round %s failed", self.round_id)
            # Spaced from the end of the tick (when its frames went out), not its start: so two
            # frames to a socket are always at least MIN_INTERVAL apart, however long ticks take.
            self.last_run = self.loop.time()

    async def tick(self) -> None:
        subscribers = list(self.subscribers)
        kinds = {subscriber.kind for subscriber in subscribers}
        frames, wake_at = await background_read(board_frames)(self.round_id, kinds, now=timezone.now())
        self.ticks += 1
        self._schedule_wake(wake_at)
        encoded = {kind: (events.encode(frame), content_of(frame)) for kind, frame in frames.items()}
        for subscriber in subscribers:
            text, content = encoded[subscriber.kind]
            if subscriber.last_content == content:
                continue
            subscriber.last_content = content
            try:
                await subscriber.send_frame(text)
            except Exception:
                logger.exception("sending a board frame failed")

    def _schedule_wake(self, wake_at) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if wake_at is not None:
            delay = max(0.0, (wake_at - timezone.now()).total_seconds()) + 0.05
            self.timer = self.loop.call_later(delay, self.poke)


_tickers: dict[tuple[asyncio.AbstractEventLoop, int], BoardTicker] = {}


def ticker_for(round_id: int) -> BoardTicker:
    loop = asyncio.get_running_loop()
    for stale in [key for key in _tickers if key[0].is_closed()]:
        del _tickers[stale]
    key = (loop, round_id)
    if key not in _tickers:
        _tickers[key] = BoardTicker(round_id, loop)
    return _tickers[key]


def subscribe(round_id: int, subscriber) -> BoardTicker:
    ticker = ticker_for(round_id)
    ticker.subscribers.add(subscriber)
    return ticker


def unsubscribe(round_id: int, subscriber) -> None:
    ticker = ticker_for(round_id)
    ticker.subscribers.discard(subscriber)
    if not ticker.subscribers and ticker.timer is not None:
        ticker.timer.cancel()
        ticker.timer = None
