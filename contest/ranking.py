"""Ranking with the configurable tie-break chain Vietnamese contests use. Pure: no ORM, no clock.

The chain is an ordered list of steps. Two entries are compared step by step and the first step
that tells them apart decides; entries still equal after the whole chain share a rank
(standard competition ranking: 1, 2, 2, 4). The default chain is the one in the contest rules:

1. score, higher first;
2. the prediction question's closeness ``|guess - truth|``, smaller first, a missing guess last;
3. time used net of pauses, less first;
4. submission time, earlier first.

A missing value always ranks last *within its step* (a contestant who never submitted has no
submission time and must not win a tie because of it), and two missing values are equal.

Every adjacent pair of the result carries a :class:`PairReason` saying which step put the upper
entry above the lower one and with which values, so the ranking page can answer "why is A above
B?" without recomputing anything.

Speed matters (a recomputation runs on every debounced scoreboard tick): each entry's sort key
is built once as a flat tuple of numbers, the sort is one C-level sort, and the reasons are
worked out only when asked for, from neighbouring keys. bench/ranking_bench.py measures it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _


class TieBreak(StrEnum):
    """One step of the chain. The values are stored in round configuration, so never rename them."""

    SCORE = "score"
    PREDICTION = "prediction"
    TIME_USED = "time_used"
    SUBMITTED_AT = "submitted_at"


DEFAULT_CHAIN: tuple[TieBreak, ...] = (
    TieBreak.SCORE,
    TieBreak.PREDICTION,
    TieBreak.TIME_USED,
    TieBreak.SUBMITTED_AT,
)

Number = Decimal | int | float

# Times are shown in Vietnam's time zone whatever the server's settings say.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True, slots=True)
class RankEntry:
    """What the ranking needs to know about one contestant, team or unit.

    ``time_used_seconds`` is already net of pauses (contest.timing computes it); ``guess`` is the
    answer to the prediction question, ``None`` when the contestant gave none.
    """

    entry_id: Hashable
    score: Decimal
    guess: Number | None = None
    time_used_seconds: Number | None = None
    submitted_at: datetime | None = None


class RankedEntry(NamedTuple):
    """An entry with its rank (shared on ties) and its 1-based position in the listing.

    A NamedTuple rather than a frozen dataclass: one is built per entry on every recomputation,
    and a tuple is several times cheaper to create.
    """

    entry: RankEntry
    rank: int
    position: int

    @property
    def entry_id(self) -> Hashable:
        return self.entry.entry_id


class PairReason(NamedTuple):
    """Why ``above`` is listed before ``below``.

    ``step`` is the deciding step, or ``None`` when the two are equal after the whole chain (they
    share a rank and are listed in input order). ``above_value`` and ``below_value`` are the
    values that step compared: the score, the distance ``|guess - truth|``, the seconds used or the
    submission time; ``None`` means the value is missing.
    """

    above: Hashable
    below: Hashable
    step: TieBreak | None
    above_value: object = None
    below_value: object = None

    @property
    def is_tie(self) -> bool:
        return self.step is None


class Ranking:
    """The ordered entries and, for each adjacent pair, the reason for their order.

    ``reasons[i]`` explains ``rows[i]`` versus ``rows[i + 1]``. Reasons are worked out on first
    use: a scoreboard tick needs only the ranks, the ranking page needs the reasons too.
    """

    def __init__(self, rows, keys, chain, truth):
        self.rows: tuple[RankedEntry, ...] = rows
        self.chain: tuple[TieBreak, ...] = chain
        self._keys = keys  # sort keys in row order
        self._truth = truth

    @cached_property
    def reasons(self) -> tuple[PairReason, ...]:
        return tuple(self._reason(index) for index in range(len(self.rows) - 1))

    def _reason(self, index: int) -> PairReason:
        above, below = self.rows[index].entry, self.rows[index + 1].entry
        above_key, below_key = self._keys[index], self._keys[index + 1]
        if above_key == below_key:
            return PairReason(above.entry_id, below.entry_id, None)
        step_index = 0
        while above_key[step_index] == below_key[step_index]:
            step_index += 1
        step = self.chain[step_index]
        return PairReason(
            above.entry_id,
            below.entry_id,
            step,
            _step_value(above, step, self._truth),
            _step_value(below, step, self._truth),
        )

    @cached_property
    def ranks(self) -> dict[Hashable, int]:
        """Entry id to rank, for boards that look ranks up by contestant."""
        return {row.entry.entry_id: row.rank for row in self.rows}

    def rank_of(self, entry_id: Hashable) -> int:
        return self.ranks[entry_id]


def check_chain(steps: Iterable[str]) -> tuple[TieBreak, ...]:
    """Validate a chain read from configuration; a clear Vietnamese error for a bad one."""
    chain: list[TieBreak] = []
    for raw in steps:
        try:
            step = TieBreak(raw)
        except ValueError:
            known = ", ".join(step.value for step in TieBreak)
            raise ValueError(
                _("Tiêu chí xếp hạng không hợp lệ: “%(step)s”. Các tiêu chí hợp lệ: %(known)s.")
                % {"step": raw, "known": known}
            ) from None
        if step in chain:
            raise ValueError(_("Tiêu chí xếp hạng “%(step)s” bị lặp lại.") % {"step": step.value})
        chain.append(step)
    return tuple(chain)


# Each step contributes one number to an entry's flat key tuple, smaller first. A missing value
# is +infinity, so it sorts last and two missing values compare equal. Scores enter as negated
# floats and submission times as POSIX timestamps: both conversions are monotonic, map equal
# values to one float (7.5 and 7.50 alike) and keep distinct ones distinct (scores of up to 15
# significant digits, times to the microsecond), and a flat tuple of floats sorts several times
# faster than nested tuples of Decimals and datetimes.
_MISSING = float("inf")


def _distance(guess: Number, truth: Number) -> Number:
    """|guess - truth|, exact: integers stay integers, anything else goes through Decimal."""
    if type(guess) is int and type(truth) is int:
        return abs(guess - truth)
    return abs(Decimal(guess) - Decimal(truth))


def _step_value(entry: RankEntry, step: TieBreak, truth: Number | None) -> object:
    """The value a step compares, as shown to people (None when missing)."""
    if step is TieBreak.SCORE:
        return entry.score
    if step is TieBreak.PREDICTION:
        if entry.guess is None or truth is None:
            return None
        return _distance(entry.guess, truth)
    if step is TieBreak.TIME_USED:
        return entry.time_used_seconds
    return entry.submitted_at


def _key_column(entries: Sequence[RankEntry], step: TieBreak, truth: Number | None) -> list:
    """One step's key number for every entry, built in a single comprehension for speed."""
    if step is TieBreak.SCORE:
        return [_MISSING if e.score is None else -float(e.score) for e in entries]
    if step is TieBreak.PREDICTION:
        if truth is None:
            return [_MISSING] * len(entries)
        return [_MISSING if e.guess is None else _distance(e.guess, truth) for e in entries]
    if step is TieBreak.TIME_USED:
        return [_MISSING if e.time_used_seconds is None else e.time_used_seconds for e in entries]
    return [_MISSING if e.submitted_at is None else e.submitted_at.timestamp() for e in entries]


def sort_key(entry: RankEntry, chain: Sequence[TieBreak], truth: Number | None = None) -> tuple:
    """One entry's sort key under ``chain``: smaller keys rank higher, equal keys tie. For code
    that keeps a board sorted incrementally (the reveal) with exactly the ranking's order."""
    return tuple(_key_column([entry], step, truth)[0] for step in check_chain(chain))


def rank_entries(
    entries: Iterable[RankEntry],
    *,
    chain: Sequence[TieBreak] = DEFAULT_CHAIN,
    truth: Number | None = None,
) -> Ranking:
    """Order ``entries`` by ``chain`` and give shared ranks to entries equal after it.

    ``truth`` is the prediction question's true value; while it is unknown (``None``) the
    prediction step cannot tell anyone apart and is passed over. Entries equal after the chain
    keep their input order, so pass them sorted by name to list ties alphabetically.
    """
    chain = check_chain(chain)
    entries = list(entries)
    keys = list(zip(*(_key_column(entries, step, truth) for step in chain), strict=True)) or [()] * len(
        entries
    )
    order = sorted(range(len(entries)), key=keys.__getitem__)  # stable: ties keep input order

    rows: list[RankedEntry] = []
    rank = 0
    above_key = None
    for position, index in enumerate(order, start=1):
        key = keys[index]
        if key != above_key:
            rank, above_key = position, key
        rows.append(RankedEntry(entries[index], rank, position))
    return Ranking(tuple(rows), [keys[index] for index in order], chain, truth)


def _format_value(step: TieBreak, value: object) -> str:
    if value is None:
        return _("không có")
    if step is TieBreak.TIME_USED:
        return _("%(seconds)s giây") % {"seconds": value}
    if step is TieBreak.SUBMITTED_AT:
        return value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")
    return str(value)


def explain(reason: PairReason) -> str:
    """One Vietnamese sentence for the ranking page: why the upper entry is above the lower one."""
    if reason.step is None:
        return _("Bằng nhau theo mọi tiêu chí: đồng hạng.")
    templates = {
        TieBreak.SCORE: _("Điểm cao hơn (%(above)s so với %(below)s)."),
        TieBreak.PREDICTION: _("Dự đoán gần đáp số hơn (lệch %(above)s so với %(below)s)."),
        TieBreak.TIME_USED: _("Thời gian làm bài ít hơn (%(above)s so với %(below)s)."),
        TieBreak.SUBMITTED_AT: _("Nộp bài sớm hơn (%(above)s so với %(below)s)."),
    }
    return templates[reason.step] % {
        "above": _format_value(reason.step, reason.above_value),
        "below": _format_value(reason.step, reason.below_value),
    }


@dataclass(frozen=True, slots=True)
class RankChange:
    """How one entry fares between two rankings, e.g. before and after a regrade (dry run)."""

    entry_id: Hashable
    score_before: Decimal | None
    score_after: Decimal | None
    rank_before: int | None
    rank_after: int | None

    @property
    def score_delta(self) -> Decimal:
        return (self.score_after or Decimal(0)) - (self.score_before or Decimal(0))

    @property
    def rank_delta(self) -> int | None:
        """Places gained (positive) or lost (negative); None when either side has no rank."""
        if self.rank_before is None or self.rank_after is None:
            return None
        return self.rank_before - self.rank_after


def rank_changes(before: Ranking, after: Ranking) -> tuple[RankChange, ...]:
    """Entries whose score or rank differs between the two rankings, in the order of ``after``
    (entries only in ``before`` last): what a regrade's dry run shows before it is applied."""
    old = {row.entry_id: row for row in before.rows}
    new = {row.entry_id: row for row in after.rows}
    changes = []
    for entry_id in [*new, *(entry_id for entry_id in old if entry_id not in new)]:
        was, now = old.get(entry_id), new.get(entry_id)
        change = RankChange(
            entry_id=entry_id,
            score_before=was.entry.score if was else None,
            score_after=now.entry.score if now else None,
            rank_before=was.rank if was else None,
            rank_after=now.rank if now else None,
        )
        if change.score_before != change.score_after or change.rank_before != change.rank_after:
            changes.append(change)
    return tuple(changes)
