"""Websocket consumers through Channels' communicator: the whole protocol of one round."""

import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from contest.models import Attempt, AttemptEvent, Round
from contest.services import rounds as round_services
from tests import factories
from tests.contest.rounds_helpers import exam_round, monitor_rows, started_now
from tests.contest.sockets import entered, open_socket, play, receive_type

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def live_round(edition, organiser, contestant, other_contestant):
    return started_now(edition, organiser)


async def test_the_lobby_snapshot_shows_the_round_and_no_paper(live_round, contestant):
    socket = await open_socket(play(live_round), contestant.person.user)
    snapshot = await receive_type(socket, "snapshot")
    assert snapshot["protocol"] == 1 and snapshot["round"]["state"] == "open"
    assert snapshot["can_enter"] is True and snapshot["paper"] is None
    assert snapshot["contestant"]["code"] == contestant.code
    await socket.disconnect()


async def test_the_server_enters_the_lobby_at_the_start_and_sends_the_paper_unasked(
    edition, organiser, contestant, other_contestant
):
    def schedule():
        now = timezone.now()
        round_ = exam_round(edition, opens_at=now + timedelta(hours=1), closes_at=now + timedelta(hours=2))
        return round_services.schedule_round(round_=round_, actor=organiser, now=now)

    scheduled = await database_sync_to_async(schedule)()
    waiting = await open_socket(play(scheduled), contestant.person.user)
    lobby = await receive_type(waiting, "snapshot")
    assert lobby["entry_refusal"] == "not_open" and lobby["paper"] is None
    await database_sync_to_async(round_services.start_round)(
        round_=scheduled, actor=organiser, now=timezone.now()
    )
    assert (await receive_type(waiting, "round.state"))["event"] == "round.started"
    paper = await receive_type(waiting, "snapshot")  # no "enter" was sent
    assert "ref" not in paper and paper["attempt"]["state"] == "in_progress" and len(paper["paper"]) == 3
    # Who arrives after the start enters by asking, as always.
    late = await open_socket(play(scheduled), other_contestant.person.user)
    assert (await receive_type(late, "snapshot"))["can_enter"] is True
    assert await late.receive_nothing(timeout=0.3)  # nothing more comes unasked
    for socket in (waiting, late):
        await socket.disconnect()


async def test_entering_answering_and_resending(live_round, contestant):
    socket, snapshot = await entered(live_round, contestant)
    assert snapshot["ref"] == "e1" and snapshot["attempt"]["state"] == "in_progress"
    assert len(snapshot["paper"]) == 3 and "fraction" not in json.dumps(snapshot["paper"])
    await socket.send_json_to(
        {"type": "answer", "id": "a1", "slot": 0, "base": 0, "response": {"choice": "b"}}
    )
    ack = await receive_type(socket, "ack")
    assert (ack["ref"], ack["slot"], ack["revision"]) == ("a1", 0, 1)
    await socket.send_json_to(
        {"type": "answer", "id": "a1", "slot": 0, "base": 0, "response": {"choice": "b"}}
    )
    assert await receive_type(socket, "ack") == ack
    await socket.send_json_to(
        {"type": "answer", "id": "a2", "slot": 0, "base": 0, "response": {"choice": "c"}}
    )
    refused = await receive_type(socket, "refused")
    assert refused["reason"] == "stale" and refused["current"]["revision"] == 1
    assert refused["current"]["response"] == {"choice": "b"} and refused["message"]
    await socket.disconnect()


async def test_reconnecting_restores_the_exact_state(live_round, contestant):
    socket, _ = await entered(live_round, contestant)
    await socket.send_json_to(
        {"type": "answer", "id": "a1", "slot": 1, "base": 0, "response": {"choice": "a"}}
    )
    await receive_type(socket, "ack")
    await socket.send_json_to(
        {"type": "answer", "id": "a2", "slot": 1, "base": 1, "response": {"choice": "c"}}
    )
    await receive_type(socket, "ack")
    await socket.send_json_to({"type": "flag", "slot": 2, "flagged": True})
    await socket.send_json_to({"type": "ping", "id": "p"})  # processed after the flag
    await receive_type(socket, "pong")
    await socket.disconnect()
    again = await open_socket(play(live_round), contestant.person.user)
    snapshot = await receive_type(again, "snapshot")
    assert snapshot["answers"] == {
        "1": {"revision": 2, "response": {"choice": "c"}, "saved_at": snapshot["answers"]["1"]["saved_at"]}
    }
    assert snapshot["flags"] == [2] and snapshot["attempt"]["answered_count"] == 1
    await again.disconnect()


async def test_a_newer_device_takes_over_and_the_older_is_told(live_round, contestant):
    old, _ = await entered(live_round, contestant, device="phone-1")
    new = await open_socket(play(live_round), contestant.person.user, device="laptop-2")
    await receive_type(new, "snapshot")
    takeover = await receive_type(old, "takeover")
    assert takeover["message"]
    assert (await old.receive_output(timeout=2))["code"] == 4001
    attempt = await database_sync_to_async(Attempt.objects.get)(registration=contestant)
    assert attempt.device_switches == 1
    await old.disconnect()
    await new.disconnect()


async def test_an_answer_after_close_is_refused(live_round, contestant, organiser):
    socket, _ = await entered(live_round, contestant)
    await database_sync_to_async(round_services.close_round)(
        round_=await database_sync_to_async(Round.objects.get)(pk=live_round.pk),
        actor=organiser,
        now=timezone.now(),
    )
    state = await receive_type(socket, "round.state")
    assert state["event"] == "round.closed"
    submitted = await receive_type(socket, "submitted")
    assert submitted["attempt"]["submit_reason"] == "round_closed"
    await socket.send_json_to(
        {"type": "answer", "id": "late", "slot": 0, "base": 0, "response": {"choice": "a"}}
    )
    refused = await receive_type(socket, "refused")
    assert refused["reason"] == "submitted"
    await socket.disconnect()


async def test_another_contestants_attempt_is_refused_with_no_data(live_round, contestant, other_contestant):
    mine, _ = await entered(live_round, contestant)
    await mine.send_json_to({"type": "answer", "id": "m", "slot": 0, "base": 0, "response": {"choice": "c"}})
    await receive_type(mine, "ack")
    attempt = await database_sync_to_async(Attempt.objects.get)(registration=contestant)
    theirs, _ = await entered(live_round, other_contestant)
    await theirs.send_json_to(
        {
            "type": "answer",
            "id": "x",
            "slot": 0,
            "base": 1,
            "response": {"choice": "a"},
            "attempt": attempt.pk,
        }
    )
    refused = await receive_type(theirs, "refused")
    assert refused["reason"] == "not_yours" and refused["current"] is None
    assert (
        await database_sync_to_async(AttemptEvent.objects.filter(kind="refused", reason="not_yours").count)()
        == 1
    )
    await mine.disconnect()
    await theirs.disconnect()


async def test_an_unregistered_user_is_refused_and_closed(live_round, edition):
    stranger = await database_sync_to_async(factories.make_user)()
    socket = await open_socket(play(live_round), stranger)
    error = await socket.receive_json_from()
    assert error["code"] == "forbidden"
    assert (await socket.receive_output())["code"] == 4003
    anonymous = await open_socket(f"/ws/rounds/{live_round.pk}/control/")
    assert (await anonymous.receive_json_from())["code"] == "forbidden"
    await socket.disconnect()
    await anonymous.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "bad_json"),
        ("[1, 2]", "bad_json"),
        ('{"type": "nope"}', "unknown_type"),
        ('{"no": "type"}', "unknown_type"),
        ('{"type": "answer", "id": "a", "slot": "0", "base": 0, "response": {}}', "bad_message"),
        ('{"type": "answer", "id": "a", "slot": true, "base": 0, "response": {}}', "bad_message"),
        ('{"type": "answer", "id": "a", "slot": 0, "base": 0}', "bad_message"),
        ('{"type": "focus", "state": "sideways"}', "bad_message"),
        ('{"type": "ping", "id": "' + "x" * 70 + '"}', "bad_message"),
        ('{"type": "ping", "id": "' + "x" * 70_000 + '"}', "too_large"),
    ],
)
async def test_a_malformed_frame_gets_an_error_and_the_socket_lives_on(live_round, contestant, frame, code):
    socket = await open_socket(play(live_round), contestant.person.user)
    await receive_type(socket, "snapshot")
    await socket.send_to(text_data=frame)
    error = await receive_type(socket, "error")
    assert error["code"] == code and error["message"]
    await socket.send_json_to({"type": "ping", "id": "still-there"})
    pong = await receive_type(socket, "pong")
    assert pong["id"] == "still-there" and pong["server_time"] > 0
    await socket.disconnect()


async def test_the_organiser_pauses_and_the_contestant_hears_it(live_round, contestant, organiser):
    player, _ = await entered(live_round, contestant)
    control = await open_socket(f"/ws/rounds/{live_round.pk}/control/", organiser)
    snapshot = await receive_type(control, "snapshot")
    assert snapshot["actions"] == ["pause", "close"] and snapshot["monitor"]["counts"]["in_progress"] == 1
    await control.send_json_to({"type": "pause", "id": "c1"})
    done = await receive_type(control, "done")
    assert done["ref"] == "c1" and done["round"]["state"] == "paused"
    state = await receive_type(player, "round.state")
    assert state["event"] == "round.paused" and state["round"]["paused_at"]
    await control.send_json_to({"type": "pause", "id": "c2"})
    error = await receive_type(control, "error")
    assert error["code"] == "not_allowed" and error["ref"] == "c2"
    await control.send_json_to({"type": "resume", "id": "c3"})
    await receive_type(control, "done")
    updated = await receive_type(player, "attempt.updated")
    assert updated["attempt"]["deadline"]
    await control.send_json_to({"type": "announce", "id": "c4", "text": "Xin chào các đồng chí"})
    assert (await receive_type(player, "announcement"))["text"] == "Xin chào các đồng chí"
    await player.disconnect()
    await control.disconnect()


async def test_the_monitor_follows_contestants(live_round, contestant, organiser):
    control = await open_socket(f"/ws/rounds/{live_round.pk}/control/", organiser)
    await receive_type(control, "snapshot")
    player, _ = await entered(live_round, contestant)
    monitor = await receive_type(control, "monitor", timeout=3)
    row = next(r for r in monitor_rows(monitor) if r["registration_id"] == contestant.pk)
    assert row["state"] == "in_progress" and row["connected"] is True and row["question_count"] == 3
    await player.disconnect()
    await control.disconnect()


async def test_a_contestant_cannot_use_the_control_socket(live_round, contestant):
    socket = await open_socket(f"/ws/rounds/{live_round.pk}/control/", contestant.person.user)
    assert (await socket.receive_json_from())["code"] == "forbidden"
    await socket.disconnect()


async def test_the_viewer_sees_progress_never_scores(live_round, organiser):
    viewer = await open_socket(f"/ws/rounds/{live_round.pk}/view/", organiser)
    snapshot = await receive_type(viewer, "snapshot")
    assert snapshot["progress"] == {"eligible": 2, "not_entered": 2, "in_progress": 0, "submitted": 0}
    await viewer.disconnect()


async def test_an_unknown_round_is_refused_with_its_own_code(contestant):
    socket = await open_socket("/ws/rounds/999999/play/", contestant.person.user)
    assert (await socket.receive_json_from())["code"] == "not_found"
    assert (await socket.receive_output())["code"] == 4004
    await socket.disconnect()


async def test_a_reloaded_page_still_shows_the_latest_announcements(live_round, contestant, organiser):
    await database_sync_to_async(round_services.announce)(
        round_=live_round, text="Đề thi có 3 câu", actor=organiser, now=timezone.now()
    )
    socket = await open_socket(play(live_round), contestant.person.user)
    snapshot = await receive_type(socket, "snapshot")
    assert [a["text"] for a in snapshot["announcements"]] == ["Đề thi có 3 câu"]
    await socket.disconnect()


async def test_the_organiser_resets_a_closed_practice_round(edition, organiser, contestant):
    practice = await database_sync_to_async(started_now)(edition, organiser, is_practice=True)
    control = await open_socket(f"/ws/rounds/{practice.pk}/control/", organiser)
    await receive_type(control, "snapshot")
    await control.send_json_to({"type": "close", "id": "c1"})
    await receive_type(control, "done")
    await control.send_json_to({"type": "reset", "id": "c2"})
    done = await receive_type(control, "done")
    assert done["round"]["state"] == "draft"
    await control.disconnect()


async def test_a_frame_over_what_a_socket_carries_becomes_an_error_not_silence(live_round, contestant):
    from contest import consumers

    socket = await open_socket(play(live_round), contestant.person.user)
    await receive_type(socket, "snapshot")
    limit = consumers.MAX_OUTBOUND_BYTES
    consumers.MAX_OUTBOUND_BYTES, consumers.MAX_OUTBOUND_CHARS = 200, 50  # a snapshot is larger
    try:
        await socket.send_json_to({"type": "resync"})
        error = await receive_type(socket, "error")
    finally:
        consumers.MAX_OUTBOUND_BYTES, consumers.MAX_OUTBOUND_CHARS = limit, limit // 4
    assert error["code"] == "too_large" and error["message"]
    await socket.disconnect()
