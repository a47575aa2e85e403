"""Prize assignment from a ranking, with ties at a quota boundary left to the organisers. Pure.

Prizes are given level by level (Giải Nhất, then Nhì, Ba, Khuyến khích), each level filling its
quota from the top of what is left of the ranking. Entries sharing a rank are never separated by
the algorithm: when a tie group does not fit in the slots left at a level, the result carries a
:class:`BoundaryTie` ("cần quyết định") listing the tied entries, and nothing below it is
assigned until the organisers decide, because how many slots the next level has left depends on
that decision. The organisers' answer comes back as a :class:`TieDecision` (which of the tied
entries get this level; the others go on to the next level ahead of everyone ranked below them),
and the assignment is simply run again with it. A decision made for a tie that no longer exists
(the ranking changed after a regrade) is not applied but returned as unused, so the page can say
so instead of silently applying it to different people.

The same function serves individuals and teams: it takes any :class:`contest.ranking.Ranking`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from contest.ranking import RankedEntry, Ranking


class PrizeLevel(StrEnum):
    """Prize levels in order of merit. Values are stored, so never rename them."""

    FIRST = "first"
    SECOND = "second"
    THIRD = "third"
    CONSOLATION = "consolation"

    @property
    def label(self) -> str:
        return {
            PrizeLevel.FIRST: _("Giải Nhất"),
            PrizeLevel.SECOND: _("Giải Nhì"),
            PrizeLevel.THIRD: _("Giải Ba"),
            PrizeLevel.CONSOLATION: _("Giải Khuyến khích"),
        }[self]


PRIZE_ORDER: tuple[PrizeLevel, ...] = tuple(PrizeLevel)


@dataclass(frozen=True, slots=True)
class PrizeQuota:
    """How many prizes of one level, and optionally the least score that may receive it.

    ``min_score`` is checked against each tie group's first entry, which is exact when the
    ranking's chain starts with the score (everyone in a group then has the same score).
    """

    level: PrizeLevel
    count: int
    min_score: Decimal | None = None


@dataclass(frozen=True, slots=True)
class TieDecision:
    """The organisers' answer to a :class:`BoundaryTie`: who of ``tied`` gets ``level``.

    ``awarded`` may be any subset of ``tied``, all of them (the level goes over its quota) or
    none (the level keeps empty slots).
    """

    level: PrizeLevel
    tied: frozenset[Hashable]
    awarded: frozenset[Hashable]


@dataclass(frozen=True, slots=True)
class Award:
    entry_id: Hashable
    level: PrizeLevel
    rank: int
    by_decision: bool = False


@dataclass(frozen=True, slots=True)
class BoundaryTie:
    """A tie group straddling the end of a level's quota: the organisers must decide.

    ``slots`` is how many prizes of ``level`` were left for the ``tied`` entries (in ranking
    order), all of whom share ``rank``.
    """

    level: PrizeLevel
    rank: int
    slots: int
    tied: tuple[Hashable, ...]


@dataclass(frozen=True, slots=True)
class PrizeResult:
    awards: tuple[Award, ...]
    needs_decision: BoundaryTie | None
    undecided: tuple[Hashable, ...]
    unused_decisions: tuple[TieDecision, ...]

    @property
    def complete(self) -> bool:
        return self.needs_decision is None

    def level_of(self, entry_id: Hashable) -> PrizeLevel | None:
        return next((award.level for award in self.awards if award.entry_id == entry_id), None)

    def by_level(self) -> Mapping[PrizeLevel, tuple[Award, ...]]:
        return {level: tuple(a for a in self.awards if a.level is level) for level in PRIZE_ORDER}


def check_quotas(quotas: Iterable[PrizeQuota]) -> tuple[PrizeQuota, ...]:
    """Quotas in order of merit, each level at most once and no negative count."""
    quotas = tuple(quotas)
    levels = [quota.level for quota in quotas]
    if len(set(levels)) != len(levels):
        raise ValueError(_("Mỗi mức giải chỉ được khai báo một lần."))
    for quota in quotas:
        if quota.count < 0:
            raise ValueError(_("Số lượng %(level)s không được âm.") % {"level": quota.level.label})
    return tuple(sorted(quotas, key=lambda quota: PRIZE_ORDER.index(quota.level)))


def _tie_groups(rows: Sequence[RankedEntry]) -> list[list[RankedEntry]]:
    groups: list[list[RankedEntry]] = []
    for row in rows:
        if groups and groups[-1][0].rank == row.rank:
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def _check_decision(decision: TieDecision) -> None:
    if not decision.awarded <= decision.tied:
        raise ValueError(
            _("Quyết định cho %(level)s trao giải cho người không nằm trong nhóm đồng hạng.")
            % {"level": decision.level.label}
        )


def assign_prizes(
    ranking: Ranking,
    quotas: Iterable[PrizeQuota],
    *,
    decisions: Iterable[TieDecision] = (),
) -> PrizeResult:
    """Give each level its quota from the top of ``ranking``; stop at an undecided boundary tie."""
    quotas = check_quotas(quotas)
    pending: dict[PrizeLevel, TieDecision] = {}
    for decision in decisions:
        _check_decision(decision)
        pending[decision.level] = decision
    used: set[PrizeLevel] = set()

    groups = _tie_groups(ranking.rows)
    awards: list[Award] = []
    for quota in quotas:
        slots = quota.count
        while slots > 0 and groups:
            group = groups[0]
            if quota.min_score is not None and group[0].entry.score < quota.min_score:
                break
            if len(group) <= slots:
                awards += (Award(row.entry_id, quota.level, row.rank) for row in group)
                slots -= len(group)
                groups.pop(0)
                continue
            tied = tuple(row.entry_id for row in group)
            decision = pending.get(quota.level)
            if decision is None or decision.tied != frozenset(tied):
                return PrizeResult(
                    awards=tuple(awards),
                    needs_decision=BoundaryTie(quota.level, group[0].rank, slots, tied),
                    undecided=tuple(row.entry_id for rest in groups for row in rest),
                    unused_decisions=tuple(d for level, d in pending.items() if level not in used),
                )
            used.add(quota.level)
            awards += (
                Award(row.entry_id, quota.level, row.rank, by_decision=True)
                for row in group
                if row.entry_id in decision.awarded
            )
            remaining = [row for row in group if row.entry_id not in decision.awarded]
            groups[0:1] = [remaining] if remaining else []
            slots = 0
    return PrizeResult(
        awards=tuple(awards),
        needs_decision=None,
        undecided=(),
        unused_decisions=tuple(d for level, d in pending.items() if level not in used),
    )
