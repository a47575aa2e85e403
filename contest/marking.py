"""Manual marking rules for the judging board: rubrics, double marking and panel scores. Pure.

- A rubric mark is the sum of its criteria's points, each between 0 and the criterion's maximum;
  every criterion must be marked, so a forgotten line cannot pass as a zero.
- Double marking: two judges mark independently; if their totals differ by more than the
  round's threshold the answer is flagged and a third judge settles it, either by their own
  mark (``THIRD_DECIDES``) or by averaging the third mark with the closer of the first two
  (``MEAN_WITH_CLOSEST``); within the threshold the mean of the two stands.
- Panel scoring (a presentation judged by several judges): mean, median, or the mean after
  dropping the highest and the lowest mark, which blunts one over-generous or over-harsh judge.

Results are rounded to 0.01, half up, like every computed score (see contest.team_scores).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from statistics import median

from django.utils.translation import gettext as _

from contest.team_scores import rounded


class PanelMethod(StrEnum):
    """Stored per round; never rename the values."""

    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED_MEAN = "trimmed_mean"


class SettleMethod(StrEnum):
    THIRD_DECIDES = "third_decides"
    MEAN_WITH_CLOSEST = "mean_with_closest"


@dataclass(frozen=True, slots=True)
class Criterion:
    criterion_id: Hashable
    label: str
    max_points: Decimal


def rubric_total(criteria: Sequence[Criterion], awarded: Mapping[Hashable, Decimal]) -> Decimal:
    """The mark for one answer from its criteria; a clear error for a missing or out-of-range line."""
    known = {criterion.criterion_id for criterion in criteria}
    if unknown := [key for key in awarded if key not in known]:
        raise ValueError(
            _("Tiêu chí không có trong thang điểm: %(ids)s.") % {"ids": ", ".join(map(str, unknown))}
        )
    total = Decimal(0)
    for criterion in criteria:
        if criterion.criterion_id not in awarded:
            raise ValueError(_("Chưa chấm tiêu chí “%(label)s”.") % {"label": criterion.label})
        points = awarded[criterion.criterion_id]
        if not Decimal(0) <= points <= criterion.max_points:
            raise ValueError(
                _("Tiêu chí “%(label)s”: điểm %(points)s nằm ngoài khoảng 0–%(max)s.")
                % {"label": criterion.label, "points": points, "max": criterion.max_points}
            )
        total += points
    return rounded(total)


@dataclass(frozen=True, slots=True)
class DoubleMark:
    """Where a doubly marked answer stands. ``score`` is None while a third mark is needed."""

    discrepancy: Decimal
    needs_third: bool
    score: Decimal | None


def double_mark(
    first: Decimal,
    second: Decimal,
    *,
    threshold: Decimal,
    third: Decimal | None = None,
    settle: SettleMethod = SettleMethod.THIRD_DECIDES,
) -> DoubleMark:
    """The agreed score of two independent marks, or the flag that a third judge must settle it."""
    discrepancy = abs(first - second)
    if discrepancy <= threshold:
        return DoubleMark(discrepancy, needs_third=False, score=rounded((first + second) / 2))
    if third is None:
        return DoubleMark(discrepancy, needs_third=True, score=None)
    if settle is SettleMethod.THIRD_DECIDES:
        return DoubleMark(discrepancy, needs_third=True, score=rounded(third))
    # The closer of the first two; on an exact tie the lower one, so a tie never inflates the mark.
    closest = min((first, second), key=lambda mark: (abs(mark - third), mark))
    return DoubleMark(discrepancy, needs_third=True, score=rounded((closest + third) / 2))


def panel_score(marks: Sequence[Decimal], method: PanelMethod) -> Decimal:
    """One score from several judges' marks."""
    if not marks:
        raise ValueError(_("Chưa có giám khảo nào chấm."))
    if method is PanelMethod.MEDIAN:
        return rounded(Decimal(median(marks)))
    ordered = sorted(marks)
    if method is PanelMethod.TRIMMED_MEAN:
        if len(ordered) < 3:
            raise ValueError(_("Bỏ điểm cao nhất và thấp nhất cần ít nhất 3 giám khảo."))
        ordered = ordered[1:-1]
    return rounded(sum(ordered, Decimal(0)) / len(ordered))
