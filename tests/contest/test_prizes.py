from decimal import Decimal

import pytest

from contest.prizes import (
    Award,
    BoundaryTie,
    PrizeLevel,
    PrizeQuota,
    TieDecision,
    assign_prizes,
    check_quotas,
)
from contest.ranking import RankEntry, TieBreak, rank_entries

FIRST, SECOND, THIRD, CONSOLATION = PrizeLevel


def ranking_of(*scores):
    """Entries named a, b, c … with the given scores, ranked by score alone."""
    entries = [RankEntry(chr(ord("a") + i), Decimal(str(s))) for i, s in enumerate(scores)]
    return rank_entries(entries, chain=[TieBreak.SCORE])


def quotas(first=1, second=2, third=3, consolation=0, min_scores=None):
    counts = {FIRST: first, SECOND: second, THIRD: third, CONSOLATION: consolation}
    return [PrizeQuota(level, count, (min_scores or {}).get(level)) for level, count in counts.items()]


def levels(result):
    return {award.entry_id: award.level for award in result.awards}


@pytest.mark.parametrize(
    ("scores", "quota", "expected"),
    [
        pytest.param(
            (10, 9, 8, 7, 6, 5, 4),
            quotas(1, 2, 3),
            {"a": FIRST, "b": SECOND, "c": SECOND, "d": THIRD, "e": THIRD, "f": THIRD},
            id="quotas fill from the top",
        ),
        pytest.param(
            (10, 9, 9, 7),
            quotas(1, 2, 1),
            {"a": FIRST, "b": SECOND, "c": SECOND, "d": THIRD},
            id="a tie that fits inside a level is given together",
        ),
        pytest.param(
            (10, 9),
            quotas(1, 2, 3),
            {"a": FIRST, "b": SECOND},
            id="fewer entries than prizes",
        ),
        pytest.param(
            (10, 9, 8),
            quotas(0, 1, 1),
            {"a": SECOND, "b": THIRD},
            id="a level with no quota is skipped",
        ),
        pytest.param(
            (10, 6, 4.5, 4),
            quotas(1, 1, 1, 5, min_scores={CONSOLATION: Decimal("4.5")}),
            {"a": FIRST, "b": SECOND, "c": THIRD},
            id="below the level's least score there is no prize",
        ),
    ],
)
def test_it_assigns_prizes_level_by_level(scores, quota, expected):
    result = assign_prizes(ranking_of(*scores), quota)
    assert result.complete
    assert levels(result) == expected


def test_a_tie_across_a_quota_boundary_needs_a_decision_and_nothing_below_is_assigned():
    result = assign_prizes(ranking_of(10, 9, 8, 8, 8, 5), quotas(1, 2, 3))
    assert not result.complete
    assert levels(result) == {"a": FIRST, "b": SECOND}
    assert result.needs_decision == BoundaryTie(level=SECOND, rank=3, slots=1, tied=("c", "d", "e"))
    assert result.undecided == ("c", "d", "e", "f")


def test_a_tie_at_the_last_level_is_not_silently_cut():
    result = assign_prizes(ranking_of(10, 9, 9), quotas(1, 1, 0))
    assert result.needs_decision == BoundaryTie(level=SECOND, rank=2, slots=1, tied=("b", "c"))
    assert levels(result) == {"a": FIRST}


def test_a_decision_for_some_sends_the_others_to_the_next_level_first():
    decision = TieDecision(SECOND, tied=frozenset("cde"), awarded=frozenset("d"))
    result = assign_prizes(ranking_of(10, 9, 8, 8, 8, 5, 4), quotas(1, 2, 3), decisions=[decision])
    assert result.complete
    assert levels(result) == {"a": FIRST, "b": SECOND, "d": SECOND, "c": THIRD, "e": THIRD, "f": THIRD}
    assert Award("d", SECOND, 3, by_decision=True) in result.awards
    assert Award("c", THIRD, 3) in result.awards


def test_a_decision_may_give_all_the_tied_the_level_over_its_quota():
    decision = TieDecision(FIRST, tied=frozenset("ab"), awarded=frozenset("ab"))
    result = assign_prizes(ranking_of(10, 10, 8), quotas(1, 1, 0), decisions=[decision])
    assert levels(result) == {"a": FIRST, "b": FIRST, "c": SECOND}


def test_a_decision_may_give_none_of_the_tied_the_level():
    decision = TieDecision(FIRST, tied=frozenset("ab"), awarded=frozenset())
    result = assign_prizes(ranking_of(10, 10, 8), quotas(1, 2, 0), decisions=[decision])
    assert levels(result) == {"a": SECOND, "b": SECOND}
    assert result.complete


def test_the_rest_of_a_decided_tie_can_straddle_the_next_level_too():
    first = TieDecision(FIRST, tied=frozenset("abcd"), awarded=frozenset("a"))
    result = assign_prizes(ranking_of(10, 10, 10, 10), quotas(1, 2, 3), decisions=[first])
    assert result.needs_decision == BoundaryTie(level=SECOND, rank=1, slots=2, tied=("b", "c", "d"))
    second = TieDecision(SECOND, tied=frozenset("bcd"), awarded=frozenset("bd"))
    result = assign_prizes(ranking_of(10, 10, 10, 10), quotas(1, 2, 3), decisions=[first, second])
    assert levels(result) == {"a": FIRST, "b": SECOND, "d": SECOND, "c": THIRD}


def test_a_decision_for_a_tie_that_no_longer_exists_is_returned_unused():
    stale = TieDecision(SECOND, tied=frozenset("cd"), awarded=frozenset("c"))
    result = assign_prizes(ranking_of(10, 9, 8, 8, 8), quotas(1, 2, 3), decisions=[stale])
    assert result.needs_decision.tied == ("c", "d", "e")
    assert result.unused_decisions == (stale,)
    complete = assign_prizes(ranking_of(10, 9, 8, 7), quotas(1, 2, 3), decisions=[stale])
    assert complete.complete
    assert complete.unused_decisions == (stale,)


def test_a_decision_awarding_someone_outside_the_tie_is_refused():
    with pytest.raises(ValueError, match="không nằm trong nhóm đồng hạng"):
        assign_prizes(
            ranking_of(10, 10),
            quotas(1),
            decisions=[TieDecision(FIRST, tied=frozenset("ab"), awarded=frozenset("az"))],
        )


def test_quotas_are_validated_and_put_in_order_of_merit():
    assert [q.level for q in check_quotas(reversed(quotas()))] == [FIRST, SECOND, THIRD, CONSOLATION]
    with pytest.raises(ValueError, match="một lần"):
        check_quotas([PrizeQuota(FIRST, 1), PrizeQuota(FIRST, 2)])
    with pytest.raises(ValueError, match="Giải Nhì không được âm"):
        check_quotas([PrizeQuota(SECOND, -1)])


def test_results_group_by_level_and_answer_per_entry():
    result = assign_prizes(ranking_of(10, 9, 8), quotas(1, 1, 0, 1))
    assert [a.entry_id for a in result.by_level()[CONSOLATION]] == ["c"]
    assert result.level_of("b") is SECOND
    assert result.level_of("zzz") is None


def test_levels_have_vietnamese_labels():
    assert [level.label for level in PrizeLevel] == ["Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích"]
