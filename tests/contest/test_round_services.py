"""Round lifecycle services: state, compare-and-swap, audit rows and published events."""

import pytest

from contest import events, snapshots
from contest.models import Attempt, AuditLog, Round
from contest.services import entry
from contest.services import rounds as services
from contest.services.errors import Conflict, NotAllowed
from quizzes.models import QuestionVersion
from tests.contest.rounds_helpers import at, exam_round, published_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def oncommit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def round_(edition, contestant, other_contestant):
    return exam_round(edition)


def test_it_starts_a_round_builds_every_paper_and_freezes_the_versions(round_, organiser, oncommit):
    with published_events(oncommit) as published:
        started = services.start_round(round_=round_, actor=organiser, now=at(0))
    assert started.state == Round.State.OPEN and started.started_at == at(0)
    assert started.state_version == round_.state_version + 1
    assert Attempt.objects.filter(round=round_, state=Attempt.State.READY).count() == 2
    assert not QuestionVersion.objects.filter(frozen_at__isnull=True).exists()
    row = AuditLog.objects.get(action="round.start")
    assert row.actor_id == organiser.pk and row.before["state"] == "draft" and row.after["state"] == "open"
    group, frame = published[-1]
    assert group == events.round_group(round_.pk)
    assert frame["type"] == "round.state" and frame["event"] == "round.started"
    assert frame["round"]["state"] == "open"


def test_two_organisers_cannot_both_win_the_same_transition(round_, organiser):
    round_ = services.start_round(round_=round_, actor=organiser, now=at(0))
    stale_copy = Round.objects.get(pk=round_.pk)
    services.pause_round(round_=round_, actor=organiser, now=at(10))
    with pytest.raises(Conflict):
        services.pause_round(round_=stale_copy, actor=organiser, now=at(11))
    assert AuditLog.objects.filter(action="round.pause").count() == 1


def test_it_refuses_a_transition_outside_the_state_table(round_, organiser):
    with pytest.raises(NotAllowed):
        services.resume_round(round_=round_, actor=organiser, now=at(0))


def test_nothing_is_published_when_the_transaction_rolls_back(round_, organiser):
    from django.db import transaction

    with events.capture() as published, pytest.raises(RuntimeError), transaction.atomic():
        services.start_round(round_=round_, actor=organiser, now=at(0))
        raise RuntimeError
    assert published == []
    assert Round.objects.get(pk=round_.pk).state == Round.State.DRAFT


def test_resume_gives_the_paused_time_back_to_every_running_attempt(round_, organiser, contestant, oncommit):
    round_ = services.start_round(round_=round_, actor=organiser, now=at(0))
    attempt = entry.enter_round(round_=round_, registration=contestant, now=at(60))
    assert attempt.deadline == at(660)
    round_ = services.pause_round(round_=round_, actor=organiser, now=at(100))
    with published_events(oncommit) as published:
        round_ = services.resume_round(round_=round_, actor=organiser, now=at(220))
    attempt.refresh_from_db()
    assert attempt.deadline == at(780) and attempt.paused_seconds == 120
    assert round_.paused_seconds == 120 and round_.paused_at is None
    frame = published[-1][1]
    assert frame["event"] == "round.resumed" and frame["deadlines_changed"] is True
    assert frame["round"]["closes_at"] == at(3720).isoformat()


def test_after_a_change_of_deadlines_every_running_attempt_is_read_in_one_query(
    round_, organiser, contestant, other_contestant, django_assert_num_queries
):
    round_ = services.start_round(round_=round_, actor=organiser, now=at(0))
    attempt = entry.enter_round(round_=round_, registration=contestant, now=at(60))
    with django_assert_num_queries(1):
        updates = snapshots.running_attempt_updates(
            [(round_.pk, contestant.pk), (round_.pk, other_contestant.pk)], now=at(70)
        )
    assert updates[1] is None  # not entered: nothing to update
    assert updates[0]["type"] == "attempt.updated" and updates[0]["attempt"]["id"] == attempt.pk
    assert updates[0]["attempt"]["deadline"] == at(660).isoformat()


def test_extend_everyone_and_extend_one(round_, organiser, contestant, other_contestant, oncommit):
    round_ = services.start_round(round_=round_, actor=organiser, now=at(0))
    mine = entry.enter_round(round_=round_, registration=contestant, now=at(0))
    theirs = entry.enter_round(round_=round_, registration=other_contestant, now=at(0))
    round_ = services.extend_round(round_=round_, minutes=5, actor=organiser, now=at(100))
    with published_events(oncommit) as published:
        services.extend_attempt(round_=round_, attempt_id=theirs.pk, minutes=2, actor=organiser, now=at(110))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.deadline == at(900) and theirs.deadline == at(1020)
    assert AuditLog.objects.filter(action__in=["round.extend", "attempt.extend"]).count() == 2
    assert [f["type"] for _, f in published] == ["attempt.updated", "progress.hint"]


def test_close_submits_every_running_attempt(round_, organiser, contestant, oncommit):
    round_ = services.start_round(round_=round_, actor=organiser, now=at(0))
    attempt = entry.enter_round(round_=round_, registration=contestant, now=at(0))
    with published_events(oncommit) as published:
        services.close_round(round_=round_, actor=organiser, now=at(100))
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED and attempt.submit_reason == "round_closed"
    submitted = [f for g, f in published if f["type"] == "submitted"]
    assert submitted[0]["attempt"]["id"] == attempt.pk


def test_force_submit_is_audited(round_, organiser, contestant):
    round_ = services.start_round(round_=round_, actor=organiser, now=at(0))
    attempt = entry.enter_round(round_=round_, registration=contestant, now=at(0))
    services.force_submit(round_=round_, attempt_id=attempt.pk, actor=organiser, now=at(30))
    attempt.refresh_from_db()
    assert attempt.submit_reason == "organiser"
    assert AuditLog.objects.get(action="attempt.force_submitted").object_id == str(attempt.pk)


def test_announcements_go_to_every_socket_of_the_round(round_, organiser, oncommit):
    with published_events(oncommit) as published:
        services.announce(round_=round_, text="  Còn 5 phút.  ", actor=organiser, now=at(0))
    assert published == [
        (
            events.round_group(round_.pk),
            {"type": "announcement", "text": "Còn 5 phút.", "at": at(0).isoformat()},
        )
    ]
    assert AuditLog.objects.get(action="round.announce").after == {"text": "Còn 5 phút."}


def test_only_a_closed_practice_round_can_be_reset(edition, organiser, contestant):
    practice = exam_round(edition, is_practice=True)
    practice = services.start_round(round_=practice, actor=organiser, now=at(0))
    entry.enter_round(round_=practice, registration=contestant, now=at(0))
    practice = services.close_round(round_=practice, actor=organiser, now=at(10))
    practice = services.reset_practice_round(round_=practice, actor=organiser, now=at(20))
    assert practice.state == Round.State.DRAFT and not Attempt.objects.filter(round=practice).exists()
    real = services.close_round(
        round_=services.start_round(round_=exam_round(edition), actor=organiser, now=at(0)),
        actor=organiser,
        now=at(1),
    )
    with pytest.raises(NotAllowed):
        services.reset_practice_round(round_=real, actor=organiser, now=at(2))


def test_scheduling_needs_a_paper_and_an_opening_time(edition, organiser):
    with pytest.raises(NotAllowed):
        services.schedule_round(round_=exam_round(edition, opens_at=None), actor=organiser, now=at(-100))


def test_scheduling_builds_every_paper_and_freezes_the_versions_they_hold(round_, organiser):
    scheduled = services.schedule_round(round_=round_, actor=organiser, now=at(-100))
    assert Attempt.objects.filter(round=round_, state=Attempt.State.READY).count() == 2
    assert set(QuestionVersion.objects.values_list("frozen_at", flat=True)) == {at(-100)}
    # The start reads no paper again: the versions keep their first freeze time.
    services.start_round(round_=scheduled, actor=organiser, now=at(0))
    assert set(QuestionVersion.objects.values_list("frozen_at", flat=True)) == {at(-100)}
