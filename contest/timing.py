"""Deadlines and remaining time from a round's configuration. Pure: no ORM, no clock.

The server owns time, and every function here takes ``now`` (or the relevant instants) as an
argument, so the same rules serve the services, the round clock, the snapshots sent to
browsers and the tests, which pin time instead of sleeping.

The rules:
- The **window** closes at ``closes_at`` plus every pause of the round and every extension
  given to everyone (a pause must not eat into the window either); a contestant's own
  extension moves their cap too.
- A contestant's clock is **anchored** at the round's start (synchronous rounds, and late
  entrants who only get the remaining time) or at their own entry (personal timers, and late
  entrants allowed the full duration).
- deadline = anchor + duration + pauses since the anchor + extensions, never past the window's
  close. With no duration the deadline is the window's close.
- Answers are accepted up to deadline + grace inclusive, for answers in flight.
- Time used is net of pauses.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

PERSONAL = "personal"
SYNCHRONOUS = "synchronous"
LATE_NONE = "none"
LATE_REMAINING = "remaining"
LATE_FULL = "full"

# "No late entry" still has to let a phone join a synchronous start: opening the page and
# tapping "Vào thi" takes a few seconds. Within this many seconds of the start an entrant is
# on time.
ON_TIME_SECONDS = 60


@dataclass(frozen=True)
class RoundClock:
    """The timing-relevant fields of a round (see :meth:`of`)."""

    timing: str = PERSONAL
    duration_seconds: int | None = None
    closes_at: datetime | None = None
    started_at: datetime | None = None
    paused_at: datetime | None = None
    paused_seconds: float = 0.0
    extension_seconds: int = 0
    late_entry: str = LATE_FULL
    late_entry_minutes: int = 0
    grace_seconds: float = 3.0

    @classmethod
    def of(cls, round_) -> "RoundClock":
        """From a Round row (or anything with the same attributes)."""
        return cls(**{name: getattr(round_, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class AttemptClock:
    entered_at: datetime
    extension_seconds: int = 0
    paused_seconds: float = 0.0

    @classmethod
    def of(cls, attempt) -> "AttemptClock":
        return cls(
            entered_at=attempt.started_at,
            extension_seconds=attempt.extension_seconds,
            paused_seconds=attempt.paused_seconds,
        )


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def effective_close(rc: RoundClock) -> datetime | None:
    """When the window closes: planned close shifted by the round's pauses and extensions."""
    if rc.closes_at is None:
        return None
    return rc.closes_at + _seconds(rc.paused_seconds + rc.extension_seconds)


def anchored_at_round_start(rc: RoundClock, entered_at: datetime) -> bool:
    """Whether this entrant's clock runs from the round's start rather than their own entry."""
    if rc.started_at is None:
        return False
    late = entered_at > rc.started_at + _seconds(rc.paused_seconds + ON_TIME_SECONDS)
    if rc.late_entry == LATE_FULL and late:
        return False
    return rc.timing == SYNCHRONOUS or rc.late_entry == LATE_REMAINING


def attempt_deadline(rc: RoundClock, ac: AttemptClock) -> datetime | None:
    """The absolute deadline of an attempt (None: no limit until an organiser closes)."""
    close = effective_close(rc)
    if rc.duration_seconds is None:
        return close
    if anchored_at_round_start(rc, ac.entered_at):
        # Round-level pauses and extensions shift the shared clock for everyone on it.
        base = rc.started_at + _seconds(
            rc.duration_seconds + rc.paused_seconds + rc.extension_seconds + ac.extension_seconds
        )
    else:
        base = ac.entered_at + _seconds(rc.duration_seconds + ac.paused_seconds + ac.extension_seconds)
    # A personal extension may carry one contestant past the window (e.g. after an outage of
    # theirs); the round then stays open until their attempt is over.
    return base if close is None else min(base, close + _seconds(ac.extension_seconds))


def remaining_seconds(
    deadline: datetime | None, *, now: datetime, paused_at: datetime | None = None
) -> float | None:
    """Seconds left; while the round is paused the clock stands at the moment of the pause."""
    if deadline is None:
        return None
    reference = paused_at if paused_at is not None else now
    return max(0.0, (deadline - reference).total_seconds())


def accepts_answer_at(deadline: datetime | None, *, grace_seconds: float, now: datetime) -> bool:
    """An answer received at ``now`` counts: up to deadline + grace, inclusive."""
    return deadline is None or now <= deadline + _seconds(grace_seconds)


def is_overdue(deadline: datetime | None, *, grace_seconds: float, now: datetime) -> bool:
    """The attempt must be submitted by the round clock: its grace has run out."""
    return not accepts_answer_at(deadline, grace_seconds=grace_seconds, now=now)


def time_used_seconds(
    *,
    started_at: datetime,
    now: datetime,
    submitted_at: datetime | None = None,
    paused_seconds: float = 0.0,
    paused_at: datetime | None = None,
) -> float:
    """Working time net of pauses. ``paused_seconds`` holds finished pauses; a pause still
    running (``paused_at``) stops the clock at its start."""
    end = submitted_at or now
    if submitted_at is None and paused_at is not None:
        end = min(end, max(paused_at, started_at))
    return max(0.0, (end - started_at).total_seconds() - paused_seconds)


def entry_refusal(rc: RoundClock, *, now: datetime) -> str | None:
    """Why entering now is too late under the late-entry policy, or None when allowed.

    Only the timing side: whether the round is open at all is :mod:`contest.states`'s job.
    """
    close = effective_close(rc)
    if close is not None and now >= close:
        return "closed"
    if rc.started_at is None or rc.late_entry == LATE_FULL:
        return None
    window = (
        ON_TIME_SECONDS if rc.late_entry == LATE_NONE else max(ON_TIME_SECONDS, rc.late_entry_minutes * 60)
    )
    if now > rc.started_at + _seconds(rc.paused_seconds + window):
        return "late"
    return None


def question_deadline(opened_at: datetime, seconds: int, extra_seconds: float = 0.0) -> datetime:
    """Live mode: when a question opened at ``opened_at`` stops taking answers (before grace)."""
    return opened_at + _seconds(seconds + extra_seconds)
