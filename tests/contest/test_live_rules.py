"""Table tests for the pure rules of live rounds (contest.live)."""

from decimal import Decimal

import pytest

from contest import live

OPTIONS = {"options": [{"id": "a", "html": "A", "fraction": 1.0}, {"id": "b", "html": "B", "fraction": 0.0}]}


@pytest.mark.parametrize(
    ("state", "index", "slot", "answered", "expected"),
    [
        ("open", 2, 2, False, None),
        ("open", 2, 1, False, live.QUESTION_CLOSED),  # an earlier question
        ("closed", 2, 2, False, live.QUESTION_CLOSED),
        ("", None, 0, False, live.QUESTION_CLOSED),  # nothing shown yet
        ("open", None, 0, False, None),  # the first question, index not yet written
        ("open", 2, 2, True, live.ANSWERED),
    ],
)
def test_which_answers_a_live_round_takes(state, index, slot, answered, expected):
    assert (
        live.answer_refusal(question_state=state, index=index, slot=slot, answered_this_opening=answered)
        == expected
    )


@pytest.mark.parametrize(
    ("slot", "default", "override", "expected"),
    [
        ({"time_limit": 45}, 30, None, 45),
        ({"time_limit": None}, 30, None, 30),
        ({}, 30, 12, 12),
        ({}, 2, None, 5),
    ],
)
def test_a_question_time_limit_comes_from_the_host_the_paper_or_the_round(slot, default, override, expected):
    assert live.question_seconds(slot, default=default, override=override) == expected


@pytest.mark.parametrize(
    ("qtype", "definition", "responses", "correct", "counts", "text"),
    [
        ("single", OPTIONS, [{"choice": "a"}, {"choice": "b"}, {"choice": "a"}], ["a"], {"a": 2, "b": 1}, ""),
        ("multiple", OPTIONS, [{"choices": ["a", "b"]}], ["a"], {"a": 1, "b": 1}, ""),
        ("truefalse", {"correct": False}, [{"value": False}], ["false"], {"true": 0, "false": 1}, ""),
        ("short", {"answers": [{"text": "Hà Nội", "fraction": 1.0}]}, [{"text": "x"}], [], {}, "Hà Nội"),
        ("numeric", {"answers": [{"value": 3.14, "fraction": 1.0}]}, [], [], {}, "3,14"),
    ],
)
def test_the_reveal_counts_choices_and_names_the_right_answer(
    qtype, definition, responses, correct, counts, text
):
    ids = [o["id"] for o in live.choice_options(qtype, {"options": definition.get("options", [])})]
    assert live.correct_keys(qtype, definition) == correct
    assert live.distribution(qtype, responses, ids) == counts
    assert live.answer_text(qtype, definition) == text


def test_ranks_are_shared_on_ties_and_team_scores_follow_the_play():
    rows = live.ranked(
        [live.Standing(1, "B", "", "", Decimal(5)), live.Standing(2, "A", "", "", Decimal(5)),
         live.Standing(3, "C", "", "", Decimal(9)), live.Standing(4, "D", "", "", Decimal(1))]
    )  # fmt: skip
    assert [(row["name"], row["rank"]) for row in rows] == [("C", 1), ("A", 2), ("B", 2), ("D", 4)]
    scores = [Decimal(3), Decimal(4)]
    assert live.team_score(scores, captain_score=Decimal(3), play="captain") == Decimal(3)
    assert live.team_score(scores, captain_score=None, play="captain") == Decimal("0.00")
    assert live.team_score(scores, captain_score=None, play="mean") == Decimal("3.50")
