from decimal import Decimal

import pytest

from contest.prizes import Award, PrizeLevel
from contest.ranking import RankEntry, TieBreak, rank_entries
from contest.team_scores import (
    Cut,
    RoundWeight,
    TeamMethod,
    TeamScoreRule,
    UnitFormula,
    UnitScore,
    UnitStats,
    combined_score,
    count_prizes,
    participation_rate,
    rank_units,
    select_advancing,
    team_score,
    unit_score,
)

D = Decimal
FIRST, SECOND, THIRD, CONSOLATION = PrizeLevel


@pytest.mark.parametrize(
    ("scores", "rule", "expected"),
    [
        (["7", "8.5", "6"], TeamScoreRule(TeamMethod.SUM), "21.50"),
        (["7", "8", "6"], TeamScoreRule(TeamMethod.MEAN), "7.00"),
        (["7", "8", "8"], TeamScoreRule(TeamMethod.MEAN), "7.67"),
        (["1", "0", "0", "0", "0", "0", "0", "0"], TeamScoreRule(TeamMethod.MEAN), "0.13"),
        (["7", "9", "6", "8"], TeamScoreRule(TeamMethod.BEST_K, best_k=2), "17.00"),
        (["7"], TeamScoreRule(TeamMethod.BEST_K, best_k=3), "7.00"),
        ([], TeamScoreRule(TeamMethod.MEAN), "0.00"),
    ],
)
def test_team_score_is_the_sum_mean_or_best_k_of_its_members(scores, rule, expected):
    assert team_score([D(s) for s in scores], rule) == D(expected)
    assert str(team_score([D(s) for s in scores], rule)) == expected


@pytest.mark.parametrize("best_k", [None, 0, -1])
def test_best_k_needs_a_positive_k(best_k):
    with pytest.raises(ValueError, match="k là số nguyên dương"):
        TeamScoreRule(TeamMethod.BEST_K, best_k=best_k)


@pytest.mark.parametrize(
    ("took_part", "expected_headcount", "rate"),
    [(45, 50, "90.00"), (1, 3, "33.33"), (2, 3, "66.67"), (60, 50, "100.00"), (0, 50, "0.00"), (5, 0, None)],
)
def test_participation_rate_is_a_capped_percentage_of_the_declared_headcount(
    took_part, expected_headcount, rate
):
    expected = None if rate is None else D(rate)
    assert participation_rate(took_part, expected_headcount) == expected


def test_the_default_unit_formula_adds_participation_and_prize_points():
    stats = UnitStats("q1", expected_headcount=40, took_part=30, prizes={FIRST: 1, THIRD: 2, CONSOLATION: 1})
    assert unit_score(stats) == UnitScore("q1", D("75.00"), D("26.00"), D("101.00"))


def test_the_unit_formula_weights_are_configurable():
    formula = UnitFormula(
        participation_weight=D("0.5"),
        prize_weight=D(2),
        prize_points={FIRST: D(5), SECOND: D(3), THIRD: D(1), CONSOLATION: D(0)},
    )
    stats = UnitStats("q1", expected_headcount=10, took_part=9, prizes={FIRST: 1, SECOND: 1, CONSOLATION: 3})
    assert unit_score(stats, formula) == UnitScore("q1", D("90.00"), D("8.00"), D("61.00"))


def test_a_unit_without_a_declared_headcount_gets_only_its_prize_points():
    assert unit_score(UnitStats("x", 0, 4, {SECOND: 1})) == UnitScore("x", None, D("8.00"), D("8.00"))


def test_units_rank_by_total_with_shared_ranks():
    result = rank_units(
        [
            UnitStats("a", 10, 5),  # 50
            UnitStats("b", 10, 10),  # 100
            UnitStats("c", 10, 4, {CONSOLATION: 1}),  # 40 + 4
            UnitStats("d", 20, 10),  # 50
        ]
    )
    assert [(row.entry_id, row.rank) for row in result.ranking.rows] == [
        ("b", 1),
        ("a", 2),
        ("d", 2),
        ("c", 4),
    ]
    assert result.scores["c"].total == D("44.00")


def test_prizes_are_counted_per_unit_from_awards():
    awards = [Award("p1", FIRST, 1), Award("p2", THIRD, 3), Award("p3", THIRD, 3), Award("p4", SECOND, 2)]
    unit_of = {"p1": "u1", "p2": "u1", "p3": "u1", "p4": "u2"}
    assert count_prizes(awards, unit_of) == {"u1": {FIRST: 1, THIRD: 2}, "u2": {SECOND: 1}}


QUALIFIER_FINAL = [RoundWeight("qualifier", D(30), D(40)), RoundWeight("final", D(70), D(100))]


@pytest.mark.parametrize(
    ("scores", "weights", "expected"),
    [
        ({"qualifier": D(40), "final": D(100)}, QUALIFIER_FINAL, "100.00"),
        ({"qualifier": D(20), "final": D(80)}, QUALIFIER_FINAL, "71.00"),  # 0.3×50 + 0.7×80
        ({"qualifier": D(40)}, QUALIFIER_FINAL, "30.00"),  # no final score counts as 0 %
        ({"qualifier": D(40), "final": None}, QUALIFIER_FINAL, "30.00"),
        (
            {"qualifier": D(20), "final": D(80)},
            [RoundWeight("qualifier", D(3), D(40)), RoundWeight("final", D(7), D(100))],
            "71.00",
        ),
        ({"a": D(1), "b": D(2)}, [RoundWeight("a", D(1), D(3)), RoundWeight("b", D(1), D(3))], "50.00"),
    ],
)
def test_combined_score_weighs_each_rounds_percentage(scores, weights, expected):
    assert combined_score(scores, weights) == D(expected)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([RoundWeight("a", D(1), D(0))], "Điểm tối đa"),
        ([RoundWeight("a", D(-1), D(10)), RoundWeight("b", D(2), D(10))], "không được âm"),
        ([RoundWeight("a", D(0), D(10))], "Tổng trọng số"),
    ],
)
def test_bad_round_weights_are_refused(weights, message):
    with pytest.raises(ValueError, match=message):
        combined_score({}, weights)


def ranking_of(scores):
    return rank_entries([RankEntry(i, D(s)) for i, s in scores], chain=[TieBreak.SCORE])


def test_the_top_n_overall_advance_and_a_tie_at_the_cut_is_shown():
    ranking = ranking_of([("a", 9), ("b", 8), ("c", 7), ("d", 7), ("e", 7), ("f", 5)])
    assert select_advancing(ranking, 3) == (Cut(None, ("a", "b"), ("c", "d", "e"), 1),)
    assert select_advancing(ranking, 5) == (Cut(None, ("a", "b", "c", "d", "e"), (), 0),)
    assert select_advancing(ranking, 10) == (Cut(None, ("a", "b", "c", "d", "e", "f"), (), 0),)
    assert select_advancing(ranking, 0) == (Cut(None, (), (), 0),)


def test_the_top_n_of_each_cluster_advance_with_ties_per_cluster():
    ranking = ranking_of([("a", 9), ("b", 8), ("c", 8), ("d", 7), ("e", 6), ("f", 6), ("g", 2)])
    cluster = {
        "a": "north",
        "b": "south",
        "c": "north",
        "d": "south",
        "e": "north",
        "f": "north",
        "g": "south",
    }
    assert select_advancing(ranking, 2, group_of=cluster) == (
        Cut("north", ("a", "c"), (), 0),
        Cut("south", ("b", "d"), (), 0),
    )
    assert select_advancing(ranking, 3, group_of=cluster) == (
        Cut("north", ("a", "c"), ("e", "f"), 1),
        Cut("south", ("b", "d", "g"), (), 0),
    )


def test_a_negative_number_to_advance_is_refused():
    with pytest.raises(ValueError, match="không được âm"):
        select_advancing(ranking_of([("a", 1)]), -1)
