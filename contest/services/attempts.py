"""Writes around an attempt: submission, connections, device switches, focus, flags.

Entry lives in ``services.entry`` and answers in ``services.answers``.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contest import audit, events, states, timing
from contest.models import Attempt, AttemptEvent, Registration, Round
from contest.services.answers import ANSWER_REFUSALS
from contest.services.bulk import update_rows
from contest.services.errors import NotAllowed
from contest.snapshots import attempt_info, server_time_ms

TAKEOVER_MESSAGE = gettext_lazy("Bài thi đã được mở trên một thiết bị khác.")


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
            ANSWER_REFUSALS["no_attempt"],
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


def submit_many(attempts: list[Attempt], *, reason: str, now) -> int:
    """Submit many running attempts in one transaction (the clock at a shared deadline, the
    round's close): one UPDATE, one bulk insert of events, then one ``submitted`` frame per
    contestant and one ``progress.hint`` per round. Attempts no longer running are skipped."""
    with transaction.atomic():
        running = list(
            Attempt.objects.select_for_update(of=("self",))
            .select_related("round")
            .filter(pk__in=[a.pk for a in attempts], state=Attempt.State.IN_PROGRESS)
        )
        Attempt.objects.filter(pk__in=[a.pk for a in running]).update(
            state=Attempt.State.SUBMITTED, submitted_at=now, submit_reason=reason
        )
        AttemptEvent.objects.bulk_create(
            [
                AttemptEvent(
                    round_id=a.round_id,
                    registration_id=a.registration_id,
                    attempt=a,
                    kind=AttemptEvent.Kind.SUBMITTED,
                    reason=reason,
                    at=now,
                )
                for a in running
            ],
            batch_size=500,
        )
        for attempt in running:
            attempt.state, attempt.submitted_at, attempt.submit_reason = Attempt.State.SUBMITTED, now, reason
            frame = {
                "type": events.SUBMITTED,
                "attempt": attempt_info(attempt, attempt.round, now=now),
                "server_time": server_time_ms(now),
            }
            events.publish_on_commit(
                events.contestant_group(attempt.round_id, attempt.registration_id), frame
            )
        for round_id in {a.round_id for a in running}:
            events.publish_on_commit(events.control_group(round_id), {"type": events.PROGRESS_HINT})
    return len(running)


def submit_overdue(*, now) -> int:
    """Submit every attempt whose deadline + grace has passed, in open rounds (the clock)."""
    candidates = (
        Attempt.objects.select_related("round")
        .filter(state=Attempt.State.IN_PROGRESS, deadline__lt=now, round__state=states.OPEN)
        .defer("paper")
    )
    due = [
        a for a in candidates if timing.is_overdue(a.deadline, grace_seconds=a.round.grace_seconds, now=now)
    ]
    return submit_many(due, reason=Attempt.SubmitReason.DEADLINE, now=now) if due else 0


# --- Connections, flags, focus ------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectIn:
    round_id: int
    registration_id: int
    device_id: str
    connection_id: str


def record_connection(
    *, round_: Round, registration: Registration, device_id: str, connection_id: str, now
) -> None:
    record_connections([ConnectIn(round_.pk, registration.pk, device_id, connection_id)], now=now)


def record_connections(items: list[ConnectIn], *, now) -> list[None]:
    """New sockets take over from older ones of the same contestant (in every process).

    A batch (the group commit of a connect storm) in one transaction: logs each connection,
    and a device switch when the device differs from the attempt's last. Emits ``takeover``
    to each contestant's group and one ``progress.hint`` per round after commit.
    """
    with transaction.atomic():
        latest: dict[tuple[int, int], Attempt] = {}
        rows = (
            Attempt.objects.select_for_update(of=("self",))
            .filter(
                round_id__in={i.round_id for i in items},
                registration_id__in={i.registration_id for i in items},
            )
            .exclude(state=Attempt.State.SUBMITTED)
            .order_by("number")
            .only("pk", "round_id", "registration_id", "device_id", "device_switches", "connection_id")
        )
        for attempt in rows:
            latest[(attempt.round_id, attempt.registration_id)] = attempt  # the highest number wins
        touched, logged = {}, []
        for item in items:  # in arrival order: of two sockets of one contestant, the later wins
            attempt = latest.get((item.round_id, item.registration_id))
            if attempt is not None:
                logged.extend(_connected(attempt, item, now))
                touched[attempt.pk] = attempt
            events.publish_on_commit(
                events.contestant_group(item.round_id, item.registration_id),
                {"type": events.TAKEOVER, "connection": item.connection_id, "message": str(TAKEOVER_MESSAGE)},
            )
        update_rows(list(touched.values()), ("connection_id", "device_id", "last_seen_at", "device_switches"))
        AttemptEvent.objects.bulk_create(logged, batch_size=500)
        for round_id in {item.round_id for item in items}:
            events.publish_on_commit(events.control_group(round_id), {"type": events.PROGRESS_HINT})
    return [None] * len(items)


def _connected(attempt: Attempt, item: ConnectIn, now) -> list[AttemptEvent]:
    """Stamp the connection on the attempt (in memory); the events to log."""
    logged = []
    if attempt.device_id and item.device_id and attempt.device_id != item.device_id:
        attempt.device_switches += 1
        logged.append(
            _event_row(attempt, AttemptEvent.Kind.DEVICE_SWITCH, item, now, {"from": attempt.device_id})
        )
    attempt.device_id = item.device_id or attempt.device_id
    attempt.connection_id = item.connection_id
    attempt.last_seen_at = now
    logged.append(_event_row(attempt, AttemptEvent.Kind.CONNECT, item, now, {}))
    return logged


def _event_row(attempt: Attempt, kind: str, item: ConnectIn, now, detail: dict) -> AttemptEvent:
    return AttemptEvent(
        round_id=attempt.round_id,
        registration_id=attempt.registration_id,
        attempt_id=attempt.pk,
        kind=kind,
        detail=detail,
        device_id=item.device_id,
        at=now,
    )


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
