"""The host's actions in a live round, question by question, and the round clock's part.

Each action is a compare-and-swap on the round row (``state`` open and the ``state_version``
the caller read): two hosts, or a host and the round clock closing a question on time, can
never both win. Each writes one audit row ``live.<action>`` in the same transaction and
publishes the new ``live.question`` picture to every socket of the round after commit.
Pausing, resuming and ending the round are exam mode's round actions
(:mod:`contest.services.rounds`), which keep a question's remaining time across a pause.

``actor`` is the host's user, or None for the round clock and the early close (``system``).
"""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from contest import audit, events, live, states, timing
from contest.live_selectors import answer_progress, live_picture, reference_slots
from contest.models import Round
from contest.services.errors import Conflict, NotAllowed


def _describe(round_: Round) -> dict:
    return {
        "index": live.current_index(round_.live_question_index),
        "state": live.current_state(round_.live_question_state),
        "state_version": round_.state_version,
    }


def publish_picture(round_: Round, now) -> None:
    events.publish_on_commit(events.round_group(round_.pk), live_picture(round_, now=now))


def _act(round_: Round, action: str, *, actor, now, ip=None, reason="", updates=None, after=None) -> Round:
    """One audited question transition (see the module docstring)."""
    if round_.mode != Round.Mode.LIVE:
        raise NotAllowed(_("Đây không phải vòng thi trực tiếp."))
    if round_.state != states.OPEN:
        raise NotAllowed(_("Vòng thi không ở trạng thái đang thi."))
    try:
        target = states.question_transition(live.current_state(round_.live_question_state), action)
    except states.TransitionRefused:
        raise NotAllowed(
            _("Không thể thực hiện thao tác này khi câu hỏi đang ở trạng thái “%(s)s”.")
            % {"s": Round.QuestionState(live.current_state(round_.live_question_state)).label}
        ) from None
    changed = Round.objects.filter(
        pk=round_.pk, state=states.OPEN, state_version=round_.state_version
    ).update(state_version=F("state_version") + 1, live_question_state=target, **(updates or {}))
    if changed != 1:
        raise Conflict(_("Vòng thi vừa được người khác thay đổi. Vui lòng tải lại và thử lại."))
    new = Round.objects.get(pk=round_.pk)
    audit.record(
        action=f"live.{action}",
        actor=actor,
        actor_role="organiser" if actor is not None else "system",
        edition=new.edition_id,
        obj=new,
        before=_describe(round_),
        after={**_describe(new), **(after or {})},
        reason=reason,
        ip=ip,
        now=now,
    )
    publish_picture(new, now)
    events.publish_on_commit(events.control_group(new.pk), {"type": events.PROGRESS_HINT})
    return new


def _opening(round_: Round, index: int, *, now, seconds: int | None) -> dict:
    slots = reference_slots(round_)
    if index >= len(slots):
        raise NotAllowed(_("Đã hết câu hỏi của đề."))
    if round_.paper is not None and round_.paper.shuffle_questions:
        raise NotAllowed(_("Đề của vòng thi trực tiếp phải giữ nguyên thứ tự câu (tắt trộn câu hỏi)."))
    limit = live.question_seconds(slots[index], default=round_.live_question_seconds, override=seconds)
    return {
        "live_question_index": index,
        "live_question_opened_at": now,
        "live_question_deadline": timing.question_deadline(now, limit),
    }


@transaction.atomic
def open_question(*, round_: Round, actor, now, ip=None, seconds: int | None = None) -> Round:
    """pending → open: the current question is shown and its own clock starts now (its paper
    item's time limit, else the round's default, unless the host gives one)."""
    updates = _opening(round_, live.current_index(round_.live_question_index), now=now, seconds=seconds)
    return _act(round_, states.OPEN_QUESTION, actor=actor, now=now, ip=ip, updates=updates)


@transaction.atomic
def close_question(*, round_: Round, actor, now, ip=None, reason: str = "host") -> Round:
    """open → closed: no more answers (the host early, the clock on time, or everyone joined
    has answered). ``reason`` is audited."""
    return _act(round_, states.CLOSE_QUESTION, actor=actor, now=now, ip=ip, after={"why": reason})


@transaction.atomic
def reopen_question(*, round_: Round, reason: str, actor, now, ip=None, seconds: int | None = None) -> Round:
    """closed → open again for a disrupted question, with a full new time limit. Everyone may
    answer again; a new answer replaces the earlier one. Needs a reason (audited)."""
    if not reason.strip():
        raise NotAllowed(_("Cần ghi lý do mở lại câu hỏi."))
    updates = _opening(round_, live.current_index(round_.live_question_index), now=now, seconds=seconds)
    return _act(
        round_, states.REOPEN_QUESTION, actor=actor, now=now, ip=ip, reason=reason.strip(), updates=updates
    )


@transaction.atomic
def reveal(*, round_: Round, actor, now, ip=None) -> Round:
    """closed → revealed: the right answer and the distribution of choices; each contestant's
    socket then fetches its own ``live.result``."""
    return _act(round_, states.REVEAL, actor=actor, now=now, ip=ip)


@transaction.atomic
def show_leaderboard(*, round_: Round, actor, now, ip=None) -> Round:
    return _act(round_, states.SHOW_LEADERBOARD, actor=actor, now=now, ip=ip)


def _next_updates(round_: Round) -> dict:
    index = live.current_index(round_.live_question_index) + 1
    if index >= len(reference_slots(round_)):
        raise NotAllowed(_("Đây là câu cuối; hãy kết thúc vòng thi."))
    return {"live_question_index": index, "live_question_opened_at": None, "live_question_deadline": None}


@transaction.atomic
def next_question(*, round_: Round, actor, now, ip=None) -> Round:
    """revealed/leaderboard → the next question, pending (the host opens it when the hall is ready)."""
    return _act(round_, states.NEXT_QUESTION, actor=actor, now=now, ip=ip, updates=_next_updates(round_))


@transaction.atomic
def skip_question(*, round_: Round, actor, now, ip=None) -> Round:
    """A pending question is passed over without being shown (audited)."""
    return _act(round_, states.SKIP_QUESTION, actor=actor, now=now, ip=ip, updates=_next_updates(round_))


# --- Closing without the host ----------------------------------------------------------------


def _close_quietly(round_: Round, *, now, reason: str) -> bool:
    try:
        close_question(round_=round_, actor=None, now=now, reason=reason)
    except (Conflict, NotAllowed):
        return False  # the host (or another clock) got there first
    return True


def close_due_questions(*, now) -> int:
    """The round clock's duty: close every open question whose time and grace have run out.
    A paused round is skipped: its question's clock stands still until resume."""
    closed = 0
    for round_ in Round.objects.filter(
        mode=Round.Mode.LIVE,
        state=states.OPEN,
        live_question_state=states.Q_OPEN,
        live_question_deadline__lte=now,
    ):
        if timing.accepts_answer_at(
            round_.live_question_deadline, grace_seconds=round_.grace_seconds, now=now
        ):
            continue
        closed += _close_quietly(round_, now=now, reason="time")
    return closed


def close_if_all_answered(*, round_id: int, now) -> bool:
    """Close the question early once every contestant currently joined has answered it.
    Called after an answer is acknowledged; cheap when the question is not open."""
    round_ = Round.objects.filter(pk=round_id, mode=Round.Mode.LIVE, state=states.OPEN).first()
    if round_ is None or round_.live_question_state != states.Q_OPEN:
        return False
    if not answer_progress(round_)["all_answered"]:
        return False
    return _close_quietly(round_, now=now, reason="all_answered")
