"""Reads for scores, rankings, boards and prizes. Selectors never write.

Everything is recomputed from attempts, which the answer service keeps graded (each stored
answer is graded at once and the attempt's ``score`` follows it): the database is the truth,
and nothing here can drift from it. Each function runs a fixed number of queries whatever the
number of contestants (query-count tests pin the hot ones), then hands plain values to the pure
rules in ``contest.ranking``, ``contest.team_scores`` and ``contest.prizes``.

A round's score per contestant is their best or their last attempt (``Round.counts``); a
contestant who has only a ``ready`` attempt did not take part. Practice rounds are never ranked
together with the others nor exported.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from django.db.models import Q

from contest import boards, timing
from contest.models import (
    AnswerRevision,
    Attempt,
    EditionScoring,
    PrizeDecision,
    Registration,
    Round,
    RoundBoard,
    Unit,
)
from contest.prizes import PRIZE_ORDER, PrizeLevel, PrizeQuota, PrizeResult, TieDecision, assign_prizes
from contest.ranking import RankEntry, Ranking, TieBreak, check_chain, rank_entries
from contest.snapshots import eligible_registrations
from contest.team_scores import (
    DEFAULT_PRIZE_POINTS,
    RoundWeight,
    TeamMethod,
    TeamScoreRule,
    UnitFormula,
    UnitStats,
    combined_score,
    count_prizes,
    rank_units,
    rounded,
    select_advancing,
    team_score,
)
from contest.vietnamese import name_sort_key

ZERO = Decimal(0)

# Every board tick sorts every contestant by name, and building a Vietnamese name key is most
# of a tick's cost (about 0.15 ms each); names hardly change, so the keys are cached.
_name_key = lru_cache(maxsize=50_000)(name_sort_key)


@dataclass(slots=True)
class ResultRow:
    """One contestant in one round (or in the edition, for the combined ranking)."""

    registration_id: int
    code: str
    name: str
    unit_id: int
    unit_code: str
    unit_name: str
    unit_color: str
    cluster_id: int | None
    team_id: int | None
    team_name: str
    public_consent: bool = False  # may the name appear on a public board (Person.public_consent_at)
    state: str = "not_entered"  # not_entered, in_progress, submitted
    attempt_id: int | None = None
    score: Decimal = ZERO
    max_score: Decimal = ZERO
    answered: int = 0
    time_used: float | None = None
    submitted_at: datetime | None = None
    guess: float | None = None
    round_scores: dict = field(default_factory=dict)

    @property
    def took_part(self) -> bool:
        return self.state != "not_entered"


# --- Settings ---------------------------------------------------------------------------------


def get_board(round_: Round) -> RoundBoard:
    """The round's board settings; unsaved defaults when nobody configured it yet."""
    board = RoundBoard.objects.filter(round_id=round_.pk).first()
    return board if board is not None else RoundBoard(round=round_)


def get_edition_scoring(edition) -> EditionScoring:
    scoring = EditionScoring.objects.filter(edition_id=edition.pk).first()
    return scoring if scoring is not None else EditionScoring(edition=edition)


def board_close_at(round_: Round) -> datetime | None:
    """When the round's window ends, for the freeze: the effective close, or for a synchronous
    round without a window, its start plus the duration, pauses and extensions."""
    rc = timing.RoundClock.of(round_)
    close = timing.effective_close(rc)
    if (
        close is None
        and round_.timing == Round.Timing.SYNCHRONOUS
        and round_.started_at
        and round_.duration_seconds
    ):
        close = round_.started_at + timedelta(
            seconds=round_.duration_seconds + round_.paused_seconds + round_.extension_seconds
        )
    return close


# --- One round --------------------------------------------------------------------------------


def _registration_rows(registrations) -> dict[int, ResultRow]:
    rows = {}
    values = registrations.values(
        "pk",
        "code",
        "person__full_name",
        "unit_id",
        "unit__code",
        "unit__name",
        "unit__short_name",
        "unit__color",
        "unit__cluster_id",
        "team_id",
        "team__name",
        "person__public_consent_at",
    )
    for reg in values:
        rows[reg["pk"]] = ResultRow(
            registration_id=reg["pk"],
            code=reg["code"],
            name=reg["person__full_name"],
            unit_id=reg["unit_id"],
            unit_code=reg["unit__code"],
            unit_name=reg["unit__short_name"] or reg["unit__name"],
            unit_color=reg["unit__color"] or "",
            cluster_id=reg["unit__cluster_id"],
            team_id=reg["team_id"],
            team_name=reg["team__name"] or "",
            public_consent=reg["person__public_consent_at"] is not None,
        )
    return rows


def _scores_as_of(round_: Round, as_of: datetime) -> dict[int, tuple[Decimal, int]]:
    """Each attempt's score and answered count from the revisions received before ``as_of``:
    what the board showed at that moment, rebuilt from the append-only revisions."""
    latest: dict[tuple[int, int], Decimal | None] = {}
    revisions = (
        AnswerRevision.objects.filter(attempt__round=round_, received_at__lt=as_of)
        .order_by("revision")
        .values_list("attempt_id", "slot", "points")
    )
    for attempt_id, slot, points in revisions:
        latest[(attempt_id, slot)] = points
    totals: dict[int, tuple[Decimal, int]] = {}
    for (attempt_id, _slot), points in latest.items():
        score, answered = totals.get(attempt_id, (ZERO, 0))
        totals[attempt_id] = (score + (points or ZERO), answered + 1)
    return totals


def _counting(candidates: list[dict], counts: str) -> dict:
    """The attempt that counts: the best (earliest among equal), or the last one."""
    if counts == Round.Counts.LAST:
        submitted = [a for a in candidates if a["state"] == Attempt.State.SUBMITTED]
        return max(submitted or candidates, key=lambda a: a["number"])
    return min(candidates, key=lambda a: (-a["score"], a["number"]))


def _prediction_slots(attempt_ids) -> dict[int, dict]:
    """Each attempt's prediction slot (numeric, flagged ``prediction``) from its own paper,
    whose order may differ from everyone else's."""
    from quizzes.models import QuestionVersion

    papers = dict(Attempt.objects.filter(pk__in=attempt_ids).values_list("pk", "paper"))
    version_ids = {slot["version_id"] for paper in papers.values() for slot in paper.get("slots", [])}
    predictions = set(
        QuestionVersion.objects.filter(
            pk__in=version_ids, qtype="numeric", definition__prediction=True
        ).values_list("pk", flat=True)
    )
    found = {}
    for attempt_id, paper in papers.items():
        for index, slot in enumerate(paper.get("slots", [])):
            if slot["version_id"] in predictions:
                found[attempt_id] = {**slot, "index": index}
                break
    return found


def _guesses(round_: Round, attempt_ids: set[int]) -> dict[int, float]:
    """Each attempt's latest answer to the round's prediction question."""
    from quizzes import question_types

    slot_of = {attempt_id: slot["index"] for attempt_id, slot in _prediction_slots(attempt_ids).items()}
    guesses: dict[int, float] = {}
    revisions = AnswerRevision.objects.filter(attempt_id__in=slot_of).order_by("revision")
    for attempt_id, slot, response in revisions.values_list("attempt_id", "slot", "response"):
        if slot_of.get(attempt_id) == slot:
            value = question_types.parse_number((response or {}).get("value"))
            if value is not None:
                guesses[attempt_id] = value
    return guesses


def round_results(round_: Round, *, now: datetime, as_of: datetime | None = None) -> list[ResultRow]:
    """Every eligible contestant (and anyone with an attempt) with the attempt that counts.

    ``as_of`` rebuilds the standings at an earlier moment (the freeze) from the revisions.
    Three queries, four with ``as_of``, more only when the prediction's truth is known.
    """
    registrations = Registration.objects.filter(
        Q(pk__in=eligible_registrations(round_).values("pk")) | Q(attempts__round=round_)
    ).distinct()
    rows = _registration_rows(registrations)
    attempts = Attempt.objects.filter(round=round_).exclude(state=Attempt.State.READY)
    if as_of is not None:
        attempts = attempts.filter(started_at__lt=as_of)
    candidates: dict[int, list[dict]] = {}
    for attempt in attempts.values(
        "pk", "registration_id", "number", "state", "score", "max_score", "answered_count",
        "started_at", "submitted_at", "paused_seconds",
    ):  # fmt: skip
        candidates.setdefault(attempt["registration_id"], []).append(attempt)
    totals = _scores_as_of(round_, as_of) if as_of is not None else None
    for registration_id, attempts_of in candidates.items():
        if totals is not None:
            for attempt in attempts_of:
                attempt["score"], attempt["answered_count"] = totals.get(attempt["pk"], (ZERO, 0))
                if attempt["submitted_at"] and attempt["submitted_at"] >= as_of:
                    attempt["submitted_at"], attempt["state"] = None, Attempt.State.IN_PROGRESS
        chosen = _counting(attempts_of, round_.counts)
        row = rows.get(registration_id)
        if row is None:
            continue
        row.state, row.attempt_id = chosen["state"], chosen["pk"]
        row.score, row.max_score, row.answered = (
            chosen["score"],
            chosen["max_score"],
            chosen["answered_count"],
        )
        row.submitted_at = chosen["submitted_at"]
        row.time_used = round(
            timing.time_used_seconds(
                started_at=chosen["started_at"],
                now=as_of or now,
                submitted_at=chosen["submitted_at"],
                paused_seconds=chosen["paused_seconds"],
                paused_at=round_.paused_at,
            ),
            1,
        )
    return sorted(rows.values(), key=lambda row: _name_key(row.name))


@dataclass(frozen=True, slots=True)
class Standing:
    """A round's ranking: the rows (participants only) in rank order, and the ranking itself."""

    rows: tuple[ResultRow, ...]
    ranking: Ranking
    everyone: tuple[ResultRow, ...]  # participants and not, in Vietnamese name order


def rank_rows(rows, *, chain=(TieBreak.SCORE,), truth=None, attempt_guesses=None) -> Standing:
    """Rank the participants among ``rows`` (already in name order, so ties list by name)."""
    participants = [row for row in rows if row.took_part]
    guesses = attempt_guesses or {}
    entries = [
        RankEntry(
            row.registration_id,
            row.score,
            guesses.get(row.attempt_id),
            row.time_used,
            row.submitted_at,
        )
        for row in participants
    ]
    ranking = rank_entries(entries, chain=chain, truth=truth)
    by_id = {row.registration_id: row for row in participants}
    return Standing(tuple(by_id[r.entry_id] for r in ranking.rows), ranking, tuple(rows))


def round_standing(round_: Round, *, now: datetime, as_of: datetime | None = None, board=None) -> Standing:
    board = board or get_board(round_)
    rows = round_results(round_, now=now, as_of=as_of)
    truth = board.prediction_truth
    guesses = {}
    if truth is not None and TieBreak.PREDICTION.value in board.tie_break_chain:
        guesses = _guesses(round_, {row.attempt_id for row in rows if row.attempt_id})
    return rank_rows(rows, chain=check_chain(board.tie_break_chain), truth=truth, attempt_guesses=guesses)


def perfect_score_count(round_: Round, *, now: datetime) -> int:
    """The default computed truth of a prediction question: contestants with full marks.
    The prediction question itself never scores (its grade is always 0), so its points, if a
    paper gave it any, are left out of the full marks."""
    rows = [row for row in round_results(round_, now=now) if row.took_part and row.max_score]
    unscorable = {
        attempt_id: Decimal(str(slot.get("points") or 0))
        for attempt_id, slot in _prediction_slots({row.attempt_id for row in rows}).items()
    }
    return sum(1 for row in rows if row.score >= row.max_score - unscorable.get(row.attempt_id, ZERO))


def advancement_cuts(standing: Standing, top_n: int, group: str = "") -> list[dict]:
    """Who goes on: the top ``top_n`` overall, or in each unit or cluster (``group``), with the
    tie at each cut listed for the organisers to decide. Rows are ResultRows."""
    by_id = {row.registration_id: row for row in standing.rows}
    group_of = None
    if group == "unit":
        group_of = {pk: row.unit_name for pk, row in by_id.items()}
    elif group == "cluster":
        group_of = {pk: row.cluster_id for pk, row in by_id.items()}
    return [
        {
            "group": cut.group,
            "advancing": [by_id[pk] for pk in cut.advancing],
            "tied": [by_id[pk] for pk in cut.tied_at_cut],
            "slots_left": cut.slots_left,
        }
        for cut in select_advancing(standing.ranking, top_n, group_of=group_of)
    ]


# --- Board rows -------------------------------------------------------------------------------


def individual_rows(standing: Standing) -> list[dict]:
    return [
        {
            "id": row.registration_id,
            "rank": ranked.rank,
            "name": row.name,
            "public": row.public_consent,
            "unit": row.unit_name,
            "color": row.unit_color,
            "team": row.team_name,
            "score": str(row.score),
            "answered": row.answered,
            "submitted": row.state == Attempt.State.SUBMITTED,
        }
        for row, ranked in zip(standing.rows, standing.ranking.rows, strict=True)
    ]


def _ranked_groups(groups: dict, make_score) -> list[dict]:
    entries = [RankEntry(key, make_score(members)) for key, members in groups.items()]
    ranking = rank_entries(entries, chain=[TieBreak.SCORE])
    return [(ranked, groups[ranked.entry_id]) for ranked in ranking.rows]


def team_rule(scoring: EditionScoring) -> TeamScoreRule:
    return TeamScoreRule(TeamMethod(scoring.team_method), scoring.team_best_k)


def team_rows(standing: Standing, rule: TeamScoreRule) -> list[dict]:
    """Teams ranked by the edition's team rule over their members who took part."""
    groups: dict[int, list[ResultRow]] = {}
    for row in standing.rows:
        if row.team_id is not None:
            groups.setdefault(row.team_id, []).append(row)
    return [
        {
            "id": team_id_row[0].team_id,
            "rank": ranked.rank,
            "name": team_id_row[0].team_name,
            "unit": team_id_row[0].unit_name,
            "color": team_id_row[0].unit_color,
            "score": str(ranked.entry.score),
            "members": len(team_id_row),
        }
        for ranked, team_id_row in _ranked_groups(
            groups, lambda rows: team_score((r.score for r in rows), rule)
        )
    ]


def unit_rows(standing: Standing) -> list[dict]:
    """Units on a round's live board: the mean score of their members who took part, with how
    many took part of how many were eligible. (The edition's unit ranking, with participation
    rate and prize points, is :func:`edition_units`.)"""
    groups: dict[int, list[ResultRow]] = {}
    eligible: dict[int, int] = {}
    for row in standing.everyone:
        eligible[row.unit_id] = eligible.get(row.unit_id, 0) + 1
        if row.took_part:
            groups.setdefault(row.unit_id, []).append(row)
    return [
        {
            "id": rows[0].unit_id,
            "rank": ranked.rank,
            "name": rows[0].unit_name,
            "color": rows[0].unit_color,
            "score": str(ranked.entry.score),
            "took_part": len(rows),
            "eligible": eligible[rows[0].unit_id],
        }
        for ranked, rows in _ranked_groups(
            groups, lambda rows: rounded(sum((r.score for r in rows), ZERO) / len(rows))
        )
    ]


def progress_rows(rows) -> list[dict]:
    """What contestants and the public may see during an exam: no score, no correctness."""
    return [
        {
            "id": row.registration_id,
            "name": row.name,
            "public": row.public_consent,
            "unit": row.unit_name,
            "color": row.unit_color,
            "state": row.state,
            "answered": row.answered,
        }
        for row in sorted(rows, key=lambda row: (row.unit_name, _name_key(row.name)))
    ]


def board_view_rows(standing: Standing, view: str, *, rule: TeamScoreRule) -> list[dict]:
    if view == "team":
        return team_rows(standing, rule)
    if view == "unit":
        return unit_rows(standing)
    return individual_rows(standing)


def show_for(board: RoundBoard, round_: Round, audience: boards.Audience, *, now: datetime) -> boards.Show:
    return boards.what_to_show(
        audience=audience,
        visibility=board.visibility,
        mode=round_.mode,
        closes_at=board_close_at(round_),
        freeze_minutes=board.freeze_minutes,
        now=now,
        published=board.scores_published_at is not None,
        revealing=board.reveal_step is not None,
    )


# --- The edition: combined score, teams, units, prizes ------------------------------------------


def ranked_rounds(edition):
    """The rounds that count: not practice, not drafts, in order."""
    return list(
        Round.objects.filter(edition=edition, is_practice=False)
        .exclude(state=Round.State.DRAFT)
        .select_related("board")
        .order_by("opens_at", "id")
    )


def _weight_of(round_: Round) -> Decimal:
    try:
        return round_.board.weight
    except RoundBoard.DoesNotExist:
        return Decimal(1)


@dataclass(frozen=True, slots=True)
class EditionStanding:
    rounds: tuple[Round, ...]
    standing: Standing


def edition_standing(edition, *, now: datetime) -> EditionStanding:
    """Everyone's combined score: each round's score as a percentage of that round's maximum,
    weighted per round (RoundBoard.weight). Ties share a rank (score only)."""
    rounds = ranked_rounds(edition)
    per_round = {
        round_.pk: {row.registration_id: row for row in round_results(round_, now=now)} for round_ in rounds
    }
    weights = []
    for round_ in rounds:
        top = max((row.max_score for row in per_round[round_.pk].values()), default=ZERO)
        if top > 0:
            weights.append(RoundWeight(round_.pk, _weight_of(round_), top))
    combined: dict[int, ResultRow] = {}
    for round_ in rounds:
        for registration_id, row in per_round[round_.pk].items():
            base = combined.setdefault(registration_id, replace(row, state="not_entered", round_scores={}))
            if row.took_part:
                base.state = "submitted"
                base.round_scores[round_.pk] = row.score
    total_weight = sum((w.weight for w in weights), ZERO)
    for row in combined.values():
        row.score = combined_score(row.round_scores, weights) if weights and total_weight > 0 else ZERO
        row.max_score = Decimal(100)
    rows = sorted(combined.values(), key=lambda row: _name_key(row.name))
    return EditionStanding(tuple(rounds), rank_rows(rows))


def team_standing(standing: Standing, rule: TeamScoreRule) -> Standing:
    """Teams as ranked entries (entry id = team id), for prizes and the teams page."""
    groups: dict[int, list[ResultRow]] = {}
    for row in standing.rows:
        if row.team_id is not None:
            groups.setdefault(row.team_id, []).append(row)
    team_results = []
    for team_id, members in groups.items():
        first = members[0]
        team_results.append(
            replace(
                first,
                registration_id=team_id,
                name=first.team_name,
                score=team_score((m.score for m in members), rule),
                state="submitted",
                time_used=None,
                submitted_at=None,
            )
        )
    team_results.sort(key=lambda row: _name_key(row.name))
    return rank_rows(team_results)


def quotas_from(config: dict) -> list[PrizeQuota]:
    return [PrizeQuota(level, int(config[level.value])) for level in PRIZE_ORDER if config.get(level.value)]


def decisions_for(edition, scope: str) -> list[TieDecision]:
    """The latest decision per level (a newer decision for the same tie replaces the older)."""
    latest = {}
    for decision in PrizeDecision.objects.filter(edition=edition, scope=scope).order_by("decided_at", "id"):
        latest[decision.level] = TieDecision(
            PrizeLevel(decision.level), frozenset(decision.tied), frozenset(decision.awarded)
        )
    return list(latest.values())


def prize_result(standing: Standing, quotas: dict, decisions) -> PrizeResult:
    return assign_prizes(standing.ranking, quotas_from(quotas), decisions=decisions)


def unit_formula(scoring: EditionScoring) -> UnitFormula:
    points = dict(DEFAULT_PRIZE_POINTS)
    for level, value in (scoring.prize_points or {}).items():
        points[PrizeLevel(level)] = Decimal(str(value))
    return UnitFormula(scoring.participation_weight, scoring.prize_weight, points)


def edition_units(edition, standing: Standing, prizes: PrizeResult, scoring: EditionScoring):
    """Units ranked by the formula: participation rate (%) plus prize points."""
    units = {unit.pk: unit for unit in Unit.objects.filter(edition=edition)}
    took_part: dict[int, int] = {}
    unit_of = {}
    for row in standing.everyone:
        unit_of[row.registration_id] = row.unit_id
        took_part[row.unit_id] = took_part.get(row.unit_id, 0) + row.took_part
    prizes_by_unit = count_prizes(prizes.awards, unit_of)
    stats = [
        UnitStats(pk, unit.expected_headcount, took_part.get(pk, 0), prizes_by_unit.get(pk, {}))
        for pk, unit in sorted(units.items(), key=lambda item: item[1].code)
    ]
    return units, rank_units(stats, unit_formula(scoring))
