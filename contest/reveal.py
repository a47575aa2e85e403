"""The reveal after a frozen board: from the frozen standings to the final ones, one row at a
time from the bottom, as in ICPC award ceremonies. Pure.

At each step the lowest entry on the current board whose final result is still hidden gets its
final result; the board is re-sorted (it may climb) and the next lowest hidden entry follows.
The ceremony ends on the podium. The whole sequence is computed up front, so the organiser's
"next" button only replays a step and a reconnecting projector can resume at any step.

The board is kept sorted incrementally with the same keys as :func:`contest.ranking.rank_entries`
(``sort_key``) and input order for ties, so every position shown during the reveal matches the
ranking the final results would give, and 2,000 entries take milliseconds, not a re-rank per row.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from contest.ranking import DEFAULT_CHAIN, Number, RankEntry, TieBreak, rank_entries, sort_key


@dataclass(frozen=True, slots=True)
class RevealStep:
    """One row revealed: where it stood on the board and where its final result puts it."""

    entry_id: Hashable
    frozen: RankEntry
    final: RankEntry
    from_position: int
    to_position: int
    to_rank: int


@dataclass(frozen=True, slots=True)
class Reveal:
    steps: tuple[RevealStep, ...]
    podium: tuple[tuple[int, Hashable], ...]  # (rank, entry id) for ranks 1–3, ties included


def plan_reveal(
    frozen: Sequence[RankEntry],
    final: Sequence[RankEntry],
    *,
    chain: Sequence[TieBreak] = DEFAULT_CHAIN,
    truth: Number | None = None,
) -> Reveal:
    """Every step from the frozen board to the final one, bottom first.

    ``frozen`` and ``final`` hold the same entry ids; ties keep the order of ``frozen``.
    """
    order = {entry.entry_id: index for index, entry in enumerate(frozen)}
    finals = {entry.entry_id: entry for entry in final}
    if order.keys() != finals.keys() or len(order) != len(frozen):
        raise ValueError("the frozen and final boards must list the same entries once each")

    board = sorted((sort_key(entry, chain, truth), order[entry.entry_id], entry) for entry in frozen)
    hidden = set(order)
    steps: list[RevealStep] = []
    cursor = len(board) - 1  # everything below the cursor is revealed
    while hidden:
        while board[cursor][2].entry_id not in hidden:
            cursor -= 1
        old = board.pop(cursor)
        entry_id = old[2].entry_id
        hidden.discard(entry_id)
        new_key = sort_key(finals[entry_id], chain, truth)
        item = (new_key, old[1], finals[entry_id])
        insort(board, item)
        steps.append(
            RevealStep(
                entry_id=entry_id,
                frozen=old[2],
                final=finals[entry_id],
                from_position=cursor + 1,
                to_position=bisect_left(board, item) + 1,
                to_rank=bisect_left(board, (new_key,)) + 1,
            )
        )
        # A row that climbed leaves a hidden row at the cursor; one that stayed is now revealed.
        cursor = min(cursor, len(board) - 1)

    ranking = rank_entries(
        [finals[entry_id] for entry_id in sorted(order, key=order.get)], chain=chain, truth=truth
    )
    podium = tuple((row.rank, row.entry_id) for row in ranking.rows if row.rank <= 3)
    return Reveal(steps=tuple(steps), podium=podium)
