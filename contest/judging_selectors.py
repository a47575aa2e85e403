"""Reads of the judging board: effective scores, answer sheets, timelines, the marking queue.

:func:`scoring_state` is the one place that gathers what :mod:`contest.judging_rules` needs for
a set of attempts (a fixed number of queries whatever their number); the services write its
totals to the attempts and the pages show its per-question detail, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from contest import judging_rules as rules
from contest import live_scoring, marking
from contest.marking import PanelMethod, SettleMethod
from contest.models import (
    AnswerRevision,
    Appeal,
    Attempt,
    AttemptEvent,
    KeyFix,
    Mark,
    Round,
    RoundJudging,
    Rubric,
    ScoreAdjustment,
    SignOff,
    Team,
)
from contest.services.answers import ANSWER_REFUSALS
from contest.vietnamese import name_sort_key
from quizzes import papers, question_types

CENT = Decimal("0.01")


def get_judging(round_: Round) -> RoundJudging:
    """The round's judging settings (defaults when nobody has set them yet; not saved)."""
    try:
        return RoundJudging.objects.get(round=round_)
    except RoundJudging.DoesNotExist:
        return RoundJudging(round=round_)


def latest_key_fixes(round_id: int) -> dict[int, KeyFix]:
    """version id -> the key fix in force (a ``restore`` is kept: it means "the original key")."""
    fixes: dict[int, KeyFix] = {}
    for fix in KeyFix.objects.filter(round_id=round_id).order_by("created_at", "id"):
        fixes[fix.version_id] = fix
    return fixes


def effective_definition(definition: dict, fix: KeyFix | None) -> dict:
    if fix is not None and fix.kind in (KeyFix.Kind.CORRECT, KeyFix.Kind.ACCEPT):
        return fix.definition
    return definition


def rubric_criteria(round_: Round, slot: dict) -> list[marking.Criterion]:
    """The question's criteria; without a rubric, one criterion worth the question's points."""
    rubric = Rubric.objects.filter(round=round_, question_id=slot["question_id"]).first()
    if rubric is None or not rubric.criteria:
        return [marking.Criterion("total", _("Điểm"), Decimal(slot["points"]))]
    return [marking.Criterion(c["id"], c["label"], Decimal(c["max"])) for c in rubric.criteria]


def marking_rule(judging: RoundJudging, rubric: Rubric | None) -> rules.MarkingRule:
    return rules.MarkingRule(
        mode=rubric.mode if rubric else Rubric.Mode.SINGLE,
        threshold=judging.discrepancy_threshold,
        settle=SettleMethod(judging.settle_method),
        panel_method=PanelMethod(judging.panel_method),
        panel_size=rubric.panel_size if rubric else 3,
    )


@dataclass
class SlotState:
    """Everything about one question of one attempt."""

    slot: dict
    qtype: str
    stem_html: str
    definition: dict  # the effective definition (key fix applied)
    original_definition: dict
    fix: KeyFix | None
    revision: AnswerRevision | None
    marks: list[Mark]
    adjustments: list[ScoreAdjustment]
    score: rules.SlotScore
    rule: rules.MarkingRule


@dataclass
class AttemptState:
    attempt: Attempt
    slots: list[SlotState]
    totals: rules.AttemptTotals
    total_adjustments: list[ScoreAdjustment] = field(default_factory=list)


REGRADING_FIXES = (KeyFix.Kind.CORRECT, KeyFix.Kind.ACCEPT)


def _effective_fraction(qtype, definition, revision, fix) -> float | None:
    """The answer's fraction under the key in force (``definition``, with ``fix`` applied):
    a correcting or accepting key fix grades the stored response again."""
    if fix is None or fix.kind not in REGRADING_FIXES:
        return revision.fraction
    return question_types.grade(qtype, definition, revision.response).fraction


def _auto_points(qtype, definition, slot, revision, fix) -> Decimal | None:
    if revision is None:
        return None
    if fix is None or fix.kind not in REGRADING_FIXES:
        return revision.points
    fraction = _effective_fraction(qtype, definition, revision, fix)
    if fraction is None:
        return None
    return (Decimal(str(fraction)) * Decimal(slot["points"])).quantize(CENT, rounding=ROUND_HALF_UP)


def _live_points(attempt, round_, versions, latest, fixes) -> list[Decimal | None]:
    """A live attempt's points per question: each answer's effective fraction (a key fix
    regrades it) with the speed it kept, the streaks recounted in paper order."""
    questions = []
    for slot in attempt.paper.get("slots", []):
        qtype, _stem, definition = versions[slot["version_id"]]
        fix = fixes[attempt.round_id].get(slot["version_id"])
        revision = latest.get((attempt.pk, slot["slot"]))
        if revision is None:
            questions.append(live_scoring.Answered(voided=fix is not None and fix.kind == KeyFix.Kind.VOID))
            continue
        questions.append(
            live_scoring.Answered(
                fraction=_effective_fraction(qtype, effective_definition(definition, fix), revision, fix),
                speed=revision.speed_factor or Decimal(1),
                voided=fix is not None and fix.kind == KeyFix.Kind.VOID,
            )
        )
    points = [Decimal(slot["points"]) for slot in attempt.paper.get("slots", [])]
    return live_scoring.regraded_points(questions, points, streak_bonus=round_.live_streak_bonus)


def _judge_marks(marks: list[Mark]) -> tuple[rules.JudgeMark, ...]:
    first: dict[int, int] = {}
    latest: dict[int, tuple[int, Mark]] = {}
    for index, mark in enumerate(marks):
        first.setdefault(mark.judge_id, index)
        latest[mark.judge_id] = (index, mark)
    return tuple(
        rules.JudgeMark(judge_id, mark.total, first[judge_id], index)
        for judge_id, (index, mark) in latest.items()
    )


def scoring_state(attempts: list[Attempt]) -> dict[int, AttemptState]:
    """Each attempt's per-question state and effective totals. Attempts of one or more rounds."""
    ids = [attempt.pk for attempt in attempts]
    round_ids = {attempt.round_id for attempt in attempts}
    versions = papers.load_definitions({"slots": [s for a in attempts for s in a.paper.get("slots", [])]})
    latest: dict[tuple[int, int], AnswerRevision] = {}
    for revision in AnswerRevision.objects.filter(attempt_id__in=ids).order_by("revision"):
        latest[(revision.attempt_id, revision.slot)] = revision
    marks: dict[tuple[int, int], list[Mark]] = {}
    for mark in Mark.objects.filter(attempt_id__in=ids).select_related("judge").order_by("created_at", "id"):
        marks.setdefault((mark.attempt_id, mark.slot), []).append(mark)
    adjustments: dict[tuple[int, int | None], list[ScoreAdjustment]] = {}
    for adjustment in ScoreAdjustment.objects.filter(attempt_id__in=ids).order_by("created_at", "id"):
        adjustments.setdefault((adjustment.attempt_id, adjustment.slot), []).append(adjustment)
    fixes = {round_id: latest_key_fixes(round_id) for round_id in round_ids}
    live_rounds = {
        r.pk: r
        for r in Round.objects.filter(pk__in=round_ids, mode=Round.Mode.LIVE).only("live_streak_bonus")
    }
    rubrics = {(r.round_id, r.question_id): r for r in Rubric.objects.filter(round_id__in=round_ids)}
    judgings = {j.round_id: j for j in RoundJudging.objects.filter(round_id__in=round_ids)}

    states: dict[int, AttemptState] = {}
    for attempt in attempts:
        judging = judgings.get(attempt.round_id) or RoundJudging(round_id=attempt.round_id)
        live_round = live_rounds.get(attempt.round_id)
        live_points = _live_points(attempt, live_round, versions, latest, fixes) if live_round else None
        slot_states = []
        for slot in attempt.paper.get("slots", []):
            qtype, stem_html, definition = versions[slot["version_id"]]
            fix = fixes[attempt.round_id].get(slot["version_id"])
            effective = effective_definition(definition, fix)
            revision = latest.get((attempt.pk, slot["slot"]))
            slot_marks = marks.get((attempt.pk, slot["slot"]), [])
            slot_adjustments = adjustments.get((attempt.pk, slot["slot"]), [])
            rule = marking_rule(judging, rubrics.get((attempt.round_id, slot["question_id"])))
            facts = rules.SlotFacts(
                points=Decimal(slot["points"]),
                manual=question_types.is_manual(qtype),
                answered=revision is not None,
                auto_points=(
                    live_points[slot["slot"]]
                    if live_points is not None
                    else _auto_points(qtype, effective, slot, revision, fix)
                ),
                voided=fix is not None and fix.kind == KeyFix.Kind.VOID,
                adjusted=slot_adjustments[-1].new_points if slot_adjustments else None,
                marks=_judge_marks(slot_marks),
            )
            slot_states.append(
                SlotState(
                    slot=slot,
                    qtype=qtype,
                    stem_html=stem_html,
                    definition=effective,
                    original_definition=definition,
                    fix=fix,
                    revision=revision,
                    marks=slot_marks,
                    adjustments=slot_adjustments,
                    score=rules.slot_score(facts, rule),
                    rule=rule,
                )
            )
        total_adjustments = adjustments.get((attempt.pk, None), [])
        worth = [Decimal(s.slot["points"]) for s in slot_states]
        if live_round is not None:
            worth = live_scoring.attainable_points(
                worth,
                streak_bonus=live_round.live_streak_bonus,
                voided=[s.score.source == rules.Source.VOID for s in slot_states],
            )
        totals = rules.attempt_totals(
            [s.score for s in slot_states], worth, [a.new_points - a.old_points for a in total_adjustments]
        )
        states[attempt.pk] = AttemptState(attempt, slot_states, totals, total_adjustments)
    return states


def round_versions(round_: Round) -> dict[int, dict]:
    """version id -> {question_id, qtype, stem_html, definition} for every question handed out."""
    slots = {}
    for paper in Attempt.objects.filter(round=round_).values_list("paper", flat=True):
        for slot in paper.get("slots", []):
            slots.setdefault(slot["version_id"], slot)
    loaded = papers.load_definitions({"slots": list(slots.values())})
    return {
        version_id: {
            "question_id": slot["question_id"],
            "qtype": loaded[version_id][0],
            "stem_html": loaded[version_id][1],
            "definition": loaded[version_id][2],
        }
        for version_id, slot in slots.items()
    }


# --- Pages ------------------------------------------------------------------------------------


def judged_attempts(round_: Round) -> list[Attempt]:
    """The round's attempts that judges work on (entered), contestants in Vietnamese name order."""
    attempts = (
        Attempt.objects.filter(round=round_)
        .exclude(state=Attempt.State.READY)
        .select_related("registration__person", "registration__unit")
    )
    return sorted(attempts, key=lambda a: (name_sort_key(a.registration.person.full_name), a.number))


def evidence_counts(round_: Round) -> dict[int, dict[str, int]]:
    """attempt id -> {kind: count} of the events judges look at (focus losses, device switches)."""
    counts: dict[int, dict[str, int]] = {}
    kinds = [AttemptEvent.Kind.FOCUS_LOST, AttemptEvent.Kind.DEVICE_SWITCH, AttemptEvent.Kind.REFUSED]
    for attempt_id, kind in AttemptEvent.objects.filter(round=round_, kind__in=kinds).values_list(
        "attempt_id", "kind"
    ):
        counts.setdefault(attempt_id, {}).setdefault(kind, 0)
        counts[attempt_id][kind] += 1
    return counts


def timeline(attempt: Attempt) -> list[dict]:
    """Every answer revision and every event of the attempt, by server time (evidence only)."""
    items = [
        {"at": r.received_at, "kind": "answer", "slot": r.slot, "revision": r.revision, "response": r.response,
         "device": r.device_id, "points": r.points}
        for r in AnswerRevision.objects.filter(attempt=attempt)
    ]  # fmt: skip
    events = AttemptEvent.objects.filter(round_id=attempt.round_id, registration_id=attempt.registration_id)
    reasons = {**dict(Attempt.SubmitReason.choices), **{k: str(v) for k, v in ANSWER_REFUSALS.items()}}
    items += [
        {"at": e.at, "kind": e.kind, "label": e.get_kind_display(), "reason": reasons.get(e.reason, e.reason),
         "detail": e.detail,
         "device": e.device_id}
        for e in events
    ]  # fmt: skip
    return sorted(items, key=lambda item: item["at"])


def marking_queue(round_: Round) -> list[dict]:
    """Answered manual questions still waiting for a mark (or for a third judge), name order."""
    attempts = judged_attempts(round_)
    states = scoring_state(attempts)
    queue = []
    for attempt in attempts:
        for slot_state in states[attempt.pk].slots:
            if question_types.is_manual(slot_state.qtype) and slot_state.revision is not None:
                queue.append(
                    {
                        "attempt": attempt,
                        "state": slot_state,
                        "pending": slot_state.score.pending,
                        "mode_label": Rubric.Mode(slot_state.rule.mode).label,
                    }
                )
    return sorted(queue, key=lambda item: not item["pending"])


def published_rounds_for(registration) -> list[Round]:
    """Rounds whose results are published and in which the contestant submitted an attempt."""
    return list(
        Round.objects.filter(
            attempts__registration=registration,
            attempts__state=Attempt.State.SUBMITTED,
            board__scores_published_at__isnull=False,
        ).distinct()
    )


def sign_offs(round_: Round) -> list[SignOff]:
    return list(SignOff.objects.filter(round=round_).select_related("judge"))


def appeals_of_round(round_: Round) -> list[Appeal]:
    return list(
        Appeal.objects.filter(attempt__round=round_)
        .select_related("registration__person", "decided_by")
        .prefetch_related("recommendations__judge")
    )


def manual_questions(round_: Round) -> list[dict]:
    """The round's manually marked questions (by question id) with their rubric, if any."""
    attempts = Attempt.objects.filter(round=round_).only("paper")
    seen: dict[int, dict] = {}
    for attempt in attempts:
        for slot in attempt.paper.get("slots", []):
            if question_types.is_manual(slot["qtype"]) and slot["question_id"] not in seen:
                seen[slot["question_id"]] = {"question_id": slot["question_id"], "slot": slot}
    versions = papers.load_definitions({"slots": [item["slot"] for item in seen.values()]})
    rubrics = {r.question_id: r for r in Rubric.objects.filter(round=round_)}
    for item in seen.values():
        item["stem_html"] = versions[item["slot"]["version_id"]][1]
        item["rubric"] = rubrics.get(item["question_id"])
        item["criteria"] = rubric_criteria(round_, item["slot"])
    return list(seen.values())


def round_teams(round_: Round) -> list[Team]:
    """Teams with at least one member who took part in the round (for team panel marks)."""
    return list(Team.objects.filter(members__attempts__round=round_).distinct().order_by("name"))
