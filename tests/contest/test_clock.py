"""The round clock: scheduled transitions, overdue attempts, and the single-holder lease."""

import threading

import pytest
from django.utils import timezone

from contest import clock
from contest.models import Attempt, Round
from contest.services import entry
from contest.services import rounds as round_services
from tests.contest.rounds_helpers import at, exam_round

pytestmark = pytest.mark.django_db


def test_a_tick_opens_due_rounds_submits_overdue_attempts_and_closes_finished_rounds(
    edition, organiser, contestant
):
    round_ = round_services.schedule_round(
        round_=exam_round(edition, closes_at=at(100)), actor=organiser, now=at(-60)
    )
    assert clock.tick(now=at(-1))["opened"] == 0
    assert clock.tick(now=at(0))["opened"] == 1
    entry.enter_round(round_=Round.objects.get(pk=round_.pk), registration=contestant, now=at(5))
    assert clock.tick(now=at(102)) == {
        "opened": 0,
        "submitted": 0,
        "closed": 0,
        "questions_closed": 0,
    }  # inside the grace
    assert clock.tick(now=at(103.5)) == {"opened": 0, "submitted": 1, "closed": 1, "questions_closed": 0}
    assert Round.objects.get(pk=round_.pk).state == Round.State.CLOSED
    assert Attempt.objects.get(round=round_, registration=contestant).submit_reason == "deadline"


def test_a_round_stays_open_for_a_contestant_extended_past_the_window(edition, organiser, contestant):
    round_ = round_services.start_round(
        round_=exam_round(edition, closes_at=at(100)), actor=organiser, now=at(0)
    )
    attempt = entry.enter_round(round_=round_, registration=contestant, now=at(0))
    round_services.extend_attempt(
        round_=round_, attempt_id=attempt.pk, minutes=1, actor=organiser, now=at(50)
    )
    assert clock.tick(now=at(110))["closed"] == 0
    assert clock.tick(now=at(164)) == {"opened": 0, "submitted": 1, "closed": 1, "questions_closed": 0}


def test_only_one_clock_holds_the_lease_until_it_expires():
    assert clock.acquire_lease("a", now=at(0), seconds=10)
    assert not clock.acquire_lease("b", now=at(5), seconds=10)
    assert clock.acquire_lease("a", now=at(8), seconds=10)  # renewal
    assert not clock.acquire_lease("b", now=at(17), seconds=10)
    assert clock.acquire_lease("b", now=at(18.5), seconds=10)  # the standby takes over
    clock.release_lease("b")
    assert clock.acquire_lease("a", now=at(19), seconds=10)


def test_last_tick_lag_reads_the_active_clock():
    assert clock.last_tick_lag(now=at(0)) is None
    clock.acquire_lease("a", now=at(0))
    clock.mark_tick("a", now=at(0))
    assert clock.last_tick_lag(now=at(2.5)) == 2.5


@pytest.mark.django_db(transaction=True)
def test_the_loop_stops_cleanly_and_releases_its_lease():
    stop = threading.Event()
    thread = threading.Thread(target=clock.run, args=(stop,), kwargs={"holder": "t1", "tick_seconds": 0.01})
    thread.start()
    for _ in range(500):
        if clock.last_tick_lag() is not None:
            break
        stop.wait(0.01)
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert clock.acquire_lease("other", now=timezone.now())
