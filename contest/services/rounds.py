"""Round lifecycle and the organiser's control actions.

Every state change is a compare-and-swap: ``UPDATE … WHERE state = expected AND
state_version = v``; a row count other than 1 means someone else (another organiser, another
process, the round clock) won, and the loser gets :class:`Conflict` and changes nothing. Each
action writes one audit row (who, when, from, to) in the same transaction and publishes a
``round.state`` frame after commit.

``actor`` is the organiser's user, or None for the round clock (audited as ``system``).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from contest import audit, events, states, timing
from contest.models import Attempt, AttemptEvent, Round
from contest.services import attempts as attempt_services
from contest.services import entry
from contest.services.errors import Conflict, NotAllowed, NotFound
from contest.snapshots import round_info, server_time_ms


def _role(actor) -> str:
    return "organiser" if actor is not None else "system"


def _audit_state(round_: Round) -> dict:
    return {"state": round_.state, "state_version": round_.state_version}


def _publish_round(round_: Round, event: str, now, *, deadlines_changed: bool = False) -> None:
    frame = {
        "type": events.ROUND_STATE,
        "event": event,
        "round": round_info(round_),
        "server_time": server_time_ms(now),
        "deadlines_changed": deadlines_changed,
    }
    events.publish_on_commit(events.round_group(round_.pk), frame)


def _swap(round_: Round, *, action: str | None, now, **updates) -> Round:
    """Compare-and-swap the round row from the state and version the caller saw."""
    if action is not None:
        try:
            updates["state"] = states.round_transition(round_.state, action, practice=round_.is_practice)
        except states.TransitionRefused:
            raise NotAllowed(
                _("Không thể thực hiện thao tác này khi vòng thi đang ở trạng thái “%(s)s”.")
                % {"s": Round.State(round_.state).label}
            ) from None
    changed = Round.objects.filter(
        pk=round_.pk, state=round_.state, state_version=round_.state_version
    ).update(state_version=F("state_version") + 1, **updates)
    if changed != 1:
        raise Conflict(_("Vòng thi vừa được người khác thay đổi. Vui lòng tải lại và thử lại."))
    return Round.objects.get(pk=round_.pk)


def _apply(
    round_: Round, action: str, *, actor, now, ip=None, reason="", updates=None, after=None, **publish
):
    """One audited transition: swap, audit row, ``round.<action>`` frame after commit."""
    before = _audit_state(round_)
    new = _swap(round_, action=action, now=now, **(updates or {}))
    audit.record(
        action=f"round.{action}",
        actor=actor,
        actor_role=_role(actor),
        edition=new.edition_id,
        obj=new,
        before=before,
        after={**_audit_state(new), **(after or {})},
        reason=reason,
        ip=ip,
        now=now,
    )
    _publish_round(new, f"round.{_PAST[action]}", now, **publish)
    return new


_PAST = {
    states.SCHEDULE: "scheduled",
    states.UNSCHEDULE: "unscheduled",
    states.START: "started",
    states.PAUSE: "paused",
    states.RESUME: "resumed",
    states.CLOSE: "closed",
    states.RESET: "reset",
}


@transaction.atomic
def schedule_round(*, round_: Round, actor, now, ip=None) -> Round:
    """draft → scheduled. Needs a paper and an opening time; builds every paper ahead."""
    if round_.paper_id is None or round_.opens_at is None:
        raise NotAllowed(_("Cần chọn đề thi và thời điểm mở trước khi lên lịch."))
    entry.prepare_papers(round_=round_, now=now)
    return _apply(round_, states.SCHEDULE, actor=actor, now=now, ip=ip)


@transaction.atomic
def unschedule_round(*, round_: Round, actor, now, ip=None) -> Round:
    return _apply(round_, states.UNSCHEDULE, actor=actor, now=now, ip=ip)


@transaction.atomic
def start_round(*, round_: Round, actor, now, ip=None) -> Round:
    """draft/scheduled → open now. Builds the papers still missing (freezing their question
    versions, as scheduling did for the others), in the same transaction."""
    if round_.paper_id is None:
        raise NotAllowed(_("Vòng thi chưa có đề."))
    entry.prepare_papers(round_=round_, now=now)
    return _apply(round_, states.START, actor=actor, now=now, ip=ip, updates={"started_at": now})


@transaction.atomic
def pause_round(*, round_: Round, actor, now, ip=None, reason="") -> Round:
    """open → paused: answers are refused and every clock stands still until resume."""
    return _apply(
        round_, states.PAUSE, actor=actor, now=now, ip=ip, reason=reason, updates={"paused_at": now}
    )


def _refresh_deadlines(round_: Round, *, extra_pause: float = 0.0, extra_extension: int = 0) -> int:
    """Recompute the deadline of every running attempt after a round-level change.

    ``extra_pause`` is given back to every running attempt's own clock; ``extra_extension``
    goes to the running attempts whose clock is their own (the shared clock gets it from the
    round). Emits ``attempt.updated`` nowhere: contestants' sockets re-read on ``round.state``
    with ``deadlines_changed`` (one frame to the round instead of one per contestant).
    """
    rc = timing.RoundClock.of(round_)
    running = list(Attempt.objects.filter(round=round_, state=Attempt.State.IN_PROGRESS).defer("paper"))
    for attempt in running:
        attempt.paused_seconds += extra_pause
        if not timing.anchored_at_round_start(rc, attempt.started_at):
            attempt.extension_seconds += extra_extension
        attempt.deadline = timing.attempt_deadline(rc, timing.AttemptClock.of(attempt))
    Attempt.objects.bulk_update(running, ["paused_seconds", "extension_seconds", "deadline"], batch_size=500)
    return len(running)


@transaction.atomic
def resume_round(*, round_: Round, actor, now, ip=None) -> Round:
    """paused → open; the paused time is given back to every running attempt and the window."""
    paused_for = max(0.0, (now - round_.paused_at).total_seconds()) if round_.paused_at else 0.0
    new = _swap(
        round_,
        action=states.RESUME,
        now=now,
        paused_at=None,
        paused_seconds=F("paused_seconds") + paused_for,
        # A live question's clock stood still too (NULL stays NULL outside live rounds).
        live_question_deadline=F("live_question_deadline") + timedelta(seconds=paused_for),
    )
    _refresh_deadlines(new, extra_pause=paused_for)
    audit.record(
        action="round.resume",
        actor=actor,
        actor_role=_role(actor),
        edition=new.edition_id,
        obj=new,
        before=_audit_state(round_),
        after={**_audit_state(new), "paused_seconds": paused_for},
        ip=ip,
        now=now,
    )
    _publish_round(new, "round.resumed", now, deadlines_changed=True)
    return new


@transaction.atomic
def extend_round(*, round_: Round, minutes: int, actor, now, ip=None) -> Round:
    """Everyone gets ``minutes`` more: running attempts, the shared clock and the window."""
    if round_.state not in (states.OPEN, states.PAUSED):
        raise NotAllowed(_("Chỉ gia hạn được khi vòng thi đang diễn ra."))
    seconds = minutes * 60
    new = _swap(round_, action=None, now=now, extension_seconds=F("extension_seconds") + seconds)
    _refresh_deadlines(new, extra_extension=seconds)
    audit.record(
        action="round.extend",
        actor=actor,
        actor_role=_role(actor),
        edition=new.edition_id,
        obj=new,
        before={"extension_seconds": round_.extension_seconds},
        after={"extension_seconds": new.extension_seconds, "minutes": minutes},
        ip=ip,
        now=now,
    )
    _publish_round(new, "round.extended", now, deadlines_changed=True)
    return new


def _round_attempt(round_: Round, attempt_id: int) -> Attempt:
    attempt = Attempt.objects.select_related("round").filter(pk=attempt_id, round=round_).first()
    if attempt is None:
        raise NotFound(_("Không tìm thấy bài làm này trong vòng thi."))
    return attempt


@transaction.atomic
def extend_attempt(*, round_: Round, attempt_id: int, minutes: int, actor, now, ip=None) -> Attempt:
    """One contestant gets ``minutes`` more (possibly past the window: the round then stays open
    for them). Emits ``attempt.updated`` to that contestant."""
    attempt = _round_attempt(round_, attempt_id)
    if attempt.state != Attempt.State.IN_PROGRESS:
        raise NotAllowed(_("Chỉ gia hạn được bài đang làm."))
    before = {
        "extension_seconds": attempt.extension_seconds,
        "deadline": attempt.deadline.isoformat() if attempt.deadline else None,
    }
    attempt.extension_seconds += minutes * 60
    attempt.deadline = timing.attempt_deadline(
        timing.RoundClock.of(attempt.round), timing.AttemptClock.of(attempt)
    )
    Attempt.objects.filter(pk=attempt.pk).update(
        extension_seconds=attempt.extension_seconds, deadline=attempt.deadline
    )
    audit.record(
        action="attempt.extend",
        actor=actor,
        actor_role=_role(actor),
        edition=round_.edition_id,
        obj=attempt,
        before=before,
        after={
            "extension_seconds": attempt.extension_seconds,
            "deadline": attempt.deadline.isoformat() if attempt.deadline else None,
            "minutes": minutes,
        },
        ip=ip,
        now=now,
    )
    attempt_services.log_event(attempt, AttemptEvent.Kind.EXTENDED, now=now, detail={"minutes": minutes})
    attempt_services.publish_attempt(attempt, events.ATTEMPT_UPDATED, now)
    return attempt


def force_submit(*, round_: Round, attempt_id: int, actor, now, ip=None) -> Attempt:
    """An organiser submits one contestant's attempt (audited by the attempt service)."""
    attempt = _round_attempt(round_, attempt_id)
    return attempt_services.submit_attempt(
        attempt=attempt, reason=Attempt.SubmitReason.ORGANISER, now=now, actor=actor, ip=ip
    )


@transaction.atomic
def close_round(*, round_: Round, actor, now, ip=None) -> Round:
    """→ closed. Every running attempt is submitted (reason ``round_closed``)."""
    new = _apply(
        round_, states.CLOSE, actor=actor, now=now, ip=ip, updates={"closed_at": now, "paused_at": None}
    )
    running = list(Attempt.objects.filter(round=new, state=Attempt.State.IN_PROGRESS).only("pk"))
    attempt_services.submit_many(running, reason=Attempt.SubmitReason.ROUND_CLOSED, now=now)
    return new


@transaction.atomic
def reset_practice_round(*, round_: Round, actor, now, ip=None) -> Round:
    """A closed practice round back to draft, its attempts deleted (practice data only)."""
    deleted = Attempt.objects.filter(round=round_).count()
    new = _apply(
        round_,
        states.RESET,
        actor=actor,
        now=now,
        ip=ip,
        updates={
            "started_at": None,
            "closed_at": None,
            "paused_at": None,
            "paused_seconds": 0,
            "extension_seconds": 0,
            "papers_built_at": None,
        },
        after={"attempts_deleted": deleted},
    )
    Attempt.objects.filter(round=new).delete()
    return new


@transaction.atomic
def announce(*, round_: Round, text: str, actor, now, ip=None) -> None:
    """A message to every socket of the round; kept in the audit log."""
    text = text.strip()
    if not text:
        raise NotAllowed(_("Thông báo trống."))
    audit.record(
        action="round.announce",
        actor=actor,
        actor_role=_role(actor),
        edition=round_.edition_id,
        obj=round_,
        after={"text": text},
        ip=ip,
        now=now,
    )
    events.publish_on_commit(
        events.round_group(round_.pk), {"type": events.ANNOUNCEMENT, "text": text, "at": now}
    )


# --- The round clock's duties -------------------------------------------------------------------


def open_due_rounds(*, now) -> int:
    """Start every scheduled round whose opening time has come. A lost race is fine: someone
    (an organiser, another clock) started it."""
    started = 0
    for round_ in Round.objects.filter(state=states.SCHEDULED, opens_at__lte=now):
        try:
            start_round(round_=round_, actor=None, now=now)
            started += 1
        except (Conflict, NotAllowed):
            pass
    return started


def close_due_rounds(*, now) -> int:
    """Close every open round past its effective close once no attempt is still running
    (overdue attempts are submitted first by :func:`attempt_services.submit_overdue`)."""
    closed = 0
    for round_ in Round.objects.filter(state=states.OPEN, closes_at__isnull=False):
        close = timing.effective_close(timing.RoundClock.of(round_))
        if now < close + timedelta(seconds=round_.grace_seconds):
            continue
        if Attempt.objects.filter(round=round_, state=Attempt.State.IN_PROGRESS).exists():
            continue
        try:
            close_round(round_=round_, actor=None, now=now)
            closed += 1
        except (Conflict, NotAllowed):
            pass
    return closed
