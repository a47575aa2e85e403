"""What a scoreboard shows to whom, and when. Pure: no ORM, no clock (``now`` is passed in).

One function decides it (:func:`what_to_show`), so the websocket, the projector page and the
tests cannot disagree. The rules, in order:

1. A hidden board shows nothing; an organisers-only board shows nothing to contestants or the
   public; a contestants board nothing to the public.
2. Organisers and judges (``STAFF``) always see the live board: a freeze or an unpublished
   exam is about what the hall sees, not about the people running the contest.
3. Once the organisers start the reveal (after close), everyone allowed sees the reveal.
4. Published scores (the judges published the round) are shown as they are.
5. During an exam round, before publication, contestants and the public see progress only
   (who entered, how many answered, who submitted): a live score would tell a contestant
   whether a changed answer is right.
6. In the last ``freeze_minutes`` before the close, and after it until the reveal, the public
   board stays as it was when the freeze began.

The reveal (:func:`reveal_board`) goes from the frozen board to the final one row by row from
the bottom, as in ICPC ceremonies, and ends on a podium for the top 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum


class Audience(StrEnum):
    STAFF = "staff"
    CONTESTANT = "contestant"
    PUBLIC = "public"


class Show(StrEnum):
    """What a board frame carries. Values are sent to clients as ``phase``."""

    NOTHING = "hidden"
    PROGRESS = "progress"
    LIVE = "live"
    FROZEN = "frozen"
    REVEAL = "reveal"


# Visibility values of RoundBoard (kept as strings so this module needs no model).
HIDDEN, ORGANISERS, CONTESTANTS, PUBLIC = "hidden", "organisers", "contestants", "public"
ALLOWED = {
    HIDDEN: frozenset(),
    ORGANISERS: frozenset({Audience.STAFF}),
    CONTESTANTS: frozenset({Audience.STAFF, Audience.CONTESTANT}),
    PUBLIC: frozenset({Audience.STAFF, Audience.CONTESTANT, Audience.PUBLIC}),
}
EXAM = "exam"
PODIUM_SIZE = 3


def freeze_starts_at(closes_at: datetime | None, freeze_minutes: int) -> datetime | None:
    """When the public board stops, or None when it never does (no freeze, or no close)."""
    if not freeze_minutes or closes_at is None:
        return None
    return closes_at - timedelta(minutes=freeze_minutes)


def is_frozen(*, closes_at: datetime | None, freeze_minutes: int, now: datetime) -> bool:
    start = freeze_starts_at(closes_at, freeze_minutes)
    return start is not None and now >= start


def what_to_show(
    *,
    audience: Audience,
    visibility: str,
    mode: str,
    closes_at: datetime | None,
    freeze_minutes: int,
    now: datetime,
    published: bool = False,
    revealing: bool = False,
) -> Show:
    """The one decision of this module; see the module docstring for the rules."""
    if audience not in ALLOWED.get(visibility, frozenset()):
        return Show.NOTHING
    if audience is Audience.STAFF:
        return Show.LIVE
    if revealing:
        return Show.REVEAL
    if published:
        return Show.LIVE
    if mode == EXAM:
        return Show.PROGRESS
    if is_frozen(closes_at=closes_at, freeze_minutes=freeze_minutes, now=now):
        return Show.FROZEN
    return Show.LIVE


def reveal_board(frozen: Sequence[dict], final: Sequence[dict], step: int) -> dict:
    """The board after ``step`` reveals.

    ``frozen`` and ``final`` are board rows (dicts with at least ``id``), each in its own rank
    order. The bottom ``step`` rows of the final ranking are revealed (final values, marked
    ``revealed``); everyone above them is listed in frozen order with frozen values. Someone
    missing from the frozen board (entered after the freeze) is shown without a score until
    revealed. Once every row is revealed, ``podium`` holds the final rows ranked 1 to 3
    (more than three when ranks are shared).
    """
    step = max(0, min(step, len(final)))
    cut = len(final) - step
    pending_ids = {row["id"] for row in final[:cut]}
    frozen_by_id = {row["id"]: row for row in frozen}
    pending = [dict(row, revealed=False) for row in frozen if row["id"] in pending_ids]
    pending += [
        dict(row, score=None, rank=None, revealed=False)
        for row in final[:cut]
        if row["id"] not in frozen_by_id
    ]
    revealed = [dict(row, revealed=True) for row in final[cut:]]
    done = cut == 0
    return {
        "rows": pending + revealed,
        "step": step,
        "total": len(final),
        "next_id": final[cut - 1]["id"] if cut else None,
        "done": done,
        "podium": [row for row in final if row.get("rank") and row["rank"] <= PODIUM_SIZE] if done else None,
    }
