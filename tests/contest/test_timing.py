"""Timing rules as pure functions, with dense boundary cases. Time is always passed in."""

from datetime import UTC, datetime, timedelta

import pytest

from contest import timing as t

T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def clock(**fields) -> t.RoundClock:
    defaults = {"started_at": T0, "duration_seconds": 1800, "closes_at": at(3600), "grace_seconds": 3.0}
    return t.RoundClock(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("now", "accepted"),
    [
        (at(1799), True),
        (at(1800), True),  # at the deadline
        (at(1801.5), True),  # inside the grace
        (at(1803), True),  # the last instant of the grace
        (at(1803.001), False),  # just after
        (at(1900), False),
    ],
)
def test_it_accepts_answers_up_to_the_deadline_plus_grace(now, accepted):
    deadline = at(1800)
    assert t.accepts_answer_at(deadline, grace_seconds=3.0, now=now) is accepted
    assert t.is_overdue(deadline, grace_seconds=3.0, now=now) is not accepted


def test_it_accepts_every_answer_without_a_deadline():
    assert t.accepts_answer_at(None, grace_seconds=0, now=at(10**6))


@pytest.mark.parametrize(
    ("fields", "entered", "attempt", "deadline"),
    [
        # Personal timer: from entry, for the duration.
        ({}, at(0), {}, at(1800)),
        ({}, at(600), {}, at(2400)),
        # ...never past the window's close.
        ({}, at(2000), {}, at(3600)),
        # Synchronous: everyone's clock runs from the round's start.
        ({"timing": t.SYNCHRONOUS}, at(30), {}, at(1800)),
        # Personal pauses and extensions are added.
        ({}, at(0), {"paused_seconds": 120, "extension_seconds": 300}, at(2220)),
        # Round-level pauses and extensions shift a synchronous clock and the window.
        ({"timing": t.SYNCHRONOUS, "paused_seconds": 120, "extension_seconds": 60}, at(0), {}, at(1980)),
        ({"paused_seconds": 600, "extension_seconds": 0}, at(2500), {}, at(4200)),
        # A personal extension carries its contestant past the window.
        ({}, at(2000), {"extension_seconds": 300}, at(3900)),
        # No duration: until the window closes.
        ({"duration_seconds": None}, at(100), {}, at(3600)),
        ({"duration_seconds": None, "closes_at": None}, at(100), {}, None),
        ({"closes_at": None}, at(100), {}, at(1900)),
        # Late entry with the remaining time only: anchored at the start.
        ({"late_entry": t.LATE_REMAINING, "late_entry_minutes": 10}, at(500), {}, at(1800)),
        # Late entry with the full duration: from entry even in a synchronous round...
        ({"timing": t.SYNCHRONOUS, "late_entry": t.LATE_FULL}, at(500), {}, at(2300)),
        # ...but an on-time entrant of a synchronous round is on the shared clock.
        ({"timing": t.SYNCHRONOUS, "late_entry": t.LATE_FULL}, at(60), {}, at(1800)),
        ({"timing": t.SYNCHRONOUS, "late_entry": t.LATE_FULL}, at(61), {}, at(1861)),
    ],
)
def test_it_computes_the_attempt_deadline(fields, entered, attempt, deadline):
    ac = t.AttemptClock(entered_at=entered, **attempt)
    assert t.attempt_deadline(clock(**fields), ac) == deadline


@pytest.mark.parametrize(
    ("fields", "close"),
    [
        ({}, at(3600)),
        ({"paused_seconds": 90.5}, at(3690.5)),
        ({"extension_seconds": 300}, at(3900)),
        ({"closes_at": None}, None),
    ],
)
def test_the_window_close_moves_with_pauses_and_extensions(fields, close):
    assert t.effective_close(clock(**fields)) == close


@pytest.mark.parametrize(
    ("now", "paused_at", "remaining"),
    [
        (at(0), None, 1800.0),
        (at(1799.5), None, 0.5),
        (at(1800), None, 0.0),
        (at(1900), None, 0.0),
        (at(1500), at(1000), 800.0),  # paused: the clock stands still
    ],
)
def test_it_computes_remaining_time(now, paused_at, remaining):
    assert t.remaining_seconds(at(1800), now=now, paused_at=paused_at) == remaining
    assert t.remaining_seconds(None, now=now) is None


@pytest.mark.parametrize(
    ("kwargs", "used"),
    [
        ({"now": at(100)}, 100.0),
        ({"now": at(100), "paused_seconds": 30}, 70.0),
        ({"now": at(500), "submitted_at": at(200), "paused_seconds": 50}, 150.0),
        ({"now": at(500), "paused_at": at(300), "paused_seconds": 50}, 250.0),
        ({"now": at(5), "paused_seconds": 50}, 0.0),
    ],
)
def test_time_used_is_net_of_pauses(kwargs, used):
    assert t.time_used_seconds(started_at=T0, **kwargs) == used


@pytest.mark.parametrize(
    ("fields", "now", "refusal"),
    [
        ({"late_entry": t.LATE_NONE}, at(60), None),
        ({"late_entry": t.LATE_NONE}, at(60.5), "late"),
        ({"late_entry": t.LATE_NONE, "paused_seconds": 30}, at(90), None),
        ({"late_entry": t.LATE_REMAINING, "late_entry_minutes": 10}, at(600), None),
        ({"late_entry": t.LATE_REMAINING, "late_entry_minutes": 10}, at(601), "late"),
        ({"late_entry": t.LATE_FULL}, at(3599), None),
        ({"late_entry": t.LATE_FULL}, at(3600), "closed"),
        ({"late_entry": t.LATE_FULL, "extension_seconds": 60}, at(3600), None),
        ({"late_entry": t.LATE_NONE, "started_at": None}, at(10**4 - 7000), None),
    ],
)
def test_it_applies_the_late_entry_policy(fields, now, refusal):
    assert t.entry_refusal(clock(**fields), now=now) == refusal


def test_round_clock_reads_a_round_like_object():
    class FakeRound:
        timing = t.SYNCHRONOUS
        duration_seconds = 60
        closes_at = None
        started_at = T0
        paused_at = None
        paused_seconds = 0.0
        extension_seconds = 0
        late_entry = t.LATE_NONE
        late_entry_minutes = 0
        grace_seconds = 2.0
        unrelated = "ignored"

    rc = t.RoundClock.of(FakeRound())
    assert rc.grace_seconds == 2.0 and rc.timing == t.SYNCHRONOUS


def test_a_live_question_deadline_adds_its_seconds():
    assert t.question_deadline(T0, 20) == at(20)
    assert t.question_deadline(T0, 20, 5) == at(25)
