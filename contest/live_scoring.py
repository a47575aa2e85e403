"""Points for one answer in a live (host-paced) round. Pure: no ORM, no clock.

Speed is measured on the server only, never from a client's clock. The question left the server
at ``sent_at`` (the moment this contestant's socket was given it) and the answer arrived at
``received_at``; each leg of the trip took about half the round trip the server measured for
that socket, so the contestant's own thinking time is

    (received_at − rtt/2) − (sent_at + rtt/2) = received_at − sent_at − rtt

A slow network is therefore not a penalty. The round trip is capped (``MAX_RTT_SECONDS``): a
client could delay its receipt to inflate it, and the cap bounds what that can gain.

Speed-weighted points: a right answer earns between 50 % (at the time limit) and 100 %
(instantly) of the question's points, linearly; a partly right answer the same share of its
partial points. The optional streak bonus adds 10 % of the question's points per right answer
in a row before this one, at most 50 %, and only to a fully right answer.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

FIXED = "fixed"
SPEED = "speed"

CENT = Decimal("0.01")
SPEED_FLOOR = Decimal("0.5")
MAX_RTT_SECONDS = 2.0
STREAK_STEP = Decimal("0.1")
STREAK_MAX_STEPS = 5


def thinking_seconds(*, sent_at: datetime, received_at: datetime, rtt_seconds: float = 0.0) -> float:
    """The contestant's time to answer, net of the network (never below zero)."""
    rtt = min(max(rtt_seconds, 0.0), MAX_RTT_SECONDS)
    return max(0.0, (received_at - sent_at).total_seconds() - rtt)


def speed_factor(*, seconds: float, limit_seconds: float) -> Decimal:
    """1 for an instant answer, 0.5 at (or after) the time limit, linear in between."""
    if limit_seconds <= 0:
        return Decimal(1)
    share = Decimal(str(min(max(seconds / limit_seconds, 0.0), 1.0)))
    return Decimal(1) - (Decimal(1) - SPEED_FLOOR) * share


def streak_factor(streak: int) -> Decimal:
    return STREAK_STEP * min(max(streak, 0), STREAK_MAX_STEPS)


def answer_points(
    *,
    fraction: float | None,
    points: Decimal,
    scoring: str = FIXED,
    seconds: float = 0.0,
    limit_seconds: float = 0.0,
    streak: int = 0,
    streak_bonus: bool = False,
) -> Decimal | None:
    """Points for an answer graded ``fraction`` (None: waits for a judge, no points yet)."""
    if fraction is None:
        return None
    share = Decimal(str(fraction))
    if share <= 0:
        return Decimal("0.00")
    if scoring == SPEED:
        share *= speed_factor(seconds=seconds, limit_seconds=limit_seconds)
    if streak_bonus and fraction >= 1:
        share += streak_factor(streak)
    return (share * Decimal(points)).quantize(CENT, rounding=ROUND_HALF_UP)
