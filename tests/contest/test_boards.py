"""Who sees what on a scoreboard, and when: the freeze per role, and the reveal. Pure, no DB."""

from datetime import UTC, datetime, timedelta

import pytest

from contest import boards
from contest.boards import Audience, Show

CLOSE = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
BEFORE_FREEZE = CLOSE - timedelta(minutes=20)
IN_FREEZE = CLOSE - timedelta(minutes=5)
AFTER_CLOSE = CLOSE + timedelta(minutes=5)
STAFF, CONTESTANT, PUBLIC = Audience.STAFF, Audience.CONTESTANT, Audience.PUBLIC


def show(audience, *, visibility="public", mode="live", now=BEFORE_FREEZE, freeze=10, **flags):
    return boards.what_to_show(
        audience=audience,
        visibility=visibility,
        mode=mode,
        closes_at=CLOSE,
        freeze_minutes=freeze,
        now=now,
        **flags,
    )


@pytest.mark.parametrize(
    ("audience", "now", "expected"),
    [
        (STAFF, BEFORE_FREEZE, Show.LIVE),
        (STAFF, IN_FREEZE, Show.LIVE),
        (STAFF, AFTER_CLOSE, Show.LIVE),
        (CONTESTANT, BEFORE_FREEZE, Show.LIVE),
        (CONTESTANT, IN_FREEZE, Show.FROZEN),
        (CONTESTANT, AFTER_CLOSE, Show.FROZEN),
        (PUBLIC, BEFORE_FREEZE, Show.LIVE),
        (PUBLIC, IN_FREEZE, Show.FROZEN),
        (PUBLIC, AFTER_CLOSE, Show.FROZEN),
    ],
)
def test_the_freeze_stops_the_public_and_contestants_but_never_staff(audience, now, expected):
    assert show(audience, now=now) is expected


def test_the_freeze_begins_exactly_n_minutes_before_the_close():
    assert show(PUBLIC, now=CLOSE - timedelta(minutes=10, microseconds=1)) is Show.LIVE
    assert show(PUBLIC, now=CLOSE - timedelta(minutes=10)) is Show.FROZEN


def test_no_freeze_or_no_close_means_live_until_the_end():
    assert show(PUBLIC, now=AFTER_CLOSE, freeze=0) is Show.LIVE
    assert (
        boards.what_to_show(
            audience=PUBLIC,
            visibility="public",
            mode="live",
            closes_at=None,
            freeze_minutes=10,
            now=IN_FREEZE,
        )
        is Show.LIVE
    )


@pytest.mark.parametrize(
    ("visibility", "staff", "contestant", "public"),
    [
        ("hidden", Show.NOTHING, Show.NOTHING, Show.NOTHING),
        ("organisers", Show.LIVE, Show.NOTHING, Show.NOTHING),
        ("contestants", Show.LIVE, Show.LIVE, Show.NOTHING),
        ("public", Show.LIVE, Show.LIVE, Show.LIVE),
    ],
)
def test_visibility_decides_who_sees_a_board_at_all(visibility, staff, contestant, public):
    assert [show(a, visibility=visibility) for a in (STAFF, CONTESTANT, PUBLIC)] == [
        staff,
        contestant,
        public,
    ]


@pytest.mark.parametrize("now", [BEFORE_FREEZE, IN_FREEZE, AFTER_CLOSE])
def test_during_an_exam_contestants_and_the_public_see_progress_only(now):
    assert show(CONTESTANT, mode="exam", now=now) is Show.PROGRESS
    assert show(PUBLIC, mode="exam", now=now) is Show.PROGRESS
    assert show(STAFF, mode="exam", now=now) is Show.LIVE


def test_published_scores_are_shown_and_the_reveal_wins_over_everything():
    assert show(PUBLIC, mode="exam", published=True) is Show.LIVE
    assert show(PUBLIC, mode="exam", now=AFTER_CLOSE, revealing=True) is Show.REVEAL
    assert show(PUBLIC, visibility="organisers", revealing=True) is Show.NOTHING


def rows(*pairs):
    return [{"id": entry_id, "score": score, "rank": rank} for rank, (entry_id, score) in enumerate(pairs, 1)]


FROZEN = rows(("a", "5"), ("b", "4"), ("c", "3"), ("d", "2"))
FINAL = rows(("c", "9"), ("a", "7"), ("d", "6"), ("b", "4"))


def test_the_reveal_starts_from_the_frozen_board():
    board = boards.reveal_board(FROZEN, FINAL, 0)
    assert [(r["id"], r["score"], r["revealed"]) for r in board["rows"]] == [
        ("a", "5", False),
        ("b", "4", False),
        ("c", "3", False),
        ("d", "2", False),
    ]
    assert board["next_id"] == "b" and not board["done"] and board["podium"] is None


def test_each_step_reveals_the_next_final_row_from_the_bottom():
    board = boards.reveal_board(FROZEN, FINAL, 2)
    assert [(r["id"], r["score"], r["revealed"]) for r in board["rows"]] == [
        ("a", "5", False),
        ("c", "3", False),
        ("d", "6", True),
        ("b", "4", True),
    ]
    assert board["next_id"] == "a"


def test_the_reveal_ends_on_the_podium():
    board = boards.reveal_board(FROZEN, FINAL, 99)
    assert board["done"] and board["step"] == 4
    assert [r["id"] for r in board["rows"]] == ["c", "a", "d", "b"]
    assert [r["id"] for r in board["podium"]] == ["c", "a", "d"]


def test_someone_who_entered_after_the_freeze_has_no_score_until_revealed():
    board = boards.reveal_board(FROZEN[:3], FINAL, 1)
    late = next(r for r in board["rows"] if r["id"] == "d")
    assert late["score"] is None and late["revealed"] is False
