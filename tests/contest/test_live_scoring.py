"""Table tests for live-round points: fixed, speed-weighted with latency correction, streaks."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from contest import live_scoring as ls

T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("received_after", "rtt", "expected"),
    [
        (5.0, 0.0, 5.0),  # no network delay measured
        (5.0, 0.4, 4.6),  # both legs of a 0.4 s round trip are given back
        (0.3, 0.6, 0.0),  # never below zero
        (12.0, 9.0, 10.0),  # a claimed 9 s round trip is capped at 2 s
        (3.0, -1.0, 3.0),  # a nonsense negative round trip counts as none
    ],
)
def test_thinking_time_subtracts_the_measured_round_trip(received_after, rtt, expected):
    seconds = ls.thinking_seconds(
        sent_at=T0, received_at=T0 + timedelta(seconds=received_after), rtt_seconds=rtt
    )
    assert seconds == pytest.approx(expected)


@pytest.mark.parametrize(
    ("fraction", "scoring", "seconds", "limit", "streak", "bonus", "expected"),
    [
        (1.0, ls.FIXED, 7.0, 20, 0, False, "10.00"),  # fixed ignores speed
        (0.0, ls.FIXED, 1.0, 20, 3, True, "0.00"),  # wrong: nothing, no streak bonus
        (None, ls.SPEED, 1.0, 20, 0, False, None),  # waits for a judge
        (1.0, ls.SPEED, 0.0, 20, 0, False, "10.00"),  # instant: full points
        (1.0, ls.SPEED, 10.0, 20, 0, False, "7.50"),  # half the time: 75 %
        (1.0, ls.SPEED, 20.0, 20, 0, False, "5.00"),  # at the limit: 50 %
        (1.0, ls.SPEED, 23.0, 20, 0, False, "5.00"),  # in the grace: still 50 %, never less
        (0.5, ls.SPEED, 10.0, 20, 0, False, "3.75"),  # partly right: the same share of half
        (1.0, ls.SPEED, 5.0, 0, 0, False, "10.00"),  # no limit: speed cannot be measured
        (1.0, ls.FIXED, 2.0, 20, 2, True, "12.00"),  # two right before: +20 %
        (1.0, ls.FIXED, 2.0, 20, 9, True, "15.00"),  # the bonus stops at +50 %
        (0.5, ls.FIXED, 2.0, 20, 4, True, "5.00"),  # partly right: no streak bonus
        (1.0, ls.FIXED, 2.0, 20, 4, False, "10.00"),  # bonus switched off
        (1.0, ls.SPEED, 10.0, 20, 1, True, "8.50"),  # 75 % + 10 %
    ],
)
def test_answer_points(fraction, scoring, seconds, limit, streak, bonus, expected):
    points = ls.answer_points(
        fraction=fraction,
        points=Decimal("10"),
        scoring=scoring,
        seconds=seconds,
        limit_seconds=limit,
        streak=streak,
        streak_bonus=bonus,
    )
    assert points == (None if expected is None else Decimal(expected))


def test_a_slow_network_is_not_a_penalty():
    """Two contestants think for 4 s; one sits behind a 1.2 s round trip."""
    fast = ls.thinking_seconds(sent_at=T0, received_at=T0 + timedelta(seconds=4.05), rtt_seconds=0.05)
    slow = ls.thinking_seconds(sent_at=T0, received_at=T0 + timedelta(seconds=5.2), rtt_seconds=1.2)
    assert fast == pytest.approx(slow)
    assert ls.answer_points(
        fraction=1.0, points=Decimal(10), scoring=ls.SPEED, seconds=fast, limit_seconds=20
    ) == ls.answer_points(fraction=1.0, points=Decimal(10), scoring=ls.SPEED, seconds=slow, limit_seconds=20)


def answered(*fractions, speed="1", voided=()):
    return [
        ls.Answered(fraction=f, speed=Decimal(speed), voided=i in voided) for i, f in enumerate(fractions)
    ]


TEN = [Decimal(10)] * 4


@pytest.mark.parametrize(
    ("questions", "bonus", "expected"),
    [
        (answered(1.0, 1.0, 1.0, 1.0), False, ["10.00", "10.00", "10.00", "10.00"]),
        (answered(1.0, 1.0, 1.0, 1.0), True, ["10.00", "11.00", "12.00", "13.00"]),
        # A wrong or unanswered question breaks the streak; the next one starts again.
        (answered(1.0, 0.0, 1.0, 1.0), True, ["10.00", "0.00", "10.00", "11.00"]),
        (answered(1.0, None, 1.0, 1.0), True, ["10.00", None, "10.00", "11.00"]),
        # A voided question neither counts nor breaks.
        (answered(1.0, 0.0, 1.0, 1.0, voided={1}), True, ["10.00", None, "11.00", "12.00"]),
        # The kept speed factor still weighs the (regraded) answer; the bonus comes on top.
        (answered(1.0, 1.0, 0.5, 0.0, speed="0.8"), True, ["8.00", "9.00", "4.00", "0.00"]),
    ],
)
def test_a_regrade_recounts_streaks_and_keeps_each_answer_s_speed(questions, bonus, expected):
    points = ls.regraded_points(questions, TEN, streak_bonus=bonus)
    assert points == [None if e is None else Decimal(e) for e in expected]


def test_with_the_streak_bonus_the_maximum_counts_the_best_streak_each_question_can_carry():
    points = [Decimal(10)] * 8
    assert sum(ls.attainable_points(points, streak_bonus=False)) == Decimal(80)
    # +0 %, +10 %, … +50 % from the sixth question on: 10+11+12+13+14+15+15+15.
    assert sum(ls.attainable_points(points, streak_bonus=True)) == Decimal(105)
    perfect = ls.regraded_points(answered(*[1.0] * 8), points, streak_bonus=True)
    assert sum(perfect) == sum(ls.attainable_points(points, streak_bonus=True))
    # A voided question is no step of a streak: the one after it carries +10 %, not +20 %.
    assert ls.attainable_points(points[:3], streak_bonus=True, voided=[False, True, False])[2] == Decimal(11)
