"""Papers built ahead, and entering a round.

At a synchronous start every contestant in the lobby sends ``enter`` within a second or two.
Papers are therefore built before the start (``ready`` attempts, at scheduling or at the
latest at the start), and entries go through the same group commit as answers
(:func:`enter_many`): a batch is checked against a fixed number of queries and claimed with one
prepared UPDATE, instead of about seven queries and a commit per contestant.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from contest import events, live_scoring, timing
from contest.models import Attempt, AttemptEvent, Registration, Round
from contest.services.answers import ROUND_REFUSALS
from contest.services.bulk import update_rows
from contest.services.errors import NotAllowed
from contest.snapshots import eligible_registrations, is_eligible
from quizzes import papers
from quizzes.services import freeze_versions

ENTRY_REFUSALS = {
    "not_open": _("Vòng thi chưa bắt đầu."),
    "paused": _("Vòng thi đang tạm dừng."),
    "closed": _("Vòng thi đã kết thúc."),
    "late": _("Đã hết thời gian được vào thi muộn."),
    "no_attempts_left": _("Bạn đã dùng hết số lần làm bài."),
    "bad_access_code": _("Mã vào phòng thi không đúng."),
    "not_eligible": _("Bạn không có tên trong danh sách dự thi vòng này."),
    "no_paper": _("Vòng thi chưa có đề."),
}


def refused(reason: str) -> NotAllowed:
    return NotAllowed(ENTRY_REFUSALS[reason], reason=reason)


# --- Papers built ahead ------------------------------------------------------------------------


def _new_attempt(round_: Round, registration_id: int, number: int, spec: papers.PaperSpec) -> Attempt:
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
    start and the entry storm do not build papers, and freeze the question versions they hold:
    a built paper promises exactly those versions (an edit from now on makes a new version).
    Runs in the caller's transaction."""
    if round_.paper_id is None:
        raise refused("no_paper")
    spec = papers.load_spec(round_.paper)
    have = set(Attempt.objects.filter(round=round_).values_list("registration_id", flat=True))
    todo = [pk for pk in eligible_registrations(round_).values_list("pk", flat=True) if pk not in have]
    built = [_new_attempt(round_, pk, 1, spec) for pk in todo]
    Attempt.objects.bulk_create(built, batch_size=500)
    freeze_versions(sorted(papers.snapshots_version_ids(a.paper for a in built)), now)
    Round.objects.filter(pk=round_.pk).update(papers_built_at=now)
    return len(todo)


# --- Entry ----------------------------------------------------------------------------------------


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

    ``attempts`` (latest first) and ``eligible`` may be passed by callers that already have
    them. ``access_code`` None means "do not check it" (a snapshot, before the code is typed).
    """
    refusal = ROUND_REFUSALS.get(round_.state, "not_open")
    if refusal:
        return refusal
    if not (eligible if eligible is not None else is_eligible(round_, registration)):
        return "not_eligible"
    if round_.access_code and access_code is not None and access_code.strip() != round_.access_code:
        return "bad_access_code"
    if attempts is None:
        attempts = contestant_attempts(round_, registration)
    used = [a for a in attempts if a.state != Attempt.State.READY]
    if any(a.state == Attempt.State.IN_PROGRESS for a in used):
        return None
    if len(used) >= round_.attempts_allowed:
        return "no_attempts_left"
    return timing.entry_refusal(timing.RoundClock.of(round_), now=now)


@dataclass(frozen=True)
class EnterIn:
    round_id: int
    registration: Registration
    access_code: str = ""
    device_id: str = ""
    connection_id: str = ""


def enter_round(
    *,
    round_: Round,
    registration: Registration,
    access_code: str = "",
    device_id: str = "",
    connection_id: str = "",
    now,
) -> Attempt:
    """Start (or return the running) attempt; raises :class:`NotAllowed` with a reason."""
    item = EnterIn(round_.pk, registration, access_code, device_id, connection_id)
    result = enter_many([item], now=now)[0]
    if isinstance(result, Exception):
        raise result
    return result


def enter_many(items: list[EnterIn], *, now) -> list:
    """Enter a batch of contestants in ONE transaction; per item the attempt, or the
    :class:`NotAllowed` explaining the refusal. Idempotent: a contestant already in gets their
    running attempt. Emits one ``progress.hint`` per round to the control groups after commit.
    """
    with transaction.atomic():
        rounds = {r.pk: r for r in Round.objects.filter(pk__in={item.round_id for item in items})}
        attempts = _attempts_by_contestant(items)
        eligible = _eligible_ids(rounds.values(), items)
        results, claimed = [], {}
        for item in items:
            try:
                results.append(_enter_one(item, rounds, attempts, eligible, claimed, now))
            except NotAllowed as refusal:
                results.append(refusal)
        _claim(list(claimed.values()), now)
        for round_id in {a.round_id for a in claimed.values()}:
            events.publish_on_commit(events.control_group(round_id), {"type": events.PROGRESS_HINT})
    return results


def _attempts_by_contestant(items: list[EnterIn]) -> dict[tuple[int, int], list[Attempt]]:
    found: dict[tuple[int, int], list[Attempt]] = {}
    rows = (
        Attempt.objects.select_for_update(of=("self",))
        .filter(
            round_id__in={item.round_id for item in items},
            registration_id__in={item.registration.pk for item in items},
        )
        .order_by("-number")
    )
    for attempt in rows:
        found.setdefault((attempt.round_id, attempt.registration_id), []).append(attempt)
    return found


def _eligible_ids(rounds, items: list[EnterIn]) -> set[tuple[int, int]]:
    wanted = {item.registration.pk for item in items}
    return {
        (round_.pk, pk)
        for round_ in rounds
        for pk in eligible_registrations(round_).filter(pk__in=wanted).values_list("pk", flat=True)
    }


def _enter_one(item: EnterIn, rounds, attempts, eligible, claimed, now) -> Attempt:
    round_ = rounds.get(item.round_id)
    if round_ is None:
        raise refused("not_open")
    key = (item.round_id, item.registration.pk)
    mine = attempts.get(key, [])
    running = [a for a in mine if a.state == Attempt.State.IN_PROGRESS]
    if running:
        running[0].round = round_
        return running[0]
    reason = entry_refusal(
        round_,
        item.registration,
        now=now,
        attempts=mine,
        access_code=item.access_code,
        eligible=key in eligible,
    )
    if reason:
        raise refused(reason)
    attempt = _ready_or_new_attempt(round_, item.registration, mine, now)
    attempt.started_at = now
    attempt.deadline = timing.attempt_deadline(timing.RoundClock.of(round_), timing.AttemptClock.of(attempt))
    if attempt.deadline is not None and attempt.deadline <= now:
        raise refused("late")
    attempt.state = Attempt.State.IN_PROGRESS
    if round_.mode == Round.Mode.LIVE and round_.live_streak_bonus:
        # The settings are final once the round is open: the maximum counts the best streaks.
        worth = [Decimal(slot["points"]) for slot in attempt.paper["slots"]]
        attempt.max_score = sum(live_scoring.attainable_points(worth, streak_bonus=True), Decimal(0))
    attempt.device_id = item.device_id or attempt.device_id
    attempt.connection_id = item.connection_id
    attempt.last_seen_at = now
    attempt.round = round_  # no query: the reply to ``enter`` is built from it
    attempts[key] = [attempt, *[a for a in mine if a.pk != attempt.pk]]  # a repeat in the batch finds it
    claimed[attempt.pk] = attempt
    return attempt


def _ready_or_new_attempt(round_: Round, registration: Registration, attempts: list[Attempt], now) -> Attempt:
    """The paper built ahead, or a new one (a further attempt, or a contestant added late);
    a new paper's versions are frozen now, the others were at the start."""
    ready = [a for a in attempts if a.state == Attempt.State.READY]
    if ready:
        return ready[0]
    if round_.paper_id is None:
        raise refused("no_paper")
    number = attempts[0].number + 1 if attempts else 1
    attempt = _new_attempt(round_, registration.pk, number, papers.load_spec(round_.paper))
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:  # a concurrent entry built it; use theirs
        attempt = Attempt.objects.get(round=round_, registration=registration, number=number)
    freeze_versions(papers.version_ids(attempt.paper), now)
    return attempt


def _claim(attempts: list[Attempt], now) -> None:
    """One prepared UPDATE for the batch (rows locked above), and the ``entered`` events."""
    if not attempts:
        return
    update_rows(
        attempts,
        ("state", "started_at", "deadline", "max_score", "device_id", "connection_id", "last_seen_at"),
    )
    AttemptEvent.objects.bulk_create(
        [
            AttemptEvent(
                round_id=a.round_id,
                registration_id=a.registration_id,
                attempt_id=a.pk,  # ids, not instances: a start writes thousands of these
                kind=AttemptEvent.Kind.ENTERED,
                device_id=a.device_id,
                at=now,
            )
            for a in attempts
        ]
    )
