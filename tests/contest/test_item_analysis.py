from decimal import Decimal

import pytest

from contest.item_analysis import (
    ItemFlag,
    ItemKey,
    ItemResponse,
    OptionCount,
    analyse_items,
    group_size,
)

D = Decimal
ABCD = ("A", "B", "C", "D")
# Ten contestants c0 … c9, c0 strongest (total 10) down to c9 (total 1): groups of 3.
TOTALS = {f"c{i}": D(10 - i) for i in range(10)}


def answers(question, key, choices):
    """One response per contestant, c0 first; a choice of "" is a blank."""
    return [
        ItemResponse(f"c{i}", question, D(1) if choice and set(choice) == key else D(0), frozenset(choice))
        for i, choice in enumerate(choices)
    ]


def stats_for(choices, key=frozenset("A"), options=ABCD):
    (stats,) = analyse_items([ItemKey("q", options, key)], answers("q", key, choices), TOTALS)
    return stats


@pytest.mark.parametrize(
    ("responses", "size"), [(0, 0), (1, 0), (2, 1), (3, 1), (4, 1), (10, 3), (100, 27), (250, 68)]
)
def test_groups_are_27_percent_and_never_overlap(responses, size):
    assert group_size(responses) == size


def test_a_good_question_discriminates_and_is_not_flagged():
    stats = stats_for(["A", "A", "A", "A", "B", "A", "C", "B", "D", ""])
    assert stats.responses == 10
    assert stats.facility == D("50.00")
    assert stats.correct_rate == D("50.00")
    assert stats.group_size == 3
    assert stats.discrimination == D("1.00")
    assert stats.flags == frozenset()
    assert stats.options == (
        OptionCount("A", True, overall=5, upper=3, lower=0),
        OptionCount("B", False, overall=2, upper=0, lower=1),
        OptionCount("C", False, overall=1, upper=0, lower=0),
        OptionCount("D", False, overall=1, upper=0, lower=1),
    )
    assert stats.blank == OptionCount("", False, overall=1, upper=0, lower=1)


def test_weak_contestants_doing_better_is_flagged_as_negative_discrimination():
    stats = stats_for(["B", "B", "A", "B", "A", "A", "B", "A", "A", "A"])
    assert stats.discrimination == D("-0.67")
    assert ItemFlag.NEGATIVE_DISCRIMINATION in stats.flags


def test_a_distractor_beating_the_key_in_the_upper_group_is_flagged():
    stats = stats_for(["C", "C", "A", "A", "A", "B", "B", "B", "D", "D"])
    assert stats.options[2] == OptionCount("C", False, overall=2, upper=2, lower=0)
    assert ItemFlag.DISTRACTOR_BEATS_KEY in stats.flags
    assert ItemFlag.NEGATIVE_DISCRIMINATION not in stats.flags


def test_with_several_keys_a_distractor_must_beat_every_key_option_to_be_flagged():
    key = frozenset("AB")
    tied = stats_for(["AB", "AC", "C", "", "", "", "", "", "", ""], key=key)
    assert [o.upper for o in tied.options] == [2, 1, 2, 0]
    assert ItemFlag.DISTRACTOR_BEATS_KEY not in tied.flags
    beaten = stats_for(["C", "AC", "C", "", "", "", "", "", "", ""], key=key)
    assert ItemFlag.DISTRACTOR_BEATS_KEY in beaten.flags


def test_partial_credit_counts_in_facility_but_not_as_fully_correct():
    responses = [ItemResponse(f"c{i}", "essay", D("0.5")) for i in range(4)]
    (stats,) = analyse_items([ItemKey("essay")], responses, TOTALS)
    assert stats.facility == D("50.00")
    assert stats.correct_rate == D("0.00")
    assert stats.options == ()
    assert stats.discrimination == D("0.00")


def test_only_contestants_given_the_question_count_and_groups_are_formed_among_them():
    responses = [
        ItemResponse("c0", "q", D(0), frozenset("B")),
        ItemResponse("c5", "q", D(1), frozenset("A")),
        ItemResponse("c9", "q", D(1), frozenset("A")),
    ]
    (stats,) = analyse_items([ItemKey("q", ABCD, frozenset("A"))], responses, TOTALS)
    assert stats.responses == 3
    assert stats.group_size == 1
    assert stats.discrimination == D("-1.00")


def test_a_question_nobody_answered_has_no_figures_and_no_flags():
    (stats,) = analyse_items([ItemKey("q", ABCD, frozenset("A"))], [], TOTALS)
    assert (stats.responses, stats.facility, stats.correct_rate, stats.discrimination) == (
        0,
        None,
        None,
        None,
    )
    assert stats.flags == frozenset()


def test_equal_totals_at_the_group_edge_are_split_reproducibly():
    totals = {"x": D(5), "y": D(5), "z": D(5), "w": D(5)}
    responses = [
        ItemResponse(cid, "q", D(cid in "xz"), frozenset("A" if cid in "xz" else "B")) for cid in "zyxw"
    ]
    first = analyse_items([ItemKey("q", ABCD, frozenset("A"))], responses, totals)
    second = analyse_items([ItemKey("q", ABCD, frozenset("A"))], list(reversed(responses)), totals)
    assert first == second


def test_results_follow_the_order_of_the_keys():
    keys = [ItemKey("q2"), ItemKey("q1")]
    responses = [ItemResponse("c0", "q1", D(1)), ItemResponse("c0", "q2", D(0))]
    assert [s.question_id for s in analyse_items(keys, responses, TOTALS)] == ["q2", "q1"]


def test_flags_explain_themselves_in_vietnamese():
    assert "kiểm tra lại đáp án" in ItemFlag.NEGATIVE_DISCRIMINATION.label
    assert "phương án nhiễu" in ItemFlag.DISTRACTOR_BEATS_KEY.label
