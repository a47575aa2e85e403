"""The round state table: every allowed transition, and everything else refused."""

import pytest

from contest import states as s

ALLOWED = [
    (s.DRAFT, s.SCHEDULE, s.SCHEDULED),
    (s.SCHEDULED, s.UNSCHEDULE, s.DRAFT),
    (s.DRAFT, s.START, s.OPEN),
    (s.SCHEDULED, s.START, s.OPEN),
    (s.OPEN, s.PAUSE, s.PAUSED),
    (s.PAUSED, s.RESUME, s.OPEN),
    (s.OPEN, s.CLOSE, s.CLOSED),
    (s.PAUSED, s.CLOSE, s.CLOSED),
    (s.SCHEDULED, s.CLOSE, s.CLOSED),
]
ACTIONS = [s.SCHEDULE, s.UNSCHEDULE, s.START, s.PAUSE, s.RESUME, s.CLOSE, s.RESET]


@pytest.mark.parametrize(("state", "action", "target"), ALLOWED)
def test_it_allows_the_transitions_of_the_table(state, action, target):
    assert s.round_transition(state, action) == target


@pytest.mark.parametrize("state", s.ROUND_STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_it_refuses_every_transition_outside_the_table(state, action):
    if (state, action) in {(a, b) for a, b, _ in ALLOWED}:
        return
    with pytest.raises(s.TransitionRefused):
        s.round_transition(state, action)


def test_it_resets_only_practice_rounds():
    assert s.round_transition(s.CLOSED, s.RESET, practice=True) == s.DRAFT
    with pytest.raises(s.TransitionRefused):
        s.round_transition(s.CLOSED, s.RESET, practice=False)


def test_it_lists_the_actions_an_organiser_may_take_now():
    assert s.allowed_round_actions(s.OPEN) == [s.PAUSE, s.CLOSE]
    assert s.allowed_round_actions(s.CLOSED) == []
    assert s.allowed_round_actions(s.CLOSED, practice=True) == [s.RESET]


@pytest.mark.parametrize(
    ("state", "action", "target"),
    [
        (s.Q_PENDING, s.OPEN_QUESTION, s.Q_OPEN),
        (s.Q_OPEN, s.CLOSE_QUESTION, s.Q_CLOSED),
        (s.Q_CLOSED, s.REOPEN_QUESTION, s.Q_OPEN),
        (s.Q_CLOSED, s.REVEAL, s.Q_REVEALED),
        (s.Q_REVEALED, s.SHOW_LEADERBOARD, s.Q_LEADERBOARD),
        (s.Q_LEADERBOARD, s.NEXT_QUESTION, s.Q_PENDING),
        (s.Q_REVEALED, s.NEXT_QUESTION, s.Q_PENDING),
    ],
)
def test_it_moves_a_live_question_through_its_states(state, action, target):
    assert s.question_transition(state, action) == target


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (s.Q_PENDING, s.REVEAL),
        (s.Q_OPEN, s.REVEAL),
        (s.Q_OPEN, s.NEXT_QUESTION),
        (s.Q_LEADERBOARD, s.REOPEN_QUESTION),
    ],
)
def test_it_refuses_live_question_steps_out_of_order(state, action):
    with pytest.raises(s.TransitionRefused):
        s.question_transition(state, action)


@pytest.mark.parametrize(("state", "accepts"), [(st, st == s.OPEN) for st in s.ROUND_STATES])
def test_answers_and_entry_are_accepted_only_while_open(state, accepts):
    assert s.accepts_answers(state) is accepts
    assert s.accepts_entry(state) is accepts


def test_a_closed_round_can_only_be_reset():
    assert [a for (src, a) in s.ROUND_TRANSITIONS if src == s.CLOSED] == [s.RESET]
