"""The effective-score rule (pure): which decision wins for a question, and the totals."""

from decimal import Decimal as D

import pytest

from contest.judging_rules import (
    JudgeMark,
    MarkingRule,
    SlotFacts,
    SlotScore,
    Source,
    attempt_totals,
    slot_score,
)


def marks(*totals):
    return tuple(JudgeMark(judge_id=i, total=D(t), order=i, latest=i) for i, t in enumerate(totals))


@pytest.mark.parametrize(
    ("facts", "rule", "expected"),
    [
        (SlotFacts(D(1), answered=True, auto_points=D(1), voided=True), None, (D(0), Source.VOID)),
        (SlotFacts(D(1), answered=True, auto_points=D(0), adjusted=D("0.5")), None, (D("0.5"), Source.ADJUSTED)),
        (SlotFacts(D(1), answered=False), None, (D(0), Source.BLANK)),
        (SlotFacts(D(1), answered=True, auto_points=D(1)), None, (D(1), Source.AUTO)),
        (SlotFacts(D(5), manual=True, answered=True), None, (D(0), Source.PENDING)),
        (SlotFacts(D(5), manual=True, answered=True, marks=marks("2", "3")), None, (D(3), Source.MARKED)),
        (SlotFacts(D(5), manual=True, answered=False, marks=marks("4")), None, (D(4), Source.MARKED)),
        (SlotFacts(D(5), manual=True, answered=True, marks=marks("1")), MarkingRule(mode="double"),
         (D(0), Source.PENDING)),
        (SlotFacts(D(5), manual=True, answered=True, marks=marks("1", "4")), MarkingRule(mode="double"),
         (D(0), Source.NEEDS_THIRD)),
        (SlotFacts(D(5), manual=True, answered=True, marks=marks("3", "4")), MarkingRule(mode="double"),
         (D("3.50"), Source.MARKED)),
        (SlotFacts(D(5), manual=True, answered=True, marks=marks("1", "4", "3")), MarkingRule(mode="double"),
         (D(3), Source.MARKED)),
        (SlotFacts(D(5), manual=True, answered=True, marks=marks("1", "4")), MarkingRule(mode="panel"),
         (D(0), Source.PENDING)),
        (SlotFacts(D(5), manual=True, answered=True, marks=marks("1", "4", "4")), MarkingRule(mode="panel"),
         (D(3), Source.MARKED)),
    ],
)  # fmt: skip
def test_the_first_applicable_decision_sets_the_question_score(facts, rule, expected):
    score = slot_score(facts, rule)
    assert (score.points, score.source) == expected


def test_totals_leave_voided_questions_out_of_the_maximum_and_add_total_adjustments():
    slots = [SlotScore(D(1), Source.AUTO), SlotScore(D(0), Source.VOID, counts_in_max=False),
             SlotScore(D(0), Source.PENDING)]  # fmt: skip
    totals = attempt_totals(slots, [D(1), D(1), D(5)], [D(2), D("-0.5")])
    assert (totals.score, totals.pending_count, totals.max_score) == (D("2.50"), 1, D("6.00"))
