"""Team and unit scores, the combined edition score, and who advances. Pure: no ORM.

Every computed score is rounded once, to two decimal places (half up), because that is what the
pages, exports and certificates show: ranking on the shown value means two teams displayed
with the same score really are tied, and nobody has to explain an invisible third decimal.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType

from django.utils.translation import gettext as _

from contest.prizes import PrizeLevel
from contest.ranking import RankEntry, Ranking, TieBreak, rank_entries

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# -- Teams ------------------------------------------------------------------------------------


class TeamMethod(StrEnum):
    """How a team's score comes from its members'. Values are stored; never rename them."""

    SUM = "sum"
    MEAN = "mean"
    BEST_K = "best_k"


@dataclass(frozen=True, slots=True)
class TeamScoreRule:
    method: TeamMethod = TeamMethod.SUM
    best_k: int | None = None

    def __post_init__(self):
        if self.method is TeamMethod.BEST_K and (self.best_k is None or self.best_k < 1):
            raise ValueError(_("Cách tính “k người cao nhất” cần k là số nguyên dương."))


def team_score(member_scores: Iterable[Decimal], rule: TeamScoreRule) -> Decimal:
    """The team's score from its members' scores.

    Pass a member who did not take part as ``Decimal(0)`` if the rules count them (a mean over
    the whole team), or leave them out (a mean over those who took part). With best-k and fewer
    than k members, every member counts. An empty team scores 0.
    """
    scores = sorted(member_scores, reverse=True)
    if not scores:
        return rounded(Decimal(0))
    if rule.method is TeamMethod.SUM:
        return rounded(sum(scores, Decimal(0)))
    if rule.method is TeamMethod.MEAN:
        return rounded(sum(scores, Decimal(0)) / len(scores))
    return rounded(sum(scores[: rule.best_k], Decimal(0)))


# -- Units ------------------------------------------------------------------------------------

DEFAULT_PRIZE_POINTS: Mapping[PrizeLevel, Decimal] = MappingProxyType(
    {
        PrizeLevel.FIRST: Decimal(10),
        PrizeLevel.SECOND: Decimal(8),
        PrizeLevel.THIRD: Decimal(6),
        PrizeLevel.CONSOLATION: Decimal(4),
    }
)


@dataclass(frozen=True, slots=True)
class UnitFormula:
    """Unit score = participation weight × participation rate (%) + prize weight × prize points."""

    participation_weight: Decimal = Decimal(1)
    prize_weight: Decimal = Decimal(1)
    prize_points: Mapping[PrizeLevel, Decimal] = field(default_factory=lambda: DEFAULT_PRIZE_POINTS)


@dataclass(frozen=True, slots=True)
class UnitStats:
    """What a unit did in the edition: headcount declared, people who took part, prizes won."""

    unit_id: Hashable
    expected_headcount: int
    took_part: int
    prizes: Mapping[PrizeLevel, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class UnitScore:
    """A unit's score with its parts, so the page can show how it was reached.

    ``participation_rate`` is ``None`` when the unit declared no expected headcount: there is
    no rate to compute, and it contributes nothing rather than a made-up 0 % or 100 %.
    """

    unit_id: Hashable
    participation_rate: Decimal | None
    prize_points: Decimal
    total: Decimal


def participation_rate(took_part: int, expected_headcount: int) -> Decimal | None:
    """Per cent of the declared headcount who took part, capped at 100.

    A unit that brings more people than it declared gets 100 %, not more: the rate rewards
    turning out the people it said it has, and the cap stops a low declaration from paying off.
    """
    if expected_headcount <= 0:
        return None
    return rounded(min(HUNDRED, Decimal(took_part) * HUNDRED / expected_headcount))


def unit_score(stats: UnitStats, formula: UnitFormula = UnitFormula()) -> UnitScore:
    rate = participation_rate(stats.took_part, stats.expected_headcount)
    points = sum(
        (formula.prize_points.get(level, Decimal(0)) * count for level, count in stats.prizes.items()),
        Decimal(0),
    )
    total = formula.participation_weight * (rate or Decimal(0)) + formula.prize_weight * points
    return UnitScore(stats.unit_id, rate, rounded(points), rounded(total))


def count_prizes(
    awards: Iterable, unit_of: Mapping[Hashable, Hashable]
) -> dict[Hashable, dict[PrizeLevel, int]]:
    """Prizes per unit from :class:`contest.prizes.Award` rows and each winner's unit."""
    counts: dict[Hashable, dict[PrizeLevel, int]] = {}
    for award in awards:
        per_level = counts.setdefault(unit_of[award.entry_id], {})
        per_level[award.level] = per_level.get(award.level, 0) + 1
    return counts


@dataclass(frozen=True, slots=True)
class UnitRanking:
    scores: Mapping[Hashable, UnitScore]
    ranking: Ranking


def rank_units(stats: Iterable[UnitStats], formula: UnitFormula = UnitFormula()) -> UnitRanking:
    """Units by total, higher first; equal totals share a rank (input order within a tie)."""
    scores = {item.unit_id: unit_score(item, formula) for item in stats}
    ranking = rank_entries(
        (RankEntry(unit_id, score.total) for unit_id, score in scores.items()), chain=[TieBreak.SCORE]
    )
    return UnitRanking(scores=scores, ranking=ranking)


# -- Several rounds ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoundWeight:
    """One round's share of the combined score, e.g. qualifier 30, final 70."""

    round_id: Hashable
    weight: Decimal
    max_score: Decimal


def check_round_weights(weights: Iterable[RoundWeight]) -> tuple[RoundWeight, ...]:
    weights = tuple(weights)
    for weight in weights:
        if weight.max_score <= 0:
            raise ValueError(_("Điểm tối đa của mỗi vòng phải lớn hơn 0."))
        if weight.weight < 0:
            raise ValueError(_("Trọng số của vòng thi không được âm."))
    if sum((w.weight for w in weights), Decimal(0)) <= 0:
        raise ValueError(_("Tổng trọng số các vòng phải lớn hơn 0."))
    return weights


def combined_score(
    round_scores: Mapping[Hashable, Decimal | None], weights: Sequence[RoundWeight]
) -> Decimal:
    """Weighted mean of each round's score as a percentage of that round's maximum (0–100).

    A round the contestant has no score for counts as 0 %. Weights need not add up to 100:
    they are normalised, so 3/7 and 30/70 give the same result.
    """
    weights = check_round_weights(weights)
    total_weight = sum((w.weight for w in weights), Decimal(0))
    weighted = sum(
        (w.weight * (round_scores.get(w.round_id) or Decimal(0)) * HUNDRED / w.max_score for w in weights),
        Decimal(0),
    )
    return rounded(weighted / total_weight)


@dataclass(frozen=True, slots=True)
class Cut:
    """Who advances from one group (the whole field, a cluster or a unit).

    ``advancing`` are certain; ``tied_at_cut`` share the rank at the cut but do not all fit in
    the ``slots_left``, so the organisers choose (or take them all) when confirming the list.
    """

    group: Hashable
    advancing: tuple[Hashable, ...]
    tied_at_cut: tuple[Hashable, ...]
    slots_left: int


def select_advancing(
    ranking: Ranking, top_n: int, *, group_of: Mapping[Hashable, Hashable] | None = None
) -> tuple[Cut, ...]:
    """The top ``top_n`` overall (``group_of`` omitted) or within each group, ties at the cut shown.

    Within a group, entries keep the order and ties of the overall ranking. Groups come out in
    the order their best entry appears in the ranking.
    """
    if top_n < 0:
        raise ValueError(_("Số người đi tiếp không được âm."))
    grouped: dict[Hashable, list[list]] = {}
    for row in ranking.rows:
        tie_groups = grouped.setdefault(None if group_of is None else group_of[row.entry_id], [])
        if tie_groups and tie_groups[-1][0].rank == row.rank:
            tie_groups[-1].append(row)
        else:
            tie_groups.append([row])
    cuts = []
    for group, tie_groups in grouped.items():
        advancing: list[Hashable] = []
        tied: tuple[Hashable, ...] = ()
        for tie_group in tie_groups:
            slots = top_n - len(advancing)
            if slots <= 0:
                break
            ids = [row.entry_id for row in tie_group]
            if len(ids) > slots:
                tied = tuple(ids)
                break
            advancing += ids
        cuts.append(Cut(group, tuple(advancing), tied, top_n - len(advancing) if tied else 0))
    return tuple(cuts)
