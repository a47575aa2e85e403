"""Reads for running rounds: who may enter, snapshots for sockets, the organisers' monitor.

Snapshots are what a socket receives on connect and on ``resync``: they come from the
database only, so a client that missed broadcasts is always put right. Shapes are documented
in docs/protocol.md.
"""

from django.db.models import Count, Q

from contest import states, timing
from contest.events import ATTEMPT_UPDATED, PROTOCOL_VERSION
from contest.models import AnswerRevision, AnswerUpload, Attempt, AttemptEvent, AuditLog, Registration, Round
from contest.vietnamese import name_sort_key
from quizzes import papers


def server_time_ms(now) -> float:
    return round(now.timestamp() * 1000, 1)


def _iso(value):
    return value.isoformat() if value is not None else None


def eligible_registrations(round_: Round):
    """Registrations allowed into the round: the union of its entry lists, or everyone."""
    registrations = Registration.objects.filter(edition_id=round_.edition_id)
    unit_ids = list(round_.entry_units.values_list("pk", flat=True))
    team_ids = list(round_.entry_teams.values_list("pk", flat=True))
    registration_ids = list(round_.entry_registrations.values_list("pk", flat=True))
    if not (unit_ids or team_ids or registration_ids):
        return registrations
    return registrations.filter(
        Q(unit_id__in=unit_ids) | Q(team_id__in=team_ids) | Q(pk__in=registration_ids)
    )


def is_eligible(round_: Round, registration: Registration) -> bool:
    """One query: the round has no entry list, or one of its lists names the registration."""
    if registration.edition_id != round_.edition_id:
        return False
    allowed = Q(entry_units__isnull=True, entry_teams__isnull=True, entry_registrations__isnull=True)
    allowed |= Q(entry_units=registration.unit_id) | Q(entry_registrations=registration.pk)
    if registration.team_id is not None:  # entry_teams=None would mean "no team list"
        allowed |= Q(entry_teams=registration.team_id)
    return Round.objects.filter(pk=round_.pk).filter(allowed).exists()


def round_info(round_: Round) -> dict:
    live = None
    if round_.mode == Round.Mode.LIVE:
        live = {
            "index": round_.live_question_index,
            "state": round_.live_question_state or None,
            "opened_at": _iso(round_.live_question_opened_at),
            "deadline": _iso(round_.live_question_deadline),
        }
    return {
        "id": round_.pk,
        "slug": round_.slug,
        "name": round_.name,
        "mode": round_.mode,
        "state": round_.state,
        "state_version": round_.state_version,
        "is_practice": round_.is_practice,
        "timing": round_.timing,
        "duration_seconds": round_.duration_seconds,
        "opens_at": _iso(round_.opens_at),
        "closes_at": _iso(timing.effective_close(timing.RoundClock.of(round_))),
        "started_at": _iso(round_.started_at),
        "paused_at": _iso(round_.paused_at),
        "requires_access_code": bool(round_.access_code),
        "attempts_allowed": round_.attempts_allowed,
        "grace_seconds": round_.grace_seconds,
        "live": live,
    }


def attempt_info(attempt: Attempt, round_: Round, *, now) -> dict:
    used = None
    if attempt.started_at is not None:
        used = timing.time_used_seconds(
            started_at=attempt.started_at,
            now=now,
            submitted_at=attempt.submitted_at,
            paused_seconds=attempt.paused_seconds,
            paused_at=round_.paused_at,
        )
    return {
        "id": attempt.pk,
        "number": attempt.number,
        "state": attempt.state,
        "started_at": _iso(attempt.started_at),
        "deadline": _iso(attempt.deadline),
        "submitted_at": _iso(attempt.submitted_at),
        "submit_reason": attempt.submit_reason,
        "answered_count": attempt.answered_count,
        "question_count": len(attempt.paper.get("slots", [])),
        "time_used_seconds": round(used, 1) if used is not None else None,
    }


def attempt_update(attempt: Attempt, *, now) -> dict:
    """``attempt.updated``: one attempt's clock and state (after ``submit``, or a change of
    deadlines)."""
    return {
        "type": ATTEMPT_UPDATED,
        "attempt": attempt_info(attempt, attempt.round, now=now),
        "server_time": server_time_ms(now),
    }


def running_attempt_updates(items: list[tuple[int, int]], *, now) -> list[dict | None]:
    """``attempt.updated`` for each ``(round id, registration id)`` with a running attempt (else
    None), in one query: after a pause or an extension every contestant's socket asks at once."""
    running = Attempt.objects.select_related("round").filter(
        round_id__in={round_id for round_id, _ in items},
        registration_id__in={registration_id for _, registration_id in items},
        state=Attempt.State.IN_PROGRESS,
    )
    by_key = {(a.round_id, a.registration_id): a for a in running}
    return [attempt_update(by_key[key], now=now) if key in by_key else None for key in items]


def latest_answers(attempt: Attempt) -> dict[str, dict]:
    """The latest revision of every answered slot, keyed by the slot as a string (JSON keys)."""
    answers: dict[str, dict] = {}
    rows = (
        AnswerRevision.objects.filter(attempt=attempt)
        .order_by("slot", "revision")
        .values_list("slot", "revision", "response", "received_at")
    )
    for slot, revision, response, received_at in rows:
        answers[str(slot)] = {"revision": revision, "response": response, "saved_at": _iso(received_at)}
    _name_files(attempt, answers)
    return answers


def _name_files(attempt: Attempt, answers: dict[str, dict]) -> None:
    """A file answer holds only its upload id; the page shows the file's name and size, so they
    ride along as ``"file"`` (one more query, only when there are file answers)."""
    named = {a["response"]["upload_id"]: a for a in answers.values() if "upload_id" in (a["response"] or {})}
    if not named:
        return
    files = AnswerUpload.objects.filter(attempt=attempt, pk__in=named).values_list(
        "pk", "original_name", "size"
    )
    for pk, name, size in files:
        named[pk]["file"] = {"name": name, "size": size}


def current_attempt(attempts: list[Attempt]) -> Attempt | None:
    """The attempt a contestant is on (``attempts`` latest first): the running one, else the
    latest."""
    running = [a for a in attempts if a.state == Attempt.State.IN_PROGRESS]
    return (running or attempts or [None])[0]


def contestant_snapshot(
    round_: Round,
    registration: Registration,
    *,
    attempts: list[Attempt],
    now,
    entry_refusal=None,
    announcements: bool = True,
) -> dict:
    """``attempts``: the contestant's attempts in the round, latest first. Without
    ``announcements`` the key is left out (the client keeps what it has)."""
    attempt = current_attempt(attempts)
    started = attempt is not None and attempt.state != Attempt.State.READY
    # Attempt numbers run 1, 2, …; only the first can be a paper built ahead (``ready``).
    used = attempt.number if started else 0
    running = attempt is not None and attempt.state == Attempt.State.IN_PROGRESS
    frame = {
        "type": "snapshot",
        "protocol": PROTOCOL_VERSION,
        "server_time": server_time_ms(now),
        "round": round_info(round_),
        "contestant": {
            "code": registration.code,
            "name": registration.person.full_name,
            "unit": registration.unit.short_name or registration.unit.name,
        },
        "attempt": attempt_info(attempt, round_, now=now) if attempt is not None else None,
        "attempts_used": used,
        "can_enter": not running and entry_refusal is None and used < round_.attempts_allowed,
        "entry_refusal": entry_refusal,
        "paper": papers.public_questions(attempt.paper) if started else None,
        # answered_count 0 means no revision exists: spares the query right after entry.
        "answers": latest_answers(attempt) if started and attempt.answered_count else {},
        "flags": list(attempt.flags) if attempt is not None else [],
    }
    if announcements:
        frame["announcements"] = recent_announcements(round_)
    return frame


def enters_at_start(round_: Round, attempts: list[Attempt], entry_refusal: str | None) -> bool:
    """Whether the server enters this contestant by itself when the round starts: an exam
    round not open yet, no access code to type, no attempt begun (docs/protocol.md, "enter")."""
    return (
        round_.mode == Round.Mode.EXAM
        and entry_refusal == "not_open"
        and not round_.access_code
        and all(attempt.state == Attempt.State.READY for attempt in attempts)
    )


def entered_snapshot(attempt: Attempt, registration: Registration, *, now) -> dict:
    """The reply to ``enter``, from the attempt the entry batch returned (its ``round`` as
    the batch read it): at a synchronous start hundreds of these are built at once, so no
    query is made for what cannot have changed since the lobby's snapshot (the announcements,
    and the answers of a fresh attempt)."""
    return contestant_snapshot(attempt.round, registration, attempts=[attempt], now=now, announcements=False)


def recent_announcements(round_: Round, limit: int = 3) -> list[dict]:
    """The last announcements (newest first), so a reloaded page still shows them. They live
    in the audit log, where ``rounds.announce`` records them."""
    rows = (
        AuditLog.objects.filter(
            action="round.announce", object_type="contest.round", object_id=str(round_.pk)
        )
        .order_by("-created_at", "-id")
        .values_list("after", "created_at")[:limit]
    )
    return [{"text": (after or {}).get("text", ""), "at": _iso(at)} for after, at in rows]


def progress(round_: Round) -> dict:
    """Counts only (what a projector may show during an exam): two queries. A contestant counts
    once, by their latest attempt: in progress, submitted, or not entered."""
    latest: dict[int, str] = {}
    rows = Attempt.objects.filter(round=round_).order_by("number").values_list("registration_id", "state")
    for registration_id, state in rows:
        latest[registration_id] = state
    in_progress = sum(1 for state in latest.values() if state == states.IN_PROGRESS)
    submitted = sum(1 for state in latest.values() if state == states.SUBMITTED)
    eligible = eligible_registrations(round_).count()
    return {
        "eligible": eligible,
        "not_entered": max(0, eligible - in_progress - submitted),
        "in_progress": in_progress,
        "submitted": submitted,
    }


MONITORED_FIELDS = (
    "pk", "registration_id", "state", "answered_count", "deadline", "last_seen_at",
    "connection_id", "device_switches", "submit_reason",
)  # fmt: skip
MONITOR_COLUMNS = [
    "registration_id", "code", "name", "unit", "attempt_id", "state", "answered", "question_count",
    "deadline", "last_seen", "connected", "device_switches", "focus_losses", "submit_reason",
]  # fmt: skip
# A contestant without an attempt, as the monitor shows one.
NOT_ENTERED = {
    "pk": None, "state": "not_entered", "answered_count": 0, "deadline": None, "last_seen_at": None,
    "connection_id": "", "device_switches": 0, "submit_reason": "",
}  # fmt: skip


def monitor(round_: Round, *, now) -> dict:
    """The organisers' live monitor: four queries whatever the number of contestants."""
    registrations = eligible_registrations(round_).values(
        "pk", "code", "person__full_name", "unit__code", "unit__short_name"
    )
    attempts: dict[int, dict] = {}
    # Every paper of a round has the same number of slots (fixed list, or fixed rule counts):
    # read it from one, instead of loading every paper.
    one_paper = Attempt.objects.filter(round=round_).values_list("paper", flat=True).first()
    question_count = len(one_paper["slots"]) if one_paper else 0
    # Plain values, not model instances: the monitor of a 2,000-contestant round is rebuilt
    # every second during a storm, and building the instances was most of its cost.
    for attempt in Attempt.objects.filter(round=round_).order_by("number").values(*MONITORED_FIELDS):
        attempts[attempt["registration_id"]] = attempt  # the latest number wins
    focus_losses = dict(
        AttemptEvent.objects.filter(round=round_, kind=AttemptEvent.Kind.FOCUS_LOST)
        .values("attempt_id")
        .annotate(n=Count("pk"))
        .values_list("attempt_id", "n")
    )
    rows = []
    counts = {"eligible": 0, "not_entered": 0, "in_progress": 0, "submitted": 0, "connected": 0}
    for reg in registrations:
        attempt = attempts.get(reg["pk"]) or NOT_ENTERED
        state = "not_entered" if attempt["state"] == Attempt.State.READY else attempt["state"]
        connected = bool(attempt["connection_id"])
        counts["eligible"] += 1
        counts[state] += 1
        counts["connected"] += connected
        rows.append(
            {
                "registration_id": reg["pk"],
                "code": reg["code"],
                "name": reg["person__full_name"],
                "unit": reg["unit__short_name"] or reg["unit__code"],
                "attempt_id": attempt["pk"],
                "state": state,
                "answered": attempt["answered_count"],
                "question_count": question_count,
                "deadline": _iso(attempt["deadline"]),
                "last_seen": _iso(attempt["last_seen_at"]),
                "connected": connected,
                "device_switches": attempt["device_switches"],
                "focus_losses": focus_losses.get(attempt["pk"], 0),
                "submit_reason": attempt["submit_reason"],
            }
        )
    rows.sort(key=lambda row: (row["unit"], name_sort_key(row["name"])))
    return {
        "type": "monitor",
        "server_time": server_time_ms(now),
        "counts": counts,
        # Columns and rows, not one object per contestant: the key names were most of the
        # frame, and a frame over 1 MiB cannot be sent at all (Daphne's limit), which a
        # round of 4,000 reached.
        "columns": MONITOR_COLUMNS,
        "rows": [[row[column] for column in MONITOR_COLUMNS] for row in rows],
    }


def control_snapshot(round_: Round, *, now) -> dict:
    return {
        "type": "snapshot",
        "protocol": PROTOCOL_VERSION,
        "server_time": server_time_ms(now),
        "round": round_info(round_),
        "actions": states.allowed_round_actions(round_.state, practice=round_.is_practice),
        "monitor": monitor(round_, now=now),
    }


def viewer_snapshot(round_: Round, *, now) -> dict:
    return {
        "type": "snapshot",
        "protocol": PROTOCOL_VERSION,
        "server_time": server_time_ms(now),
        "round": round_info(round_),
        "progress": progress(round_),
    }
