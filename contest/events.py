"""The catalogue of live events: group names, frame types, and publishing after commit.

A published event is the exact frame that sockets receive (a JSON object with ``type``), so a
process encodes it once and its hub (:mod:`contest.hub`) writes the same text to every local
socket of the group. Events are only hints: the database is the truth, and any client can
resync from it.

Services publish with :func:`publish_on_commit`, so nothing is announced that could still roll
back (a rolled-back pause must never reach a contestant).
"""

import json
import logging
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal

import orjson
from django.db import transaction

logger = logging.getLogger(__name__)

PROTOCOL_VERSION = 1

# --- Groups ------------------------------------------------------------------------------


def round_group(round_id: int) -> str:
    """Every socket of a round: contestants, organisers and viewers."""
    return f"round.{round_id}"


def control_group(round_id: int) -> str:
    """Organisers' and viewers' sockets: progress hints that contestants never see."""
    return f"round.{round_id}.control"


def contestant_group(round_id: int, registration_id: int) -> str:
    """All sockets of one contestant in one round (devices, tabs): takeover and their attempt."""
    return f"round.{round_id}.reg.{registration_id}"


# --- Frame types pushed by services ------------------------------------------------------

ROUND_STATE = "round.state"  # to round_group; field ``event`` is one of ROUND_EVENTS
ANNOUNCEMENT = "announcement"  # to round_group
ATTEMPT_UPDATED = "attempt.updated"  # to contestant_group: new deadline
SUBMITTED = "submitted"  # to contestant_group
TAKEOVER = "takeover"  # to contestant_group; field ``connection`` is the winner
PROGRESS_HINT = "progress.hint"  # to control_group: contestants acted; monitors refresh
RESYNC = "resync"  # from the hub to its local sockets after its broadcast link came back
# BOARD_HINT also follows every judging change of scores (marks, adjustments, key fixes, appeals)
# and the publication of results (contest.services.judging / keyfixes / signoff).
BOARD_HINT = "board.hint"  # to control_group: board settings, truth or reveal changed; boards refresh

ROUND_EVENTS = (
    "round.scheduled",
    "round.unscheduled",
    "round.started",
    "round.paused",
    "round.resumed",
    "round.extended",
    "round.closed",
    "round.reset",
    "round.updated",
)

# Frames that only exist between server processes and are never written to a socket as such.
INTERNAL_TYPES = (PROGRESS_HINT, BOARD_HINT)


def _default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def encode(payload: dict) -> str:
    """Compact JSON, UTF-8 as is. orjson: a start sends thousands of papers in a second, and
    the standard encoder took a tenth of the servers' time there."""
    return orjson.dumps(payload, default=_default, option=orjson.OPT_NON_STR_KEYS).decode()


# --- Publishing ----------------------------------------------------------------------------

_recorders: list[list] = []


def publish(group: str, payload: dict) -> None:
    """Send now, to every process. Only for callers outside a transaction (the hub, tests)."""
    text = encode(payload)
    for recorded in _recorders:
        recorded.append((group, json.loads(text)))
    from contest import hub  # the hub imports this module

    try:
        hub.broadcast(group, text)
    except Exception:
        # A broadcast is a hint; clients resync from the database. Never fail the caller.
        logger.exception("broadcast to %s failed", group)


def publish_on_commit(group: str, payload: dict) -> None:
    """Publish once the surrounding transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: publish(group, payload))


@contextmanager
def capture():
    """Record every published event (JSON round-tripped, as a socket would see it). For tests."""
    recorded: list[tuple[str, dict]] = []
    _recorders.append(recorded)
    try:
        yield recorded
    finally:
        _recorders.remove(recorded)
