"""Every write to attempts except answers (see ``services.answers``): build papers, enter,
submit, and what happens around an attempt (connections, device switches, focus, flags)."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from contest import audit, events, states, timing
from contest.models import Attempt, AttemptEvent, Registration, Round
from contest.services.answers import ROUND_REFUSALS
from contest.services.errors import NotAllowed
from contest.snapshots import attempt_info, eligible_registrations, is_eligible, server_time_ms
from quizzes import papers

ENTRY_REFUSALS = {
    "not_open": _("Vòng thi chưa bắt đầu."),
    "paused": _("Vòng thi đang tạm dừng."),
    "closed": _("Vòng thi đã kết thúc."),
    "late": _("Đã hết thời gian được vào thi muộn."),
    "no_attempts_left": _("Bạn đã dùng hết số lần làm bài."),
    "bad_access_code": _("Mã vào phòng thi không đúng."),
    "not_eligible": _("Bạn không có tên trong danh sách dự thi vòng này."),
    "no_paper": _("Vòng thi chưa có đề."),
    "no_attempt": _("Bạn chưa vào thi."),
}


def _round_refusal(state: str) -> str | None:
    return ROUND_REFUSALS.get(state, "not_open")


# --- Papers and entry ----------------------------------------------------------------------


def _new_attempt(round_: Round, registration_id: int, number: int, spec: papers.PaperSpec, now) -> Attempt:
    seed = papers.new_seed()
    snapshot = papers.draw(spec, seed)
    return Attempt(
        round=round_,
        registration_id=registration_id,
        number=number,
        seed=seed,
        paper=snapshot,
        max_score=Decimal(snapshot["max_score"]),
    )


def prepare_papers(*, round_: Round, now) -> int:
    """Build a ``ready`` first attempt for every eligible contestant who has none, so that the
    start and the entry storm do not build papers. Runs in the caller's transaction."""
    if round_.paper_id is None:
        raise NotAllowed(ENTRY_REFUSALS["no_paper"], reason="no_paper")
    spec = papers.load_spec(round_.paper)
    have = set(Attempt.objects.filter(round=round_).values_list("registration_id", flat=True))
    todo = [pk for pk in eligible_registrations(round_).values_list("pk", flat=True) if pk not in have]
    Attempt.objects.bulk_create([_new_attempt(round_, pk, 1, spec, now) for pk in todo], batch_size=500)
    Round.objects.filter(pk=round_.pk).update(papers_built_at=now)
    return len(todo)


def contestant_attempts(round_: Round, registration: Registration) -> list[Attempt]:
    """All of a contestant's attempts in a round, latest first (one query; entry and
    snapshots derive everything they need from this list)."""
    return list(Attempt.objects.filter(round=round_, registration=registration).order_by("-number"))


def entry_refusal(
    round_: Round,
    registration: Registration,
    *,
    now,
    attempts: list[Attempt] | None = None,
    access_code: str | None = None,
    eligible: bool | None = None,
) -> str | None:
    """Why this contestant cannot enter now (a reason code), or None.

    ``attempts`` (from :func:`contestant_attempts`) and ``eligible`` may be passed by callers
    that already have them (a socket checks eligibility once, at connect).
    """
    refusal = _round_refusal(round_.state)
    if refusal:
        return refusal
    if not (eligible if eligible is not None else is_eligible(round_, registration)):
        return "not_eligible"
    if round_.access_code and access_code is not None and access_code.strip() != round_.access_code:
        return "bad_access_code"
    used = [
        a
        for a in (attempts if attempts is not None else contestant_attempts(round_, registration))
        if a.state != Attempt.State.READY
    ]
    if any(a.state == Attempt.State.IN_PROGRESS for a in used):
        return None
    if len(used) >= round_.attempts_allowed:
        return "no_attempts_left"
    return timing.entry_refusal(timing.RoundClock.of(round_), now=now)


def enter_round(
    *,
    round_: Round,
    registration: Registration,
    access_code: str = "",
    device_id: str = "",
    connection_id: str = "",
    eligible: bool | None = None,
    now,
) -> Attempt:
    """Start (or return the running) attempt. Idempotent: a second ``enter`` returns the same
    attempt. Opens a transaction; emits ``progress.hint`` to the control group.

    About five queries with a paper built ahead (``ready``): entry storms at a start are cheap.
    """
    with transaction.atomic():
        round_ = Round.objects.get(pk=round_.pk)
        attempts = contestant_attempts(round_, registration)
        running = [a for a in attempts if a.state == Attempt.State.IN_PROGRESS]
        if running:
            return running[0]
        reason = entry_refusal(
            round_, registration, now=now, attempts=attempts, access_code=access_code or "", eligible=eligible
        )
        if reason:
            raise NotAllowed(ENTRY_REFUSALS[reason], reason=reason)
        attempt, built_now = _ready_or_new_attempt(round_, registration, attempts, now)
        attempt.started_at = now
        attempt.deadline = timing.attempt_deadline(
            timing.RoundClock.of(round_), timing.AttemptClock.of(attempt)
        )
        if attempt.deadline is not None and attempt.deadline <= now:
            raise NotAllowed(ENTRY_REFUSALS["late"], reason="late")
        attempt.state = Attempt.State.IN_PROGRESS
        attempt.device_id = device_id or attempt.device_id
        attempt.connection_id = connection_id
        attempt.last_seen_at = now
        claimed = Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.READY).update(
            state=attempt.state,
            started_at=now,
            deadline=attempt.deadline,
            device_id=attempt.device_id,
            connection_id=connection_id,
            last_seen_at=now,
        )
        if claimed != 1:  # another device of the same contestant entered first
            return Attempt.objects.get(pk=attempt.pk)
        if built_now:  # papers built ahead were frozen when the round started
            _freeze(attempt.paper, now)
        log_event(attempt, AttemptEvent.Kind.ENTERED, now=now, device_id=device_id)
        events.publish_on_commit(events.control_group(round_.pk), {"type": events.PROGRESS_HINT})
    return attempt


def _ready_or_new_attempt(round_: Round, registration: Registration, attempts: list[Attempt], now):
    """(attempt, built now?): the paper built ahead, or a new one for a further attempt."""
    ready = [a for a in attempts if a.state == Attempt.State.READY]
    if ready:
        return ready[0], False
    if round_.paper_id is None:
        raise NotAllowed(ENTRY_REFUSALS["no_paper"], reason="no_paper")
    number = attempts[0].number + 1 if attempts else 1
    attempt = _new_attempt(round_, registration.pk, number, papers.load_spec(round_.paper), now)
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:  # a concurrent entry built it; use theirs
        attempt = Attempt.objects.get(round=round_, registration=registration, number=number)
    return attempt, True


def _freeze(snapshot: dict, now) -> None:
    from quizzes.services import freeze_versions

    freeze_versions(papers.version_ids(snapshot), now)


def log_event(
    attempt, kind, *, now, reason="", detail=None, device_id="", round_id=None, registration_id=None
):
    AttemptEvent.objects.create(
        round_id=round_id or attempt.round_id,
        registration_id=registration_id or attempt.registration_id,
        attempt=attempt,
        kind=kind,
        reason=reason,
        detail=detail or {},
        device_id=device_id,
        at=now,
    )


# --- Submission ---------------------------------------------------------------------------------


def submit_attempt(*, attempt: Attempt, reason: str, now, actor=None, ip=None) -> Attempt:
    """Submit an in-progress attempt (compare-and-swap on its state). Opens a transaction.

    An organiser's force-submit is audited. Emits ``submitted`` to the contestant's sockets
    and ``progress.hint`` to the control group.
    """
    with transaction.atomic():
        done = Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.IN_PROGRESS).update(
            state=Attempt.State.SUBMITTED, submitted_at=now, submit_reason=reason
        )
        attempt = Attempt.objects.select_related("round").get(pk=attempt.pk)
        if done != 1:
            if (
                attempt.state == Attempt.State.SUBMITTED
                and actor is None
                and reason != Attempt.SubmitReason.ORGANISER
            ):
                return attempt  # a repeated submit (another tab, or the clock got there first)
            raise NotAllowed(_("Bài làm không ở trạng thái đang làm."), reason="submitted")
        log_event(attempt, AttemptEvent.Kind.SUBMITTED, now=now, reason=reason)
        if actor is not None:
            audit.record(
                action="attempt.force_submitted",
                actor=actor,
                actor_role="organiser",
                edition=attempt.round.edition_id,
                obj=attempt,
                before={"state": states.IN_PROGRESS},
                after={"state": states.SUBMITTED, "reason": reason},
                ip=ip,
                now=now,
            )
        publish_attempt(attempt, events.SUBMITTED, now)
    return attempt


def submit_own_attempt(*, round_: Round, registration: Registration, now) -> Attempt:
    """The contestant's own submit. After the deadline (the page's fallback when the clock's
    submission has not reached it) it is recorded as a deadline submission."""
    attempt = (
        Attempt.objects.select_related("round")
        .filter(round=round_, registration=registration)
        .exclude(state=Attempt.State.READY)
        .order_by("-number")
        .first()
    )
    if attempt is None:
        raise NotAllowed(
            ENTRY_REFUSALS["no_attempt"],
            reason="no_attempt",
        )
    late = attempt.deadline is not None and now >= attempt.deadline
    reason = Attempt.SubmitReason.DEADLINE if late else Attempt.SubmitReason.CONTESTANT
    return submit_attempt(attempt=attempt, reason=reason, now=now)


def publish_attempt(attempt: Attempt, frame_type: str, now) -> None:
    frame = {
        "type": frame_type,
        "attempt": attempt_info(attempt, attempt.round, now=now),
        "server_time": server_time_ms(now),
    }
    events.publish_on_commit(events.contestant_group(attempt.round_id, attempt.registration_id), frame)
    events.publish_on_commit(events.control_group(attempt.round_id), {"type": events.PROGRESS_HINT})


def submit_overdue(*, now) -> int:
    """Submit every attempt whose deadline + grace has passed, in open rounds (the clock)."""
    count = 0
    candidates = Attempt.objects.select_related("round").filter(
        state=Attempt.State.IN_PROGRESS, deadline__lt=now, round__state=states.OPEN
    )
    for attempt in candidates:
        if timing.is_overdue(attempt.deadline, grace_seconds=attempt.round.grace_seconds, now=now):
            try:
                submit_attempt(attempt=attempt, reason=Attempt.SubmitReason.DEADLINE, now=now)
                count += 1
            except NotAllowed:
                pass  # submitted meanwhile by the contestant
    return count


# --- Connections, flags, focus ------------------------------------------------------------------


def record_connection(
    *, round_: Round, registration: Registration, device_id: str, connection_id: str, now
) -> None:
    """A new socket of this contestant takes over from older ones (in every process).

    Logs the connection, and a device switch when the device differs from the attempt's last.
    Emits ``takeover`` to the contestant's group after commit.
    """
    with transaction.atomic():
        attempt = (
            (
                Attempt.objects.filter(round=round_, registration=registration).exclude(
                    state=Attempt.State.SUBMITTED
                )
            )
            .order_by("-number")
            .first()
        )
        if attempt is not None:
            switched = bool(attempt.device_id) and bool(device_id) and attempt.device_id != device_id
            Attempt.objects.filter(pk=attempt.pk).update(
                connection_id=connection_id,
                device_id=device_id or attempt.device_id,
                last_seen_at=now,
                device_switches=F("device_switches") + int(switched),
            )
            if switched:
                log_event(
                    attempt,
                    AttemptEvent.Kind.DEVICE_SWITCH,
                    now=now,
                    device_id=device_id,
                    detail={"from": attempt.device_id},
                )
            log_event(attempt, AttemptEvent.Kind.CONNECT, now=now, device_id=device_id)
        events.publish_on_commit(
            events.contestant_group(round_.pk, registration.pk),
            {
                "type": events.TAKEOVER,
                "connection": connection_id,
                "message": str(_("Bài thi đã được mở trên một thiết bị khác.")),
            },
        )
        events.publish_on_commit(events.control_group(round_.pk), {"type": events.PROGRESS_HINT})


def record_disconnect(*, round_id: int, registration_id: int, connection_id: str, now) -> None:
    with transaction.atomic():
        attempt = Attempt.objects.filter(
            round_id=round_id, registration_id=registration_id, connection_id=connection_id
        ).first()
        if attempt is None:
            return  # a newer connection took over; it is not a disconnect of the contestant
        Attempt.objects.filter(pk=attempt.pk, connection_id=connection_id).update(
            connection_id="", last_seen_at=now
        )
        log_event(attempt, AttemptEvent.Kind.DISCONNECT, now=now, device_id=attempt.device_id)
        events.publish_on_commit(events.control_group(round_id), {"type": events.PROGRESS_HINT})


def record_focus(*, round_id: int, registration_id: int, state: str, device_id: str, now) -> None:
    attempt = Attempt.objects.filter(
        round_id=round_id, registration_id=registration_id, state=Attempt.State.IN_PROGRESS
    ).first()
    if attempt is not None:
        kind = AttemptEvent.Kind.FOCUS_LOST if state == "lost" else AttemptEvent.Kind.FOCUS_BACK
        log_event(attempt, kind, now=now, device_id=device_id)


def set_flag(*, round_id: int, registration_id: int, slot: int, flagged: bool) -> None:
    """Mark or unmark a question "review later" on the running attempt."""
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update()
            .filter(round_id=round_id, registration_id=registration_id, state=Attempt.State.IN_PROGRESS)
            .first()
        )
        if attempt is None or slot >= len(attempt.paper["slots"]):
            return
        flags = set(attempt.flags) - {slot} | ({slot} if flagged else set())
        Attempt.objects.filter(pk=attempt.pk).update(flags=sorted(flags))
