"""Reads for live rounds: the picture the hall sees, who has answered, the leaderboard and each
contestant's result. Every frame here comes from the database, so a reconnecting screen is
always put right (docs/protocol.md, "Live rounds").
"""

from decimal import Decimal

from django.db.models import Count, Max, Sum
from django.utils.translation import gettext as _

from contest import live, states
from contest.models import AnswerRevision, Attempt, Registration, Round, Team
from contest.snapshots import server_time_ms
from contest.vietnamese import name_sort_key
from quizzes import papers

LEADERBOARD_ROWS = 10


def _iso(value):
    return value.isoformat() if value is not None else None


def reference_slots(round_: Round) -> list[dict]:
    """The live paper's slots, the same for every contestant (any attempt's paper)."""
    paper = Attempt.objects.filter(round=round_).order_by("pk").values_list("paper", flat=True).first()
    return (paper or {}).get("slots", [])


def question_definition(slot: dict) -> tuple[str, str, dict]:
    return papers.load_definitions({"slots": [slot]})[slot["version_id"]]


def public_question(slot: dict) -> dict:
    """The question as the hall sees it: options in the paper's own order, never the key."""
    question = papers.public_questions({"slots": [{**slot, "option_order": None}]})[0]
    question["options"] = live.choice_options(
        question["qtype"], question["definition"], yes=_("Đúng"), no=_("Sai")
    )
    return question


def answering(round_: Round):
    """Attempts whose answers count: in captain play only the team captains'."""
    attempts = Attempt.objects.filter(round=round_, state=Attempt.State.IN_PROGRESS)
    if round_.live_team_play == Round.LiveTeamPlay.CAPTAIN:
        attempts = attempts.filter(registration__in=Team.objects.values("captain_id"))
    return attempts


def answering_role(round_: Round, registration: Registration) -> str:
    """``answers``, or ``watches`` for a phone whose answers would be refused: in captain play
    only the team captain's phone answers, and the others follow the question and the result."""
    if round_.live_team_play != Round.LiveTeamPlay.CAPTAIN:
        return "answers"
    return "answers" if Team.objects.filter(captain_id=registration.pk).exists() else "watches"


def opening_answers(round_: Round):
    """Latest revisions given to the current question since it was (re)opened."""
    if round_.live_question_opened_at is None:
        return AnswerRevision.objects.none()
    return AnswerRevision.objects.filter(
        attempt__round=round_,
        slot=live.current_index(round_.live_question_index),
        received_at__gte=round_.live_question_opened_at,
    )


def answer_progress(round_: Round) -> dict:
    """Who is expected to answer now (joined: a socket is open) and who has."""
    expected = answering(round_).exclude(connection_id="")
    answered = set(opening_answers(round_).values_list("attempt__registration_id", flat=True))
    expected_ids = set(expected.values_list("registration_id", flat=True))
    return {
        "answered": len(answered),
        "expected": len(expected_ids),
        "answered_ids": sorted(answered),
        "all_answered": bool(expected_ids) and expected_ids <= answered,
    }


def _standings(round_: Round) -> list[live.Standing]:
    attempts = (
        Attempt.objects.filter(round=round_)
        .exclude(state=Attempt.State.READY)
        .select_related("registration__person", "registration__unit", "registration__team")
        .order_by("registration_id", "number")
    )
    latest = {attempt.registration_id: attempt for attempt in attempts}
    if round_.live_team_play == Round.LiveTeamPlay.INDIVIDUAL:
        return [
            live.Standing(
                a.registration_id,
                a.registration.person.full_name,
                a.registration.unit.short_name or a.registration.unit.name,
                a.registration.unit.color,
                a.score,
            )
            for a in latest.values()
        ]
    teams: dict[int, list[Attempt]] = {}
    for attempt in latest.values():
        if attempt.registration.team_id is not None:
            teams.setdefault(attempt.registration.team_id, []).append(attempt)
    standings = []
    for members in teams.values():
        team = members[0].registration.team
        captain = next((m.score for m in members if m.registration_id == team.captain_id), None)
        score = live.team_score([m.score for m in members], captain_score=captain, play=round_.live_team_play)
        unit = members[0].registration.unit
        standings.append(live.Standing(team.pk, team.name, unit.short_name or unit.name, unit.color, score))
    return standings


def leaderboard(round_: Round, *, limit: int | None = LEADERBOARD_ROWS) -> list[dict]:
    rows = live.ranked(_standings(round_), sort_key=name_sort_key)
    return rows[:limit] if limit else rows


# Full rankings kept per process: after a reveal every phone's socket asks for its own place,
# and they share one computation instead of one each. The key is a fingerprint of the round's
# attempts (one aggregate query), so any change of a score makes a new entry.
_rankings: dict[tuple, list[dict]] = {}
RANKINGS_KEPT = 8


def _shared_ranking(round_: Round) -> list[dict]:
    fingerprint = Attempt.objects.filter(round=round_).aggregate(
        count=Count("pk"), total=Sum("score"), seen=Max("last_seen_at")
    )
    key = (round_.pk, round_.state_version, round_.live_team_play, *fingerprint.values())
    if key not in _rankings:
        if len(_rankings) >= RANKINGS_KEPT:
            _rankings.pop(next(iter(_rankings)))
        _rankings[key] = leaderboard(round_, limit=None)
    return _rankings[key]


def _reveal(round_: Round, slot: dict) -> dict:
    qtype, _stem, definition = question_definition(slot)
    public = public_question(slot)
    responses = [r.response for r in _latest_opening_answers(round_)]
    option_ids = [option["id"] for option in public["options"]]
    return {
        "correct": live.correct_keys(qtype, definition),
        "answer_text": live.answer_text(qtype, definition),
        "distribution": live.distribution(qtype, responses, option_ids),
        "answered": len(responses),
    }


def _latest_opening_answers(round_: Round) -> list[AnswerRevision]:
    latest: dict[int, AnswerRevision] = {}
    for revision in opening_answers(round_).filter(attempt__in=answering(round_)).order_by("revision"):
        latest[revision.attempt_id] = revision
    return list(latest.values())


def live_picture(round_: Round, *, now) -> dict:
    """``live.question``: everything the hall may see now. The question only once opened, the
    right answer and the distribution only once revealed."""
    slots = reference_slots(round_)
    index = live.current_index(round_.live_question_index)
    state = live.current_state(round_.live_question_state)
    ended = round_.state == states.CLOSED
    shown = state != states.Q_PENDING and index < len(slots) and not ended
    picture = {
        "type": "live.question",
        "round": round_.pk,
        "index": index,
        "count": len(slots),
        "state": "ended" if ended else state,
        "opened_at": _iso(round_.live_question_opened_at),
        "deadline": _iso(round_.live_question_deadline),
        "paused_at": _iso(round_.paused_at),
        "grace_seconds": round_.grace_seconds,
        "server_time": server_time_ms(now),
        "question": public_question(slots[index]) if shown else None,
        "reveal": None,
        "leaderboard": None,
        "team_play": round_.live_team_play,
    }
    if shown and state in (states.Q_REVEALED, states.Q_LEADERBOARD):
        picture["reveal"] = _reveal(round_, slots[index])
    if ended or state == states.Q_LEADERBOARD:
        picture["leaderboard"] = leaderboard(round_)
    return picture


def contestant_results(round_: Round, registrations: list[Registration]) -> dict[int, dict]:
    """``live.result`` (each one's answer to the revealed question, its points, their total and
    rank) for many contestants at once, by registration id: at a reveal every phone wants its
    own, and a few queries serve them all."""
    index = live.current_index(round_.live_question_index)
    attempts: dict[int, Attempt] = {}
    rows = (
        Attempt.objects.filter(round=round_, registration__in=[r.pk for r in registrations])
        .exclude(state=Attempt.State.READY)
        .order_by("number")
        .defer("paper")
    )
    for attempt in rows:
        attempts[attempt.registration_id] = attempt  # the latest number wins
    revisions: dict[int, AnswerRevision] = {}
    for revision in opening_answers(round_).filter(attempt__in=list(attempts.values())).order_by("revision"):
        revisions[revision.attempt_id] = revision  # the latest revision wins
    ranking = _shared_ranking(round_)
    ranks = {row["id"]: row["rank"] for row in ranking}
    team_play = round_.live_team_play != Round.LiveTeamPlay.INDIVIDUAL
    results = {}
    for registration in registrations:
        attempt = attempts.get(registration.pk)
        revision = revisions.get(attempt.pk) if attempt is not None else None
        results[registration.pk] = {
            "type": "live.result",
            "index": index,
            "answered": revision is not None,
            "response": revision.response if revision else None,
            "correct": None if revision is None or revision.fraction is None else revision.fraction >= 1,
            "points": str(revision.points) if revision and revision.points is not None else "0.00",
            "score": str(attempt.score if attempt else Decimal("0.00")),
            "rank": ranks.get(registration.team_id if team_play else registration.pk),
            "of": len(ranking),
        }
    return results


def results_for(items: list[tuple[int, Registration]], *, now) -> list[dict]:
    """The results batcher's flush: ``(round id, registration)`` pairs, the rounds read once."""
    rounds = Round.objects.in_bulk({round_id for round_id, _ in items})
    by_round: dict[int, list[Registration]] = {}
    for round_id, registration in items:
        by_round.setdefault(round_id, []).append(registration)
    results = {
        round_id: contestant_results(rounds[round_id], registrations)
        for round_id, registrations in by_round.items()
    }
    return [results[round_id][registration.pk] for round_id, registration in items]
