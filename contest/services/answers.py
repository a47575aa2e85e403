"""Saving answers, a batch at a time: the hot path of a contest.

:func:`save_answers` stores a whole batch (the group commit of :mod:`contest.batcher`) in ONE
transaction with a fixed number of queries whatever its size: the attempts (locked), the
revisions already stored for the resent ids and the touched slots, then one bulk insert of
revisions, one of refusal events and one bulk update of the attempts' totals. Every rule is
checked in Python against that state, item after item, so two answers to one slot in the same
batch chain correctly. An answer is acknowledged only after the commit.

Rules (docs/protocol.md, ``refused``): only the attempt's owner; only while the round is open
and before the attempt's deadline + grace; a resend of a client message id gets the same
acknowledgement; a stale base revision is refused with the current value; every refusal is
logged as an attempt event. Each stored answer is graded at once.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contest import events, states, timing
from contest.models import AnswerRevision, AnswerUpload, Attempt, AttemptEvent, Round
from contest.services import live_answers
from contest.services.bulk import update_rows
from quizzes import papers, question_types

CENT = Decimal("0.01")

ANSWER_REFUSALS = {
    "stale": _("Câu trả lời đã được thay đổi từ thiết bị khác."),
    "not_open": _("Vòng thi chưa bắt đầu."),
    "paused": _("Vòng thi đang tạm dừng; câu trả lời sẽ được gửi lại khi tiếp tục."),
    "closed": _("Vòng thi đã kết thúc."),
    "too_late": _("Đã hết giờ làm bài."),
    "submitted": _("Bài đã nộp, không thể sửa."),
    "no_attempt": _("Bạn chưa vào thi."),
    "not_yours": _("Đây không phải bài làm của bạn."),
    "invalid": _("Câu trả lời không hợp lệ."),
    "question_closed": _("Câu hỏi này không còn nhận trả lời."),
    "answered": _("Bạn đã trả lời câu hỏi này."),
    "not_captain": _("Chỉ đội trưởng trả lời cho cả đội."),
}
ROUND_REFUSALS = {states.OPEN: None, states.PAUSED: "paused", states.CLOSED: "closed"}


@dataclass(frozen=True)
class AnswerIn:
    """One answer message, already schema-checked by :mod:`contest.protocol`."""

    round_id: int
    registration_id: int
    client_message_id: str
    slot: int
    base: int
    response: dict
    received_at: object = None
    attempt_id: int | None = None
    device_id: str = ""
    # Live rounds: when this socket was sent the question, and its measured round trip.
    sent_at: object = None
    rtt_seconds: float = 0.0


@dataclass(frozen=True)
class AnswerResult:
    ok: bool
    slot: int
    revision: int | None = None
    saved_at: object = None
    reason: str = ""
    current: dict | None = None

    @property
    def message(self) -> str:
        return str(ANSWER_REFUSALS.get(self.reason, ""))


class _Refused(Exception):
    def __init__(self, reason: str, current: dict | None = None):
        self.reason, self.current = reason, current


def _as_current(revision: AnswerRevision | None) -> dict | None:
    if revision is None:
        return None
    return {
        "revision": revision.revision,
        "response": revision.response,
        "saved_at": revision.received_at.isoformat(),
    }


@dataclass
class _Batch:
    """What a batch needs from the database, loaded in a fixed number of queries."""

    owners: dict[tuple[int, int], Attempt] = field(default_factory=dict)
    by_id: dict[int, Attempt] = field(default_factory=dict)
    sent: dict[tuple[int, str], AnswerRevision] = field(default_factory=dict)
    latest: dict[tuple[int, int], AnswerRevision] = field(default_factory=dict)
    new: list[AnswerRevision] = field(default_factory=list)
    refusals: list[AttemptEvent] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, items: list[AnswerIn]) -> "_Batch":
        batch = cls()
        keys = {(item.round_id, item.registration_id) for item in items}
        named = {item.attempt_id for item in items if item.attempt_id is not None}
        attempts = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("round")
            .filter(
                Q(round_id__in={r for r, _ in keys}, registration_id__in={g for _, g in keys})
                | Q(pk__in=named)
            )
            .exclude(state=Attempt.State.READY)
            .order_by("number")
        )
        for attempt in attempts:
            batch.by_id[attempt.pk] = attempt
            if (attempt.round_id, attempt.registration_id) in keys:
                batch.owners[(attempt.round_id, attempt.registration_id)] = attempt  # latest number wins
        ids = list(batch.by_id)
        messages = {item.client_message_id for item in items}
        for revision in AnswerRevision.objects.filter(attempt_id__in=ids, client_message_id__in=messages):
            batch.sent[(revision.attempt_id, revision.client_message_id)] = revision
        slots = {item.slot for item in items}
        for revision in AnswerRevision.objects.filter(attempt_id__in=ids, slot__in=slots).order_by(
            "revision"
        ):
            batch.latest[(revision.attempt_id, revision.slot)] = revision
        return batch

    def attempt_for(self, item: AnswerIn) -> Attempt:
        """The contestant's current attempt, or the one the message names if it is theirs."""
        key = (item.round_id, item.registration_id)
        if item.attempt_id is not None:
            named = self.by_id.get(item.attempt_id)
            if named is None or (named.round_id, named.registration_id) != key:
                raise _Refused("not_yours")
            return named
        if key not in self.owners:
            raise _Refused("no_attempt")
        return self.owners[key]

    def apply(self, item: AnswerIn, now) -> AnswerResult:
        try:
            return self._store(item, item.received_at or now)
        except _Refused as refused:
            self._refuse(item, refused.reason, item.received_at or now)
            return AnswerResult(False, item.slot, reason=refused.reason, current=refused.current)

    def _check(self, attempt: Attempt, item: AnswerIn, now) -> dict:
        if attempt.state == Attempt.State.SUBMITTED:
            raise _Refused("submitted")
        reason = ROUND_REFUSALS.get(attempt.round.state, "not_open")
        if reason:
            raise _Refused(reason)
        if not timing.accepts_answer_at(attempt.deadline, grace_seconds=attempt.round.grace_seconds, now=now):
            raise _Refused("too_late")
        slots = attempt.paper["slots"]
        if item.slot >= len(slots) or not question_types.is_answerable(slots[item.slot]["qtype"]):
            raise _Refused("invalid")
        current = self.latest.get((attempt.pk, item.slot))
        if attempt.round.mode == Round.Mode.LIVE:  # one answer per opening: no base to compare
            reason = live_answers.refusal(attempt, item.slot, current, now)
            if reason:
                raise _Refused(reason)
            return slots[item.slot]
        if item.base != (current.revision if current else 0):
            raise _Refused("stale", _as_current(current))
        return slots[item.slot]

    def _store(self, item: AnswerIn, now) -> AnswerResult:
        attempt = self.attempt_for(item)
        previous = self.sent.get((attempt.pk, item.client_message_id))
        if previous is not None:  # a resend: the same acknowledgement, whatever happened since
            return AnswerResult(True, previous.slot, previous.revision, previous.received_at)
        slot = self._check(attempt, item, now)
        qtype, _stem, definition = papers.load_definitions({"slots": [slot]})[slot["version_id"]]
        try:
            response = question_types.normalise_response(qtype, definition, item.response)
        except question_types.ResponseError:
            raise _Refused("invalid") from None
        if qtype == "file" and not _own_upload(attempt, item.slot, response["upload_id"]):
            raise _Refused("invalid")
        fraction = question_types.grade(qtype, definition, response).fraction
        points, speed = None, None
        if fraction is not None:
            points = (Decimal(str(fraction)) * Decimal(slot["points"])).quantize(CENT, rounding=ROUND_HALF_UP)
        if attempt.round.mode == Round.Mode.LIVE:
            points, speed = live_answers.points(
                attempt, slot, fraction, sent_at=item.sent_at, rtt_seconds=item.rtt_seconds, now=now
            )
        current = self.latest.get((attempt.pk, item.slot))
        revision = AnswerRevision(
            attempt=attempt,
            slot=item.slot,
            revision=(current.revision if current else 0) + 1,
            response=response,
            client_message_id=item.client_message_id,
            received_at=now,
            fraction=fraction,
            points=points,
            speed_factor=speed,
            pending=fraction is None,
            device_id=item.device_id,
        )
        self._count(attempt, current, revision, now)
        return AnswerResult(True, item.slot, revision.revision, now)

    def _count(self, attempt: Attempt, current, revision: AnswerRevision, now) -> None:
        """Keep the attempt's totals (score, answered, pending) in step with the new revision."""
        attempt.score += (revision.points or 0) - ((current.points or 0) if current else 0)
        attempt.answered_count += 0 if current else 1
        attempt.pending_count += int(revision.pending) - int(bool(current and current.pending))
        attempt.last_seen_at = now
        self.new.append(revision)
        self.latest[(attempt.pk, revision.slot)] = revision
        self.sent[(attempt.pk, revision.client_message_id)] = revision
        self.touched.add(attempt.pk)

    def _refuse(self, item: AnswerIn, reason: str, now) -> None:
        own = self.owners.get((item.round_id, item.registration_id))
        self.refusals.append(
            AttemptEvent(
                round_id=item.round_id,
                registration_id=item.registration_id,
                attempt=own,
                kind=AttemptEvent.Kind.REFUSED,
                reason=reason,
                detail={"slot": item.slot, "client_message_id": item.client_message_id, "base": item.base},
                device_id=item.device_id,
                at=now,
            )
        )

    def write(self) -> None:
        AnswerRevision.objects.bulk_create(self.new, batch_size=500)
        AttemptEvent.objects.bulk_create(self.refusals, batch_size=500)
        update_rows(
            [self.by_id[pk] for pk in self.touched],
            ("score", "answered_count", "pending_count", "last_seen_at"),
        )


def _own_upload(attempt: Attempt, slot: int, upload_id: int) -> bool:
    """A file answer names a file stored for this very attempt and slot (contest.services.uploads),
    never another contestant's. One query, only for file answers, which are rare."""
    return AnswerUpload.objects.filter(pk=upload_id, attempt=attempt, slot=slot).exists()


def save_answers(items: list[AnswerIn], *, now) -> list[AnswerResult]:
    """Store a batch of answers in ONE transaction; one result per item, in order.

    Preconditions: items are schema-checked, and each item's registration is the
    authenticated contestant's. Opens a transaction (the attempts are locked for it). Emits one
    ``progress.hint`` per round after commit (never one message per answer).
    """
    with transaction.atomic():
        batch = _Batch.load(items)
        results = [batch.apply(item, now) for item in items]
        batch.write()
        for round_id in {item.round_id for item, result in zip(items, results, strict=True) if result.ok}:
            events.publish_on_commit(events.control_group(round_id), {"type": events.PROGRESS_HINT})
    return results
