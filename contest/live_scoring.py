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
in a row before this one, at most 50 %, and only to a fully right answer; the paper's maximum
then counts the best streak each question can carry (:func:`attainable_points`).

The speed factor is stored with each answer, so that a regrade (a key fix) recomputes the
points from the corrected fractions, the kept speeds and the recounted streaks
(:func:`regraded_points`) instead of falling back to plain points.
"""

from collections.abc import Sequence
from dataclasses import dataclass
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
    return weighted_points(
        fraction=fraction,
        points=points,
        speed=answer_speed(scoring=scoring, seconds=seconds, limit_seconds=limit_seconds),
        streak=streak if streak_bonus else 0,
    )


def answer_speed(*, scoring: str, seconds: float, limit_seconds: float) -> Decimal:
    """The speed factor an answer keeps for good (1 under fixed scoring): a regrade after a key
    fix reuses it, so that a corrected key does not forget how fast the answer came."""
    if scoring != SPEED:
        return Decimal(1)
    return speed_factor(seconds=seconds, limit_seconds=limit_seconds).quantize(Decimal("0.0001"))


def weighted_points(
    *, fraction: float | None, points: Decimal, speed: Decimal, streak: int
) -> Decimal | None:
    """``fraction`` of ``points`` times the speed factor, plus the streak share when fully right."""
    if fraction is None:
        return None
    share = Decimal(str(fraction))
    if share <= 0:
        return Decimal("0.00")
    share *= speed
    if fraction >= 1:
        share += streak_factor(streak)
    return (share * Decimal(points)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Answered:
    """One question of a live paper as a regrade sees it: its effective fraction (after key
    fixes; None if unanswered or waiting for a judge), the speed factor kept with the answer,
    and whether the question was voided."""

    fraction: float | None = None
    speed: Decimal = Decimal(1)
    voided: bool = False


def regraded_points(
    questions: Sequence[Answered], points: Sequence[Decimal], *, streak_bonus: bool
) -> list[Decimal | None]:
    """Every question's points, in paper order, with streaks recounted from the effective
    fractions: a key fix on one question changes the streaks after it. A voided question
    neither counts in a streak nor breaks it."""
    streak, result = 0, []
    for question, worth in zip(questions, points, strict=True):
        if question.voided:
            result.append(None)
            continue
        result.append(
            weighted_points(
                fraction=question.fraction,
                points=worth,
                speed=question.speed,
                streak=streak if streak_bonus else 0,
            )
        )
        streak = streak + 1 if question.fraction is not None and question.fraction >= 1 else 0
    return result


def attainable_points(
    points: Sequence[Decimal], *, streak_bonus: bool, voided: Sequence[bool] = ()
) -> list[Decimal]:
    """The most each question can earn (a fast, right answer at the longest possible streak):
    with the streak bonus, a live paper's maximum is more than the sum of its points."""
    voided = list(voided) or [False] * len(points)
    result, before = [], 0
    for worth, void in zip(points, voided, strict=True):
        bonus = streak_factor(before) if streak_bonus else Decimal(0)
        result.append((Decimal(worth) * (1 + bonus)).quantize(CENT, rounding=ROUND_HALF_UP))
        before += 0 if void else 1
    return result
