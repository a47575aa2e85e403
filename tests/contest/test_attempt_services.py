"""Entering, answering and submitting: the server rules of issue 4, at the service level."""

import pytest

from contest.models import AnswerRevision, Attempt, AttemptEvent
from contest.services import answers, entry
from contest.services import attempts as services
from contest.services import rounds as round_services
from contest.services.errors import NotAllowed
from tests import factories
from tests.contest.rounds_helpers import at, exam_round, published_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(edition, organiser, contestant, other_contestant):
    round_ = round_services.start_round(round_=exam_round(edition), actor=organiser, now=at(0))
    attempt = entry.enter_round(round_=round_, registration=contestant, device_id="dev-a", now=at(10))
    return round_, attempt


def answer(round_, registration, msg="m1", slot=0, base=0, choice="a", now=None, attempt_id=None):
    now = now or at(20)
    item = answers.AnswerIn(
        round_id=round_.pk,
        registration_id=registration.pk,
        client_message_id=msg,
        slot=slot,
        base=base,
        response={"choice": choice},
        received_at=now,
        attempt_id=attempt_id,
    )
    return answers.save_answers([item], now=now)[0]


def test_entering_starts_the_attempt_with_its_deadline(running):
    round_, attempt = running
    assert attempt.state == Attempt.State.IN_PROGRESS
    assert attempt.started_at == at(10) and attempt.deadline == at(610)
    assert AttemptEvent.objects.filter(attempt=attempt, kind="entered").exists()


def test_entering_twice_returns_the_same_attempt(running, contestant):
    round_, attempt = running
    again = entry.enter_round(round_=round_, registration=contestant, now=at(50))
    assert again.pk == attempt.pk and again.started_at == at(10)


def test_an_answer_is_stored_graded_and_counted(running, contestant):
    round_, attempt = running
    result = answer(round_, contestant)
    assert result.ok and result.revision == 1
    stored = AnswerRevision.objects.get(attempt=attempt)
    assert stored.fraction == 1.0 and str(stored.points) == "1.00" and not stored.pending
    attempt.refresh_from_db()
    assert attempt.answered_count == 1 and str(attempt.score) == "1.00"


def test_a_changed_answer_replaces_the_score_of_the_slot(running, contestant):
    round_, attempt = running
    answer(round_, contestant, msg="m1", choice="a")
    second = answer(round_, contestant, msg="m2", base=1, choice="b")
    assert second.revision == 2
    attempt.refresh_from_db()
    assert attempt.answered_count == 1 and str(attempt.score) == "0.00"
    assert AnswerRevision.objects.filter(attempt=attempt).count() == 2  # append-only


def test_a_resend_gets_the_same_acknowledgement(running, contestant):
    round_, attempt = running
    first = answer(round_, contestant, msg="same")
    again = answer(round_, contestant, msg="same", now=at(30))
    assert (again.ok, again.revision, again.saved_at) == (True, first.revision, first.saved_at)
    assert AnswerRevision.objects.filter(attempt=attempt).count() == 1


def test_a_stale_revision_is_refused_with_the_current_value(running, contestant):
    round_, attempt = running
    answer(round_, contestant, msg="m1", choice="c")
    stale = answer(round_, contestant, msg="m2", base=0, choice="b")
    assert not stale.ok and stale.reason == "stale"
    assert stale.current["revision"] == 1 and stale.current["response"] == {"choice": "c"}
    assert AttemptEvent.objects.get(kind="refused").reason == "stale"


@pytest.mark.parametrize(
    ("seconds", "ok"),
    [(610, True), (613, True), (613.001, False)],
)
def test_answers_count_until_the_deadline_plus_grace(running, contestant, seconds, ok):
    round_, attempt = running
    result = answer(round_, contestant, now=at(seconds))
    assert result.ok is ok
    if not ok:
        assert result.reason == "too_late"


def test_answers_are_refused_while_paused_and_after_close(running, contestant, organiser):
    round_, attempt = running
    round_ = round_services.pause_round(round_=round_, actor=organiser, now=at(15))
    assert answer(round_, contestant, msg="p").reason == "paused"
    round_ = round_services.close_round(round_=round_, actor=organiser, now=at(16))
    assert answer(round_, contestant, msg="c").reason == "submitted"
    reasons = list(AttemptEvent.objects.filter(kind="refused").values_list("reason", flat=True))
    assert reasons == ["paused", "submitted"]


def test_another_contestants_attempt_is_refused_without_its_data(running, contestant, other_contestant):
    round_, attempt = running
    answer(round_, contestant, msg="mine", choice="c")
    result = answer(round_, other_contestant, msg="x", attempt_id=attempt.pk)
    assert not result.ok and result.reason == "not_yours" and result.current is None
    assert AnswerRevision.objects.filter(attempt=attempt).count() == 1


def test_a_contestant_who_has_not_entered_cannot_answer(running, other_contestant):
    round_, attempt = running
    assert answer(round_, other_contestant).reason == "no_attempt"


def test_an_invalid_response_or_slot_is_refused(running, contestant):
    round_, attempt = running
    assert answer(round_, contestant, msg="x1", choice="zz").reason == "invalid"
    assert answer(round_, contestant, msg="x2", slot=99).reason == "invalid"


def test_one_bad_answer_does_not_roll_back_the_rest_of_its_batch(running, contestant):
    round_, attempt = running
    items = [
        answers.AnswerIn(round_.pk, contestant.pk, f"b{i}", slot, 0, {"choice": choice}, at(20))
        for i, (slot, choice) in enumerate([(0, "a"), (1, "zz"), (2, "b")])
    ]
    results = answers.save_answers(items, now=at(20))
    assert [r.ok for r in results] == [True, False, True]
    assert AnswerRevision.objects.filter(attempt=attempt).count() == 2


def test_a_batch_publishes_one_progress_hint(running, contestant, django_capture_on_commit_callbacks):
    round_, attempt = running
    items = [
        answers.AnswerIn(round_.pk, contestant.pk, f"h{i}", i, 0, {"choice": "a"}, at(20)) for i in range(3)
    ]
    with published_events(django_capture_on_commit_callbacks) as published:
        answers.save_answers(items, now=at(20))
    assert [frame["type"] for _, frame in published] == ["progress.hint"]


def test_the_clock_submits_overdue_attempts(running, contestant):
    round_, attempt = running
    assert services.submit_overdue(now=at(613)) == 0
    assert services.submit_overdue(now=at(613.5)) == 1
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED and attempt.submit_reason == "deadline"


def test_submitting_twice_from_the_contestant_is_harmless(running):
    round_, attempt = running
    services.submit_attempt(attempt=attempt, reason="contestant", now=at(100))
    again = services.submit_attempt(attempt=attempt, reason="contestant", now=at(101))
    assert again.submitted_at == at(100)


def test_late_entry_is_refused_when_the_policy_says_so(edition, organiser, contestant):
    round_ = exam_round(edition, timing="synchronous", late_entry="none")
    round_ = round_services.start_round(round_=round_, actor=organiser, now=at(0))
    with pytest.raises(NotAllowed) as refused:
        entry.enter_round(round_=round_, registration=contestant, now=at(120))
    assert refused.value.reason == "late"


def test_the_access_code_is_checked(edition, organiser, contestant):
    round_ = round_services.start_round(
        round_=exam_round(edition, access_code="HN26"), actor=organiser, now=at(0)
    )
    with pytest.raises(NotAllowed) as refused:
        entry.enter_round(round_=round_, registration=contestant, access_code="nope", now=at(1))
    assert refused.value.reason == "bad_access_code"
    assert entry.enter_round(round_=round_, registration=contestant, access_code=" HN26 ", now=at(2)).pk


def test_a_second_attempt_needs_attempts_left(running, contestant, edition, organiser):
    round_, attempt = running
    services.submit_attempt(attempt=attempt, reason="contestant", now=at(100))
    with pytest.raises(NotAllowed) as refused:
        entry.enter_round(round_=round_, registration=contestant, now=at(101))
    assert refused.value.reason == "no_attempts_left"
    round_.attempts_allowed = 2
    round_.save(update_fields=["attempts_allowed"])
    second = entry.enter_round(round_=round_, registration=contestant, now=at(102))
    assert second.number == 2 and second.paper["seed"] != attempt.paper["seed"]


def test_a_newer_connection_takes_over_and_a_new_device_is_logged(
    running, contestant, django_capture_on_commit_callbacks
):
    round_, attempt = running
    with published_events(django_capture_on_commit_callbacks) as published:
        services.record_connection(
            round_=round_, registration=contestant, device_id="dev-b", connection_id="c2", now=at(30)
        )
    attempt.refresh_from_db()
    assert attempt.connection_id == "c2" and attempt.device_switches == 1
    assert AttemptEvent.objects.filter(attempt=attempt, kind="device_switch").exists()
    assert published[0][1]["type"] == "takeover" and published[0][1]["connection"] == "c2"
    services.record_disconnect(
        round_id=round_.pk, registration_id=contestant.pk, connection_id="old", now=at(31)
    )
    attempt.refresh_from_db()
    assert attempt.connection_id == "c2"  # an older socket going away is not a disconnect


def test_flags_are_stored_on_the_running_attempt(running, contestant):
    round_, attempt = running
    services.set_flag(round_id=round_.pk, registration_id=contestant.pk, slot=2, flagged=True)
    services.set_flag(round_id=round_.pk, registration_id=contestant.pk, slot=0, flagged=True)
    services.set_flag(round_id=round_.pk, registration_id=contestant.pk, slot=2, flagged=False)
    attempt.refresh_from_db()
    assert attempt.flags == [0]


def test_a_contestant_submit_after_the_deadline_is_recorded_as_the_deadline(running, contestant):
    round_, attempt = running
    submitted = services.submit_own_attempt(round_=round_, registration=contestant, now=at(611))
    assert submitted.submit_reason == "deadline"


def test_entering_stamps_the_connection_so_the_monitor_shows_it_connected(edition, organiser, contestant):
    round_ = round_services.start_round(round_=exam_round(edition), actor=organiser, now=at(0))
    Attempt.objects.filter(round=round_).delete()  # no paper built ahead: entry builds it
    attempt = entry.enter_round(round_=round_, registration=contestant, connection_id="c1", now=at(1))
    attempt.refresh_from_db()
    assert attempt.connection_id == "c1"


def test_a_batch_of_entries_is_claimed_together_and_a_repeat_gets_the_same_attempt(
    edition, organiser, contestant, other_contestant
):
    round_ = round_services.start_round(round_=exam_round(edition), actor=organiser, now=at(0))
    stranger = factories.make_contestant(edition=factories.make_edition())
    items = [
        entry.EnterIn(round_.pk, contestant, device_id="a"),
        entry.EnterIn(round_.pk, other_contestant, device_id="b"),
        entry.EnterIn(round_.pk, contestant, device_id="a"),
        entry.EnterIn(round_.pk, stranger),
    ]
    first, second, repeat, refused = entry.enter_many(items, now=at(5))
    assert first.pk == repeat.pk and first.pk != second.pk
    assert refused.reason == "not_eligible"
    assert Attempt.objects.filter(round=round_, state="in_progress").count() == 2
    assert AttemptEvent.objects.filter(kind="entered").count() == 2
    first.refresh_from_db()
    assert first.deadline == at(605) and first.device_id == "a"
