"""The live-round rules of an answer, called by :mod:`contest.services.answers` inside its
batch (the same group commit, ack after commit). Exam mode's checks (the owner, the round being
open, a valid response) have already passed.
"""

from decimal import Decimal

from contest import live, live_scoring
from contest.models import AnswerRevision, Attempt, Round, Team


def refusal(attempt: Attempt, slot: int, current: AnswerRevision | None, now) -> str | None:
    """Why this answer is refused in a live round, or None. ``current`` is the slot's latest
    revision; an answer given before a re-open does not count against the new opening."""
    round_ = attempt.round
    opened = round_.live_question_opened_at
    reason = live.answer_refusal(
        question_state=round_.live_question_state,
        index=round_.live_question_index,
        slot=slot,
        answered_this_opening=current is not None and opened is not None and current.received_at >= opened,
    )
    if reason:
        return reason
    deadline = round_.live_question_deadline
    if deadline is not None and (now - deadline).total_seconds() > round_.grace_seconds:
        return "too_late"
    if (
        round_.live_team_play == Round.LiveTeamPlay.CAPTAIN
        and not Team.objects.filter(captain_id=attempt.registration_id).exists()
    ):
        return live.NOT_CAPTAIN
    return None


def _streak(attempt: Attempt, index: int) -> int:
    """Right answers in a row just before question ``index`` (an unanswered one breaks it)."""
    latest: dict[int, float | None] = {}
    for slot, fraction in (
        AnswerRevision.objects.filter(attempt=attempt, slot__lt=index)
        .order_by("slot", "revision")
        .values_list("slot", "fraction")
    ):
        latest[slot] = fraction
    streak = 0
    for slot in range(index - 1, -1, -1):
        if (latest.get(slot) or 0) < 1:
            break
        streak += 1
    return streak


def points(
    attempt: Attempt, slot: dict, fraction: float | None, *, sent_at, rtt_seconds: float, now
) -> tuple[Decimal | None, Decimal]:
    """The answer's points under the round's live scoring (fixed or speed, streak bonus), and
    the speed factor to keep with it."""
    round_ = attempt.round
    opened, deadline = round_.live_question_opened_at, round_.live_question_deadline
    limit = (deadline - opened).total_seconds() if opened and deadline else 0.0
    seconds = live_scoring.thinking_seconds(
        sent_at=max(sent_at or opened, opened) if opened else now, received_at=now, rtt_seconds=rtt_seconds
    )
    speed = live_scoring.answer_speed(scoring=round_.live_scoring, seconds=seconds, limit_seconds=limit)
    streak = 0
    if round_.live_streak_bonus and fraction is not None and fraction >= 1:
        streak = _streak(attempt, live.current_index(round_.live_question_index))
    return live_scoring.weighted_points(
        fraction=fraction, points=Decimal(slot["points"]), speed=speed, streak=streak
    ), speed
