from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from contest.ranking import (
    DEFAULT_CHAIN,
    PairReason,
    RankEntry,
    TieBreak,
    check_chain,
    explain,
    rank_changes,
    rank_entries,
)

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def entry(entry_id, score, guess=None, used=None, submitted_minute=None):
    submitted = None if submitted_minute is None else T0 + timedelta(minutes=submitted_minute)
    return RankEntry(
        entry_id=entry_id,
        score=Decimal(score),
        guess=guess,
        time_used_seconds=used,
        submitted_at=submitted,
    )


def order_and_ranks(ranking):
    return [(row.entry_id, row.rank) for row in ranking.rows]


@pytest.mark.parametrize(
    ("entries", "truth", "expected"),
    [
        pytest.param(
            [entry("a", "7"), entry("b", "9.5"), entry("c", "8")],
            None,
            [("b", 1), ("c", 2), ("a", 3)],
            id="higher score first",
        ),
        pytest.param(
            [entry("a", "8", guess=120), entry("b", "8", guess=95), entry("c", "8", guess=104)],
            100,
            [("c", 1), ("b", 2), ("a", 3)],
            id="equal scores: closer prediction first, above or below the truth alike",
        ),
        pytest.param(
            [entry("a", "8", guess=None), entry("b", "8", guess=500)],
            100,
            [("b", 1), ("a", 2)],
            id="a missing guess ranks after any guess",
        ),
        pytest.param(
            [entry("a", "8", guess=90, used=600), entry("b", "8", guess=110, used=540)],
            100,
            [("b", 1), ("a", 2)],
            id="equally close predictions: less time used first",
        ),
        pytest.param(
            [entry("a", "8", used=None), entry("b", "8", used=1500)],
            None,
            [("b", 1), ("a", 2)],
            id="a missing time used ranks last",
        ),
        pytest.param(
            [entry("a", "8", used=600, submitted_minute=12), entry("b", "8", used=600, submitted_minute=11)],
            None,
            [("b", 1), ("a", 2)],
            id="same time used: earlier submission first",
        ),
        pytest.param(
            [
                entry("a", "8", used=600, submitted_minute=None),
                entry("b", "8", used=600, submitted_minute=59),
            ],
            None,
            [("b", 1), ("a", 2)],
            id="no submission time ranks last",
        ),
        pytest.param(
            [entry("a", "10"), entry("b", "9", used=1), entry("c", "9", used=1), entry("d", "8")],
            None,
            [("a", 1), ("b", 2), ("c", 2), ("d", 4)],
            id="equal after the whole chain share a rank: 1, 2, 2, 4",
        ),
        pytest.param(
            [entry("a", "9", guess=101), entry("b", "9", guess=99), entry("c", "9", guess=100)],
            100,
            [("c", 1), ("a", 2), ("b", 2)],
            id="guesses equally far on both sides tie and keep input order",
        ),
        pytest.param(
            [entry("a", "5", guess=1), entry("b", "5", guess=999, used=10)],
            None,
            [("b", 1), ("a", 2)],
            id="while the truth is unknown the prediction step is passed over",
        ),
        pytest.param(
            [entry("a", "5"), entry("b", "5")],
            None,
            [("a", 1), ("b", 1)],
            id="everything missing: all share rank 1",
        ),
        pytest.param([], None, [], id="nobody"),
    ],
)
def test_it_orders_with_the_default_chain(entries, truth, expected):
    assert order_and_ranks(rank_entries(entries, truth=truth)) == expected


def test_a_chain_without_time_makes_time_irrelevant():
    entries = [entry("slow", "8", used=900), entry("fast", "8", used=300)]
    ranking = rank_entries(entries, chain=[TieBreak.SCORE])
    assert order_and_ranks(ranking) == [("slow", 1), ("fast", 1)]


def test_the_chain_order_is_configurable():
    entries = [entry("high-slow", "9", used=900), entry("low-fast", "5", used=100)]
    ranking = rank_entries(entries, chain=[TieBreak.TIME_USED, TieBreak.SCORE])
    assert [row.entry_id for row in ranking.rows] == ["low-fast", "high-slow"]


def test_positions_run_on_while_ranks_are_shared():
    ranking = rank_entries([entry("a", "1"), entry("b", "1"), entry("c", "0")], chain=[TieBreak.SCORE])
    assert [(row.position, row.rank) for row in ranking.rows] == [(1, 1), (2, 1), (3, 3)]
    assert ranking.rank_of("c") == 3
    assert ranking.ranks == {"a": 1, "b": 1, "c": 3}
    with pytest.raises(KeyError):
        ranking.rank_of("nobody")


def test_an_empty_chain_ties_everyone():
    ranking = rank_entries([entry("a", "1"), entry("b", "9")], chain=[])
    assert order_and_ranks(ranking) == [("a", 1), ("b", 1)]
    assert ranking.reasons[0].is_tie


def test_each_adjacent_pair_says_which_step_decided_and_with_what_values():
    entries = [
        entry("a", "9"),
        entry("b", "8", guess=103, used=500),
        entry("c", "8", guess=97, used=600),
        entry("d", "8", guess=110, used=400, submitted_minute=5),
        entry("e", "8", guess=110, used=400, submitted_minute=7),
        entry("f", "8", guess=110, used=400, submitted_minute=7),
    ]
    ranking = rank_entries(entries, truth=100)
    assert [row.entry_id for row in ranking.rows] == ["a", "b", "c", "d", "e", "f"]
    assert ranking.reasons == (
        PairReason("a", "b", TieBreak.SCORE, Decimal("9"), Decimal("8")),
        PairReason("b", "c", TieBreak.TIME_USED, 500, 600),
        PairReason("c", "d", TieBreak.PREDICTION, Decimal("3"), Decimal("10")),
        PairReason("d", "e", TieBreak.SUBMITTED_AT, T0 + timedelta(minutes=5), T0 + timedelta(minutes=7)),
        PairReason("e", "f", None),
    )
    assert ranking.reasons[-1].is_tie


def test_a_missing_value_is_reported_as_none_in_the_reason():
    ranking = rank_entries([entry("a", "8", guess=100), entry("b", "8")], truth=90)
    assert ranking.reasons[0] == PairReason("a", "b", TieBreak.PREDICTION, Decimal("10"), None)


def test_scores_with_different_decimal_places_are_equal():
    ranking = rank_entries([entry("a", "7.50"), entry("b", "7.5")], chain=[TieBreak.SCORE])
    assert order_and_ranks(ranking) == [("a", 1), ("b", 1)]


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [
        (PairReason("a", "b", TieBreak.SCORE, Decimal("9.5"), Decimal("8")), "Điểm cao hơn (9.5 so với 8)."),
        (
            PairReason("a", "b", TieBreak.PREDICTION, Decimal("3"), None),
            "Dự đoán gần đáp số hơn (lệch 3 so với không có).",
        ),
        (
            PairReason("a", "b", TieBreak.TIME_USED, 500, 600),
            "Thời gian làm bài ít hơn (500 giây so với 600 giây).",
        ),
        (
            PairReason("a", "b", TieBreak.SUBMITTED_AT, T0, T0 + timedelta(seconds=1)),
            "Nộp bài sớm hơn (27/11/2026 09:00:00 so với 27/11/2026 09:00:01).",
        ),
        (PairReason("a", "b", None), "Bằng nhau theo mọi tiêu chí: đồng hạng."),
    ],
)
def test_it_explains_each_reason_in_vietnamese(reason, sentence):
    assert explain(reason) == sentence


def test_a_chain_from_configuration_is_validated():
    assert check_chain(["score", "submitted_at"]) == (TieBreak.SCORE, TieBreak.SUBMITTED_AT)
    assert check_chain([step.value for step in DEFAULT_CHAIN]) == DEFAULT_CHAIN
    with pytest.raises(ValueError, match="không hợp lệ: “speed”"):
        check_chain(["score", "speed"])
    with pytest.raises(ValueError, match="bị lặp lại"):
        check_chain(["score", "score"])


def test_it_ranks_ten_thousand_entries_consistently():
    entries = [
        entry(i, str(i % 50), guess=i % 7, used=i % 13, submitted_minute=i % 11) for i in range(10_000)
    ]
    ranking = rank_entries(entries, truth=3)
    assert len(ranking.rows) == 10_000
    assert len(ranking.reasons) == 9_999
    for row, following, reason in zip(ranking.rows, ranking.rows[1:], ranking.reasons, strict=False):
        assert (following.rank == row.rank) == reason.is_tie
        assert following.rank >= row.rank


def test_rank_changes_list_who_gains_or_loses_points_and_places():
    before = rank_entries(
        [entry("a", "9"), entry("b", "8"), entry("c", "7"), entry("d", "1")], chain=[TieBreak.SCORE]
    )
    after = rank_entries(
        [entry("a", "9"), entry("b", "7"), entry("c", "8.5"), entry("d", "1")], chain=[TieBreak.SCORE]
    )
    changes = rank_changes(before, after)
    assert [(c.entry_id, c.score_delta, c.rank_delta) for c in changes] == [
        ("c", Decimal("1.5"), 1),
        ("b", Decimal("-1"), -1),
    ]


def test_rank_changes_include_entries_that_appear_or_disappear():
    before = rank_entries([entry("a", "9"), entry("gone", "5")], chain=[TieBreak.SCORE])
    after = rank_entries([entry("a", "9"), entry("new", "6")], chain=[TieBreak.SCORE])
    changes = rank_changes(before, after)
    assert [(c.entry_id, c.rank_before, c.rank_after, c.rank_delta) for c in changes] == [
        ("new", None, 2, None),
        ("gone", 2, None, None),
    ]
    assert changes[1].score_delta == Decimal(-5)


def test_no_change_means_an_empty_dry_run():
    ranking = rank_entries([entry("a", "9"), entry("b", "8")])
    assert rank_changes(ranking, rank_entries([entry("a", "9.0"), entry("b", "8")])) == ()
