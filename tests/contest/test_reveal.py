import random
from decimal import Decimal

import pytest

from contest.ranking import RankEntry, TieBreak, rank_entries
from contest.reveal import plan_reveal

SCORE_ONLY = [TieBreak.SCORE]


def board(**scores):
    return [RankEntry(entry_id, Decimal(score)) for entry_id, score in scores.items()]


def summary(reveal):
    return [(s.entry_id, s.from_position, s.to_position, s.to_rank) for s in reveal.steps]


def test_with_nothing_hidden_rows_are_revealed_from_the_bottom_in_place():
    frozen = board(a=10, b=8, c=5)
    reveal = plan_reveal(frozen, frozen, chain=SCORE_ONLY)
    assert summary(reveal) == [("c", 3, 3, 3), ("b", 2, 2, 2), ("a", 1, 1, 1)]
    assert reveal.podium == ((1, "a"), (2, "b"), (3, "c"))


def test_a_row_that_climbs_is_followed_by_the_new_lowest_hidden_row():
    frozen = board(a=10, b=8, c=5, d=4)
    final = board(a=10, b=8, c=11, d=4)
    assert summary(plan_reveal(frozen, final, chain=SCORE_ONLY)) == [
        ("d", 4, 4, 4),
        ("c", 3, 1, 1),  # climbs to the top
        ("b", 3, 3, 3),  # now the lowest hidden row
        ("a", 2, 2, 2),
    ]


def test_a_climb_into_a_tie_takes_the_shared_rank():
    frozen = board(a=10, b=8, c=5)
    final = board(a=10, b=8, c=8)
    steps = plan_reveal(frozen, final, chain=SCORE_ONLY).steps
    assert (steps[0].entry_id, steps[0].to_position, steps[0].to_rank) == ("c", 3, 2)
    assert steps[0].frozen.score == Decimal(5) and steps[0].final.score == Decimal(8)


def test_the_podium_includes_everyone_sharing_the_first_three_ranks():
    final = board(a=10, b=9, c=9, d=7, e=1)
    assert plan_reveal(final, final, chain=SCORE_ONLY).podium == ((1, "a"), (2, "b"), (2, "c"))
    final = board(a=10, b=9, c=8, d=8, e=1)
    assert plan_reveal(final, final, chain=SCORE_ONLY).podium == ((1, "a"), (2, "b"), (3, "c"), (3, "d"))


def test_every_step_shows_the_position_the_ranking_would_give_and_the_end_is_the_final_ranking():
    rng = random.Random(7)
    frozen = [
        RankEntry(i, Decimal(rng.randint(0, 20)), time_used_seconds=rng.randint(1, 99)) for i in range(300)
    ]
    final = [
        RankEntry(
            e.entry_id, e.score + rng.choice([0, 0, 0, 1, 3, 8]), time_used_seconds=e.time_used_seconds + 5
        )
        for e in frozen
    ]
    reveal = plan_reveal(frozen, final)
    assert len(reveal.steps) == 300
    assert sorted(step.entry_id for step in reveal.steps) == list(range(300))
    current = {e.entry_id: e for e in frozen}
    for step in reveal.steps:
        current[step.entry_id] = step.final
        ranking = rank_entries([current[i] for i in range(300)])
        row = next(r for r in ranking.rows if r.entry_id == step.entry_id)
        assert (row.position, row.rank) == (step.to_position, step.to_rank)
    # Revealed from the bottom: each step starts at or above the previous step's starting row.
    starts = [step.from_position for step in reveal.steps]
    assert all(later <= earlier for earlier, later in zip(starts, starts[1:], strict=False))


def test_boards_with_different_entries_are_refused():
    with pytest.raises(ValueError, match="same entries"):
        plan_reveal(board(a=1, b=2), board(a=1, c=2))
    with pytest.raises(ValueError, match="same entries"):
        plan_reveal(board(a=1) + board(a=2), board(a=1))
