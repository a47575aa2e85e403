"""Classical item analysis for the judging board: how hard each question was, whether it told
strong contestants from weak ones, and which options were chosen. Pure: no ORM.

For each question, only the contestants who were given it count (papers may draw questions at
random), and the caller passes a response for every one of them, a blank one included (empty
``choice``, ``fraction`` 0): a question skipped by the weak half is part of what it measures.

- facility: the mean fraction of the marks obtained, in per cent, and the share fully correct;
- discrimination: mean fraction in the upper group minus the lower group, the groups being the
  top and bottom 27 % by total score (Kelley's classic split; 27 % balances group size against
  how far apart the groups are). Values run from -1 to 1; negative means weak contestants did
  better than strong ones, which usually means a wrong key or an ambiguous question;
- option frequencies overall and in each group, and the blank count.

Two flags point the judges at possible key errors: a distractor chosen in the upper group more
often than every key option, and negative discrimination.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

GROUP_SHARE = Decimal("0.27")
_CENT = Decimal("0.01")


class ItemFlag(StrEnum):
    DISTRACTOR_BEATS_KEY = "distractor_beats_key"
    NEGATIVE_DISCRIMINATION = "negative_discrimination"

    @property
    def label(self) -> str:
        return {
            ItemFlag.DISTRACTOR_BEATS_KEY: _(
                "Nhóm giỏi chọn một phương án nhiễu nhiều hơn đáp án: kiểm tra lại đáp án."
            ),
            ItemFlag.NEGATIVE_DISCRIMINATION: _(
                "Độ phân biệt âm: nhóm yếu làm tốt hơn nhóm giỏi, kiểm tra lại đáp án."
            ),
        }[self]


@dataclass(frozen=True, slots=True)
class ItemKey:
    """A question's options in display order and its key. Non-choice questions have no options."""

    question_id: Hashable
    options: tuple[str, ...] = ()
    key: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ItemResponse:
    """One contestant's answer to one question: options chosen and the fraction of marks (0–1)."""

    contestant_id: Hashable
    question_id: Hashable
    fraction: Decimal
    choice: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class OptionCount:
    option: str
    is_key: bool
    overall: int
    upper: int
    lower: int


@dataclass(frozen=True, slots=True)
class ItemStats:
    question_id: Hashable
    responses: int
    facility: Decimal | None  # mean fraction, per cent
    correct_rate: Decimal | None  # fully correct, per cent
    discrimination: Decimal | None  # None when there are too few responses for two groups
    group_size: int
    options: tuple[OptionCount, ...]
    blank: OptionCount
    flags: frozenset[ItemFlag]


def _percent(part: Decimal, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * 100 / whole).quantize(_CENT, rounding=ROUND_HALF_UP)


def group_size(responses: int) -> int:
    """27 % of the responses, rounded half up, at least 1 once two groups can exist at all,
    and never more than half, so the groups cannot overlap."""
    if responses < 2:
        return 0
    size = int((GROUP_SHARE * responses).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return max(1, min(size, responses // 2))


def _mean(responses: Sequence[ItemResponse]) -> Decimal:
    return sum((r.fraction for r in responses), Decimal(0)) / len(responses)


def _analyse(key: ItemKey, responses: list[ItemResponse], totals: Mapping[Hashable, Decimal]) -> ItemStats:
    # Strongest first; equal totals in a fixed order (by id text) so the split is reproducible.
    responses.sort(key=lambda r: (-totals[r.contestant_id], str(r.contestant_id)))
    count = len(responses)
    size = group_size(count)
    upper, lower = responses[:size], responses[count - size :] if size else []

    def tally(option: str | None) -> OptionCount:
        def chose(r: ItemResponse) -> bool:
            return (not r.choice) if option is None else option in r.choice

        return OptionCount(
            option=option or "",
            is_key=option in key.key,
            overall=sum(map(chose, responses)),
            upper=sum(map(chose, upper)),
            lower=sum(map(chose, lower)),
        )

    options = tuple(tally(option) for option in key.options)
    discrimination = None
    if size:
        discrimination = (_mean(upper) - _mean(lower)).quantize(_CENT, rounding=ROUND_HALF_UP)

    flags = set()
    if discrimination is not None and discrimination < 0:
        flags.add(ItemFlag.NEGATIVE_DISCRIMINATION)
    keyed = [o.upper for o in options if o.is_key]
    distractors = [o.upper for o in options if not o.is_key]
    if keyed and distractors and max(distractors) > max(keyed):
        flags.add(ItemFlag.DISTRACTOR_BEATS_KEY)

    return ItemStats(
        question_id=key.question_id,
        responses=count,
        facility=_percent(sum((r.fraction for r in responses), Decimal(0)), count),
        correct_rate=_percent(sum(1 for r in responses if r.fraction >= 1), count),
        discrimination=discrimination,
        group_size=size,
        options=options,
        blank=tally(None),
        flags=frozenset(flags),
    )


def analyse_items(
    keys: Sequence[ItemKey],
    responses: Iterable[ItemResponse],
    totals: Mapping[Hashable, Decimal],
) -> tuple[ItemStats, ...]:
    """Statistics for each question of ``keys``, in that order.

    ``totals`` maps each contestant to their total score for the round; it decides the groups.
    """
    by_question: dict[Hashable, list[ItemResponse]] = {key.question_id: [] for key in keys}
    for response in responses:
        by_question[response.question_id].append(response)
    return tuple(_analyse(key, by_question[key.question_id], totals) for key in keys)
