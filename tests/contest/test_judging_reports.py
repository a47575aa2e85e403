"""Judging reports: item-analysis flags from effective scores, sheets in the contestant's order."""

import pytest

from contest import judging_reports
from contest.item_analysis import ItemFlag
from contest.services import keyfixes
from tests.contest.judging_helpers import judged_round
from tests.contest.rounds_helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(edition, organiser):
    # The strong pick "b" on the third question, the weak pick the key "a": a likely key error.
    return judged_round(
        edition, organiser, [["a", "a", "b"], ["a", "a", "b"], ["b", "b", "a"], ["c", "b", "a"]]
    )


def report_for(setup, question):
    version = setup.attempt(0).paper["slots"][setup.slot_of(setup.attempt(0), question)]["version_id"]
    return next(row for row in judging_reports.item_report(setup.round) if row["version_id"] == version)


def test_a_distractor_beating_the_key_in_the_top_group_is_flagged(setup):
    row = report_for(setup, setup.questions[2])
    assert row["stats"].flags == {ItemFlag.DISTRACTOR_BEATS_KEY, ItemFlag.NEGATIVE_DISCRIMINATION}
    assert row["flags"]
    assert report_for(setup, setup.questions[0])["stats"].flags == frozenset()


def test_after_the_key_fix_the_flags_clear(setup, head_judge):
    version = setup.attempt(0).paper["slots"][setup.slot_of(setup.attempt(0), setup.questions[2])][
        "version_id"
    ]
    keyfixes.fix_key(
        round_=setup.round, version_id=version, kind="correct", key=["b"], reason="Đáp án đúng là b",
        actor=head_judge, now=at(4000), apply=True,
    )  # fmt: skip
    assert report_for(setup, setup.questions[2])["stats"].flags == frozenset()


def test_the_sheet_lists_options_in_the_contestants_order_with_their_letters(setup):
    attempt = setup.attempt(0)
    sheet = judging_reports.sheet(attempt)
    for question, slot in zip(sheet["questions"], attempt.paper["slots"], strict=True):
        if slot["qtype"] == "single":
            texts = [str(o["html"]) for o in question["options"]]
            labels = {"a": "Ctrl+S", "b": "Ctrl+P", "c": "Ctrl+Z"}
            assert texts == [labels[option] for option in slot["option_order"]]
            assert [o["letter"] for o in question["options"]] == ["A", "B", "C"]
            assert sum(o["key"] for o in question["options"]) == 1


def test_a_sheet_without_the_key_marks_no_option_as_key(setup):
    sheet = judging_reports.sheet(setup.attempt(0), with_key=False)
    assert not any(o["key"] for q in sheet["questions"] for o in q["options"])
