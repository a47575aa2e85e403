from datetime import UTC, datetime, timedelta

import pytest

from contest.board_policy import (
    BoardMoment,
    BoardRules,
    BoardView,
    BoardVisibility,
    Viewer,
    board_view,
    freeze_starts_at,
)

CLOSE = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
LIVE_PUBLIC = BoardRules("live", BoardVisibility.PUBLIC, freeze_seconds=600)
EXAM_PUBLIC = BoardRules("exam", BoardVisibility.PUBLIC, freeze_seconds=600)
STAFF = (Viewer.ORGANISER, Viewer.JUDGE)
AUDIENCE = (Viewer.CONTESTANT, Viewer.PUBLIC)


def at(minutes_before_close, *, closed=False, published=False, revealed=False):
    return BoardMoment(CLOSE - timedelta(minutes=minutes_before_close), CLOSE, closed, published, revealed)


@pytest.mark.parametrize(
    ("moment", "audience_sees"),
    [
        (at(30), BoardView.LIVE),
        (at(10.01), BoardView.LIVE),
        (at(10), BoardView.FROZEN),  # the freeze starts exactly N minutes before the close
        (at(1), BoardView.FROZEN),
        (at(-5, closed=True), BoardView.FROZEN),  # closed, reveal not finished
        (at(-5, closed=True, published=True), BoardView.FROZEN),
        (at(-20, closed=True, revealed=True), BoardView.FINAL),
    ],
)
def test_in_a_live_round_the_audience_board_freezes_while_staff_keep_seeing_live(moment, audience_sees):
    for viewer in AUDIENCE:
        assert board_view(LIVE_PUBLIC, viewer, moment) is audience_sees
    for viewer in STAFF:
        assert board_view(LIVE_PUBLIC, viewer, moment) is BoardView.LIVE


@pytest.mark.parametrize(
    ("moment", "audience_sees"),
    [
        (at(30), BoardView.PROGRESS),
        (at(5), BoardView.PROGRESS),
        (at(-5, closed=True), BoardView.PROGRESS),  # closed but not published: still no scores
        (at(-60, closed=True, published=True), BoardView.FINAL),
    ],
)
def test_in_an_exam_round_the_audience_sees_only_progress_until_the_judges_publish(moment, audience_sees):
    for viewer in AUDIENCE:
        assert board_view(EXAM_PUBLIC, viewer, moment) is audience_sees
    for viewer in STAFF:
        assert board_view(EXAM_PUBLIC, viewer, moment) is BoardView.LIVE


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        (
            BoardVisibility.HIDDEN,
            {
                Viewer.ORGANISER: "none",
                Viewer.JUDGE: "none",
                Viewer.CONTESTANT: "none",
                Viewer.PUBLIC: "none",
            },
        ),
        (
            BoardVisibility.ORGANISERS,
            {
                Viewer.ORGANISER: "live",
                Viewer.JUDGE: "live",
                Viewer.CONTESTANT: "none",
                Viewer.PUBLIC: "none",
            },
        ),
        (
            BoardVisibility.CONTESTANTS,
            {
                Viewer.ORGANISER: "live",
                Viewer.JUDGE: "live",
                Viewer.CONTESTANT: "live",
                Viewer.PUBLIC: "none",
            },
        ),
        (
            BoardVisibility.PUBLIC,
            {
                Viewer.ORGANISER: "live",
                Viewer.JUDGE: "live",
                Viewer.CONTESTANT: "live",
                Viewer.PUBLIC: "live",
            },
        ),
    ],
)
def test_visibility_decides_who_gets_a_board_at_all(visibility, expected):
    rules = BoardRules("live", visibility)
    assert {viewer: board_view(rules, viewer, at(30)).value for viewer in Viewer} == expected


def test_without_a_freeze_a_live_board_runs_to_the_close_then_shows_the_final_results():
    rules = BoardRules("live", BoardVisibility.PUBLIC)
    assert board_view(rules, Viewer.PUBLIC, at(0.5)) is BoardView.LIVE
    assert board_view(rules, Viewer.PUBLIC, at(-1, closed=True)) is BoardView.FINAL


def test_a_round_without_a_known_close_cannot_freeze():
    moment = BoardMoment(CLOSE, None, closed=False)
    assert freeze_starts_at(LIVE_PUBLIC, None) is None
    assert board_view(LIVE_PUBLIC, Viewer.PUBLIC, moment) is BoardView.LIVE


def test_the_freeze_starts_n_seconds_before_the_close():
    assert freeze_starts_at(LIVE_PUBLIC, CLOSE) == CLOSE - timedelta(minutes=10)
    assert freeze_starts_at(BoardRules("live", BoardVisibility.PUBLIC, 0), CLOSE) is None
