"""What a question and an attempt are worth once the judges have spoken. Pure: no ORM.

One rule for every page and every write, so the sheet a judge reads, the total on the board
and the contestant's published sheet cannot disagree. For each question of an attempt, the
first of these that applies decides:

1. the question is voided in the round: it scores 0 and leaves the maximum;
2. a judge adjusted the question's score: the latest adjustment stands (a later key fix does
   not undo a judge's explicit decision about this answer);
3. a manually marked question (essay, file) that was answered, or that judges marked without
   a written answer (a presentation on stage): the marks, by the rubric's mode —
   ``single`` the latest mark of any judge, ``double`` two judges (a third settles a
   discrepancy above the threshold, :func:`contest.marking.double_mark`), ``panel`` every
   judge's latest mark aggregated once ``panel_size`` judges have marked
   (:func:`contest.marking.panel_score`); until then the answer is pending;
4. an auto-graded answer: its grade, with the round's key fix if there is one;
5. no answer: 0.

An attempt's total is the sum of its questions plus every total adjustment's difference
(new − old): an adjustment of the total is a correction on top of the questions, so it survives
a later mark or regrade of one question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from contest.marking import PanelMethod, SettleMethod, double_mark, panel_score
from contest.team_scores import rounded

ZERO = Decimal(0)


class Source:
    """Why a question scores what it does; shown on the sheet."""

    VOID = "void"
    ADJUSTED = "adjusted"
    MARKED = "marked"
    PENDING = "pending"
    NEEDS_THIRD = "needs_third"
    AUTO = "auto"
    BLANK = "blank"


@dataclass(frozen=True, slots=True)
class MarkingRule:
    mode: str = "single"  # Rubric.Mode
    threshold: Decimal = Decimal(1)
    settle: SettleMethod = SettleMethod.THIRD_DECIDES
    panel_method: PanelMethod = PanelMethod.MEAN
    panel_size: int = 3


@dataclass(frozen=True, slots=True)
class JudgeMark:
    """A judge's latest mark; ``order`` is when the judge first marked this answer."""

    judge_id: int
    total: Decimal
    order: int
    latest: int


@dataclass(frozen=True, slots=True)
class SlotFacts:
    points: Decimal
    manual: bool = False
    answered: bool = False
    auto_points: Decimal | None = None
    voided: bool = False
    adjusted: Decimal | None = None
    marks: tuple[JudgeMark, ...] = ()


@dataclass(frozen=True, slots=True)
class SlotScore:
    points: Decimal
    source: str
    counts_in_max: bool = True
    discrepancy: Decimal | None = None

    @property
    def pending(self) -> bool:
        return self.source in (Source.PENDING, Source.NEEDS_THIRD)


def manual_score(marks: Sequence[JudgeMark], rule: MarkingRule) -> SlotScore:
    """The score of a manually marked answer, or why it is still pending."""
    if not marks:
        return SlotScore(ZERO, Source.PENDING)
    if rule.mode == "panel":
        if len(marks) < rule.panel_size:
            return SlotScore(ZERO, Source.PENDING)
        return SlotScore(panel_score([m.total for m in marks], rule.panel_method), Source.MARKED)
    if rule.mode == "double":
        ordered = sorted(marks, key=lambda m: m.order)
        if len(ordered) < 2:
            return SlotScore(ZERO, Source.PENDING)
        third = max(ordered[2:], key=lambda m: m.latest).total if len(ordered) > 2 else None
        result = double_mark(
            ordered[0].total, ordered[1].total, threshold=rule.threshold, third=third, settle=rule.settle
        )
        if result.score is None:
            return SlotScore(ZERO, Source.NEEDS_THIRD, discrepancy=result.discrepancy)
        return SlotScore(result.score, Source.MARKED, discrepancy=result.discrepancy)
    return SlotScore(rounded(max(marks, key=lambda m: m.latest).total), Source.MARKED)


def slot_score(facts: SlotFacts, rule: MarkingRule | None = None) -> SlotScore:
    """One question's effective score (see the module docstring for the order of rules)."""
    if facts.voided:
        return SlotScore(ZERO, Source.VOID, counts_in_max=False)
    if facts.adjusted is not None:
        return SlotScore(facts.adjusted, Source.ADJUSTED)
    if facts.manual and (facts.answered or facts.marks):
        return manual_score(facts.marks, rule or MarkingRule())
    if not facts.answered:
        return SlotScore(ZERO, Source.BLANK)
    return SlotScore(facts.auto_points or ZERO, Source.AUTO)


@dataclass(frozen=True, slots=True)
class AttemptTotals:
    score: Decimal
    pending_count: int
    max_score: Decimal
    slots: tuple[SlotScore, ...] = field(default=())


def attempt_totals(
    slots: Sequence[SlotScore], points: Sequence[Decimal], total_deltas: Sequence[Decimal] = ()
) -> AttemptTotals:
    """The attempt's effective total, pending count and maximum from its questions' scores."""
    score = sum((s.points for s in slots), ZERO) + sum(total_deltas, ZERO)
    maximum = sum((p for s, p in zip(slots, points, strict=True) if s.counts_in_max), ZERO)
    return AttemptTotals(
        score=rounded(score),
        pending_count=sum(1 for s in slots if s.pending),
        max_score=rounded(maximum),
        slots=tuple(slots),
    )
