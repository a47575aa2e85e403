"""A live round over the websockets: the host drives, phones answer, the hall sees it."""

from decimal import Decimal

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from contest.models import Round, Team
from tests import factories
from tests.contest.live_helpers import live_round
from tests.contest.sockets import entered, open_socket, play, receive_type

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def round_(edition, organiser, contestant, other_contestant):
    return live_round(edition, organiser, now=timezone.now())


def control(round_):
    return f"/ws/rounds/{round_.pk}/control/"


async def command(host, frame):
    await host.send_json_to(frame)
    reply = await receive_type(host, "done")
    assert reply["ref"] == frame["id"]
    return reply


async def receive_picture(socket, state):
    for _ in range(10):
        frame = await receive_type(socket, "live.question")
        if frame["state"] == state:
            return frame
    raise AssertionError(f"no live.question in state {state}")


async def test_a_question_is_played_closes_early_and_each_phone_gets_its_result(
    round_, organiser, contestant, other_contestant
):
    host = await open_socket(control(round_), organiser)
    snapshot = await receive_type(host, "snapshot")
    assert snapshot["live"]["state"] == "pending" and snapshot["monitor"]["live"]["answered"] == 0
    viewer = await open_socket(f"/ws/rounds/{round_.pk}/view/", organiser)
    assert (await receive_type(viewer, "snapshot"))["live"]["question"] is None
    lan, entered_lan = await entered(round_, contestant, device="lan")
    nam, _ = await entered(round_, other_contestant, device="nam")
    assert entered_lan["attempt"]["state"] == "in_progress" and entered_lan["paper"] is None  # no preview

    await command(host, {"type": "open_question", "id": "c1", "seconds": 30})
    for phone in (lan, nam):
        picture = await receive_picture(phone, "open")
        assert picture["question"]["options"][0]["id"] == "a" and picture["reveal"] is None
        await phone.send_json_to({"type": "seen", "index": 0})
    await lan.send_json_to({"type": "answer", "id": "a1", "slot": 0, "base": 0, "response": {"choice": "a"}})
    assert (await receive_type(lan, "ack"))["slot"] == 0
    await lan.send_json_to({"type": "answer", "id": "a2", "slot": 0, "base": 1, "response": {"choice": "b"}})
    assert (await receive_type(lan, "refused"))["reason"] == "answered"
    await nam.send_json_to({"type": "answer", "id": "n1", "slot": 0, "base": 0, "response": {"choice": "c"}})
    await receive_type(nam, "ack")
    closed = await receive_picture(viewer, "closed")  # everyone joined has answered: closed early
    assert closed["index"] == 0

    await command(host, {"type": "reveal", "id": "c2"})
    revealed = await receive_picture(viewer, "revealed")
    assert revealed["reveal"]["distribution"] == {"a": 1, "b": 0, "c": 1}
    result = await receive_type(lan, "live.result")
    assert (result["correct"], result["points"], result["rank"]) == (True, "10.00", 1)
    assert (await receive_type(nam, "live.result"))["correct"] is False
    for socket in (host, viewer, lan, nam):
        await socket.disconnect()


async def test_a_phone_that_reconnects_mid_question_resumes_it(round_, organiser, contestant):
    host = await open_socket(control(round_), organiser)
    await receive_type(host, "snapshot")
    phone, _ = await entered(round_, contestant, device="old")
    await command(host, {"type": "open_question", "id": "c1"})
    await receive_picture(phone, "open")
    await phone.disconnect()

    again = await open_socket(play(round_), contestant.person.user, device="new")
    snapshot = await receive_type(again, "snapshot")
    assert snapshot["live"]["state"] == "open" and snapshot["live"]["question"]["slot"] == 0
    assert snapshot["live"]["deadline"] and snapshot["attempt"]["state"] == "in_progress"
    assert snapshot["paper"] is None  # only the open question, in ``live``
    await again.send_json_to(
        {"type": "answer", "id": "a1", "slot": 0, "base": 0, "response": {"choice": "a"}}
    )
    assert (await receive_type(again, "ack"))["revision"] == 1
    await again.disconnect()
    await host.disconnect()


async def test_a_host_command_in_the_wrong_question_state_gets_an_error(round_, organiser):
    host = await open_socket(control(round_), organiser)
    await receive_type(host, "snapshot")
    await host.send_json_to({"type": "reveal", "id": "c1"})
    error = await receive_type(host, "error")
    assert (error["code"], error["ref"]) == ("not_allowed", "c1")
    await host.send_json_to({"type": "reopen_question", "id": "c2"})
    assert (await receive_type(host, "error"))["code"] == "bad_message"  # the reason is required
    state = await database_sync_to_async(lambda: Round.objects.get(pk=round_.pk).live_question_state)()
    assert state == ""
    await host.disconnect()


async def test_a_contestant_cannot_use_the_host_commands(round_, contestant):
    socket = await open_socket(control(round_), contestant.person.user)
    assert (await receive_type(socket, "error"))["code"] == "forbidden"


@pytest.fixture
def captain_round(edition, organiser, unit):
    team = factories.make_team(edition=edition, unit=unit, name="Đội Hoàn Kiếm")
    captain = factories.make_contestant(edition=edition, unit=unit, full_name="Trần An", team=team)
    member = factories.make_contestant(edition=edition, unit=unit, full_name="Lê Bình", team=team)
    Team.objects.filter(pk=team.pk).update(captain=captain)
    round_ = live_round(
        edition,
        organiser,
        now=timezone.now(),
        live_team_play=Round.LiveTeamPlay.CAPTAIN,
        live_scoring=Round.LiveScoring.SPEED,
    )
    return round_, captain, member


async def test_in_captain_play_the_captains_phone_answers_for_the_team(captain_round, organiser):
    round_, captain, member = captain_round
    host = await open_socket(control(round_), organiser)
    await receive_type(host, "snapshot")
    leader, _ = await entered(round_, captain, device="captain")
    other, _ = await entered(round_, member, device="member")
    roles = []
    for phone in (leader, other):  # a resync's snapshot tells each phone whether it answers
        await phone.send_json_to({"type": "resync"})
        roles.append((await receive_type(phone, "snapshot"))["live_role"])
    assert roles == ["answers", "watches"]
    await command(host, {"type": "open_question", "id": "c1"})
    for phone in (leader, other):
        await receive_picture(phone, "open")
        await phone.send_json_to({"type": "seen", "index": 0})
    await other.send_json_to(
        {"type": "answer", "id": "m1", "slot": 0, "base": 0, "response": {"choice": "a"}}
    )
    refused = await receive_type(other, "refused")
    assert refused["reason"] == "not_captain" and refused["message"] == "Chỉ đội trưởng trả lời cho cả đội."
    await leader.send_json_to(
        {"type": "answer", "id": "k1", "slot": 0, "base": 0, "response": {"choice": "a"}}
    )
    await receive_type(leader, "ack")
    await receive_picture(other, "closed")  # only captains are waited for
    await command(host, {"type": "reveal", "id": "c2"})
    result = await receive_type(leader, "live.result")
    assert result["correct"] is True and Decimal("5.00") <= Decimal(result["points"]) <= Decimal("10.00")
    member_result = await receive_type(other, "live.result")
    assert member_result["answered"] is False and member_result["rank"] == 1  # the team's place
    for socket in (host, leader, other):
        await socket.disconnect()
