"""Gather an edition's results from the database for the exporters. Reads only.

Ranks, scores, teams, units and prizes come from ``contest.scoring_selectors`` (the same
functions the ranking and prize pages use), so an export can never disagree with the pages.
Everything runs a fixed number of queries per round whatever the number of contestants (a
query-count test pins it). Practice rounds are never exported (``ranked_rounds`` skips them).

The per-question breakdown and the item analysis read each counting attempt's paper snapshot
(which question versions it was given) and its latest answer revision per slot: the stored
answers are the truth, and the snapshot is what the contestant actually saw.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from contest import scoring_selectors as scores
from contest.exporters import answers
from contest.exporters.results import (
    ContestantResult,
    EditionInfo,
    ResultsData,
    RoundInfo,
    RoundResult,
    TeamResult,
    UnitResult,
    item_analysis_table,
    results_tables,
)
from contest.exporters.tables import Column, Kind, QuestionCell, Table, breakdown_table
from contest.item_analysis import analyse_items
from contest.judging_selectors import scoring_state
from contest.models import AnswerRevision, Attempt, KeyFix, Mark, Round, ScoreAdjustment, Team, Unit
from contest.prizes import PrizeResult, assign_prizes
from contest.vietnamese import name_sort_key
from quizzes.models import PaperItem, QuestionVersion


@dataclass(frozen=True, slots=True)
class RoundDetail:
    """A round's per-question tables: contestant × question, and the item analysis."""

    round: Round
    breakdown: Table
    item_analysis: Table


@dataclass(frozen=True, slots=True)
class Collected:
    data: ResultsData
    details: tuple[RoundDetail, ...]
    # Prize boundary ties still waiting for the organisers' decision ("individual", "team"):
    # until they are decided the prizes are incomplete and nothing official may be printed.
    pending_ties: tuple[str, ...] = ()

    def tables(self) -> list[Table]:
        """Every table of the workbook: rankings first, then each round's detail sheets."""
        tables = results_tables(self.data)
        for detail in self.details:
            tables += [detail.breakdown, detail.item_analysis]
        return tables


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _seconds(value) -> int | None:
    return None if value is None else int(value)


def _round_info(round_: Round) -> RoundInfo:
    board = scores.get_board(round_)
    return RoundInfo(
        slug=round_.slug,
        name=round_.name,
        max_score=Decimal(0),
        weight=Decimal(str(board.weight)),
        tie_break=tuple(board.tie_break_chain),
    )


def _round_results(round_: Round, standing: scores.Standing) -> dict[int, RoundResult]:
    return {
        row.registration_id: RoundResult(
            round_slug=round_.slug,
            score=row.score,
            rank=ranked.rank,
            time_used_seconds=_seconds(row.time_used),
            submitted_at=row.submitted_at,
            guess=_decimal(ranked.entry.guess),
        )
        for row, ranked in zip(standing.rows, standing.ranking.rows, strict=True)
    }


def _units(edition, standing, prizes: PrizeResult, scoring) -> tuple[UnitResult, ...]:
    units, ranking = scores.edition_units(edition, standing, prizes, scoring)
    clusters = dict(Unit.objects.filter(edition=edition).values_list("pk", "cluster__name"))
    took_part: dict[int, int] = {}
    for row in standing.everyone:
        took_part[row.unit_id] = took_part.get(row.unit_id, 0) + row.took_part
    ranks = {ranked.entry_id: ranked.rank for ranked in ranking.ranking.rows}
    return tuple(
        UnitResult(
            code=unit.code,
            name=unit.name,
            cluster=clusters.get(pk),
            expected_headcount=unit.expected_headcount,
            took_part=took_part.get(pk, 0),
            participation_rate=ranking.scores[pk].participation_rate,
            prize_points=ranking.scores[pk].prize_points,
            score=ranking.scores[pk].total,
            rank=ranks.get(pk),
        )
        for pk, unit in units.items()
    )


def _teams(edition, standing, team_standing, team_prizes: PrizeResult) -> tuple[TeamResult, ...]:
    members: dict[int, list[str]] = {}
    for row in standing.everyone:
        if row.team_id is not None:
            members.setdefault(row.team_id, []).append(row.code)
    ranked = {
        row.registration_id: (row.score, entry.rank)
        for row, entry in zip(team_standing.rows, team_standing.ranking.rows, strict=True)
    }
    return tuple(
        TeamResult(
            code=code,
            name=name,
            unit_code=unit_code,
            member_codes=tuple(members.get(pk, ())),
            score=ranked.get(pk, (None, None))[0],
            rank=ranked.get(pk, (None, None))[1],
            prize=team_prizes.level_of(pk),
        )
        for pk, code, name, unit_code in Team.objects.filter(edition=edition)
        .order_by("code")
        .values_list("pk", "code", "name", "unit__code")
    )


def collect(edition, *, now: datetime, round_: Round | None = None, details: bool = True) -> Collected:
    """The edition's results (or one round's) with, optionally, each round's detail tables.

    For the whole edition, a contestant's score is the combined weighted score and prizes are
    the edition's; for one round, the score and rank are the round's and there are no prizes
    (prizes are awarded on the edition's combined ranking).
    """
    scoring = scores.get_edition_scoring(edition)
    rounds = [round_] if round_ is not None else scores.ranked_rounds(edition)
    standings = {r.pk: scores.round_standing(r, now=now) for r in rounds}
    if round_ is None:
        overall = scores.edition_standing(edition, now=now).standing
        individual = scores.prize_result(
            overall, scoring.individual_quotas, scores.decisions_for(edition, "individual")
        )
    else:
        overall = standings[round_.pk]
        individual = assign_prizes(overall.ranking, [])
    team_standing = scores.team_standing(overall, scores.team_rule(scoring))
    team_prizes = (
        scores.prize_result(team_standing, scoring.team_quotas, scores.decisions_for(edition, "team"))
        if round_ is None
        else assign_prizes(team_standing.ranking, [])
    )
    per_round = {r.pk: _round_results(r, standings[r.pk]) for r in rounds}
    overall_rank = {
        row.registration_id: entry.rank for row, entry in zip(overall.rows, overall.ranking.rows, strict=True)
    }
    teams = dict(Team.objects.filter(edition=edition).values_list("pk", "code"))
    contestants = tuple(
        ContestantResult(
            code=row.code,
            full_name=row.name,
            unit_code=row.unit_code,
            team_code=teams.get(row.team_id),
            rounds=tuple(
                per_round[r.pk][row.registration_id] for r in rounds if row.registration_id in per_round[r.pk]
            ),
            score=row.score if row.took_part else None,
            rank=overall_rank.get(row.registration_id),
            prize=individual.level_of(row.registration_id),
        )
        for row in overall.everyone
    )
    round_infos = tuple(
        replace(
            _round_info(r),
            max_score=max((row.max_score for row in standings[r.pk].everyone), default=Decimal(0)),
        )
        for r in rounds
    )
    data = ResultsData(
        edition=EditionInfo(
            slug=edition.slug,
            name=edition.name,
            organiser=edition.organiser_name,
            starts_on=edition.starts_on,
            ends_on=edition.ends_on,
        ),
        rounds=round_infos,
        units=_units(edition, overall, individual, scoring),
        teams=_teams(edition, overall, team_standing, team_prizes),
        contestants=contestants,
    )
    data.check()
    detail = ()
    if details:
        detail = tuple(
            round_detail(r, standings[r.pk], index=index) for index, r in enumerate(rounds, start=1)
        )
    pending = tuple(
        scope
        for scope, result in (("individual", individual), ("team", team_prizes))
        if result.needs_decision is not None
    )
    return Collected(data, detail, pending)


# --- Per question ------------------------------------------------------------------------------


def _question_order(round_: Round, question_ids: set[int]) -> list[int]:
    """The fixed paper's order when there is one, then any other question (a blueprint's draw)
    by id: every contestant's row has the same columns whatever order they saw."""
    positions = {}
    if round_.paper_id is not None:
        positions = dict(
            PaperItem.objects.filter(paper_id=round_.paper_id).values_list("question_id", "position")
        )
    return sorted(question_ids, key=lambda qid: (positions.get(qid, float("inf")), qid))


@functools.lru_cache(maxsize=4096)
def _decoded(raw: str | None):
    """A stored response from its JSON text. Shared between rows: read, never changed."""
    return None if raw is None else json.loads(raw)


def _judged_points(round_: Round, attempt_ids: list[int]) -> dict[tuple[int, int], tuple]:
    """(attempt, slot) -> (points, fully correct) where the judges' work decides the score:
    marks of manual questions, adjustments, key fixes. Read through the judging selectors (the
    same effective scores Attempt.score holds); only for rounds that have any such work, since
    it loads whole rows: a round without judging keeps the fast path."""
    if not (
        Mark.objects.filter(attempt__round=round_).exists()
        or ScoreAdjustment.objects.filter(attempt__round=round_).exists()
        or KeyFix.objects.filter(round=round_).exists()
    ):
        return {}
    states = scoring_state(list(Attempt.objects.filter(pk__in=attempt_ids)))
    judged = {}
    for attempt_id, state in states.items():
        for slot in state.slots:
            score = slot.score
            points = None if score.pending else score.points
            correct = None if points is None else points >= Decimal(slot.slot["points"])
            judged[(attempt_id, slot.slot["slot"])] = (points, correct)
    return judged


def round_detail(round_: Round, standing: scores.Standing, *, index: int) -> RoundDetail:
    """Contestant × question for the counting attempts, and the item analysis. Seven queries
    (more when judges marked, adjusted or fixed keys in the round)."""
    rows = sorted(standing.rows, key=lambda row: name_sort_key(row.name))
    attempt_of = {row.attempt_id: row for row in rows}
    papers = dict(Attempt.objects.filter(pk__in=attempt_of).values_list("pk", "paper"))
    latest: dict[tuple[int, int], tuple] = {}
    # The response as its JSON text, decoded only for the latest revision and once per distinct
    # text: 80,000 answers to choice questions are a handful of different texts.
    revisions = (
        AnswerRevision.objects.filter(attempt_id__in=attempt_of)
        .annotate(raw=Cast("response", output_field=TextField()))
        .order_by("attempt_id", "slot", "revision")
        .values_list("attempt_id", "slot", "raw", "fraction", "points")
    )
    for attempt_id, slot, raw, fraction, points in revisions.iterator(chunk_size=5000):
        latest[(attempt_id, slot)] = (raw, fraction, points)
    judged = _judged_points(round_, list(attempt_of))
    given: dict[int, dict[int, tuple[int, int]]] = {}  # attempt -> question -> (slot, version)
    for attempt_id, paper in papers.items():
        given[attempt_id] = {
            slot["question_id"]: (position, slot["version_id"])
            for position, slot in enumerate((paper or {}).get("slots", []))
        }
    version_ids = {version for slots in given.values() for _slot, version in slots.values()}
    versions = {
        pk: (qtype, name, answers.QuestionReader(qid, qtype, definition))
        for pk, qid, qtype, definition, name in QuestionVersion.objects.filter(
            pk__in=version_ids
        ).values_list("pk", "question_id", "qtype", "definition", "name")
    }
    question_ids = {
        qid
        for slots in given.values()
        for qid, (_slot, version) in slots.items()
        if versions[version][0] != "description"
    }
    order = _question_order(round_, question_ids)
    labels = {qid: _("Câu %(n)d") % {"n": n} for n, qid in enumerate(order, start=1)}
    question_names = {}
    keys = {}
    item_responses = []
    table_rows = []
    blank = QuestionCell(None, None, None)
    for row in rows:
        cells = []
        slots_of = given[row.attempt_id]
        for qid in order:
            if qid not in slots_of:
                cells.append(blank)
                continue
            slot, version = slots_of[qid]
            _qtype, name, reader = versions[version]
            if qid not in keys:
                question_names[qid], keys[qid] = name, reader.key
            raw, fraction, points = latest.get((row.attempt_id, slot), (None, None, None))
            response = _decoded(raw)
            correct = answers.is_correct(fraction) if response else None
            if (row.attempt_id, slot) in judged:
                points, correct = judged[(row.attempt_id, slot)]
            cells.append(QuestionCell(reader.text(response), correct, points))
            item_responses.append(reader.item_response(row.registration_id, response, fraction))
        table_rows.append(([row.code, row.name, row.unit_name, row.score], cells))
    breakdown = breakdown_table(
        name=f"chi-tiet-vong-{index}",
        title=_("Chi tiết %(round)s") % {"round": round_.name},
        lead_columns=(
            Column(_("Số báo danh")),
            Column(_("Họ và tên")),
            Column(_("Đơn vị")),
            Column(_("Tổng điểm"), Kind.DECIMAL),
        ),
        question_labels=[labels[qid] for qid in order],
        rows=table_rows,
    )
    stats = analyse_items(
        [keys[qid] for qid in order if qid in keys],
        item_responses,
        {row.registration_id: row.score for row in rows},
    )
    analysis = item_analysis_table(
        stats, question_labels={qid: f"{labels[qid]}: {question_names[qid]}" for qid in keys}
    )
    analysis = replace(
        analysis,
        name=f"phan-tich-vong-{index}",
        title=_("Phân tích %(round)s") % {"round": round_.name},
    )
    return RoundDetail(round_, breakdown, analysis)
