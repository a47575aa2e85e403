"""Joining a live round with its PIN and a contestant code, without an account: throttled,
audited, and good for that round's phone screen and socket only."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.asgi import application
from contest.models import AuditLog, Round
from contest.services import live_join
from contest.services.errors import NotAllowed
from tests.contest.live_helpers import live_round
from tests.contest.rounds_helpers import at
from tests.contest.sockets import receive_type


@pytest.fixture
def round_(edition, organiser, contestant, other_contestant):
    return live_round(edition, organiser, now=timezone.now(), access_code="2468")


def join_url(round_):
    return reverse("live_join", args=[round_.edition.slug, round_.pk])


def play_url(round_):
    return reverse("live_play", args=[round_.edition.slug, round_.pk])


@pytest.mark.django_db
def test_a_wrong_pin_or_code_is_refused_audited_and_then_throttled(round_, contestant, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for pin, code in (("1111", contestant.code), ("2468", "KHONG-CO"), ("", "")):
        with pytest.raises(NotAllowed):
            live_join.join_with_pin(round_=round_, pin=pin, code=code, session={}, ip="10.0.0.9", now=at(0))
    assert AuditLog.objects.filter(action="live.join_refused", ip_address="10.0.0.9").count() == 3
    with pytest.raises(NotAllowed, match="quá nhiều lần"):  # even the right PIN, from that address
        live_join.join_with_pin(
            round_=round_, pin="2468", code=contestant.code, session={}, ip="10.0.0.9", now=at(1)
        )
    session = {}
    joined = live_join.join_with_pin(
        round_=round_, pin="2468", code=contestant.code.lower(), session=session, ip="10.0.0.7", now=at(1)
    )
    assert joined == contestant and session == {"live_joins": {str(round_.pk): contestant.pk}}
    assert AuditLog.objects.filter(action="live.joined", object_id=str(contestant.pk)).exists()


@pytest.mark.django_db
def test_a_round_without_a_pin_cannot_be_joined_that_way(edition, organiser, contestant):
    plain = live_round(edition, organiser, now=at(0))
    with pytest.raises(NotAllowed):
        live_join.join_with_pin(round_=plain, pin="", code=contestant.code, session={}, ip=None, now=at(1))
    assert Client().get(join_url(plain)).status_code == 404


@pytest.mark.django_db
def test_the_join_page_leads_an_anonymous_phone_to_its_screen(round_, contestant):
    client = Client()
    assert client.get(play_url(round_)).url == join_url(round_)
    refused = client.post(join_url(round_), {"pin": "0000", "code": contestant.code})
    assert refused.status_code == 400 and "không đúng" in refused.content.decode()
    response = client.post(join_url(round_), {"pin": "2468", "code": contestant.code})
    assert response.url == play_url(round_)
    page = client.get(play_url(round_))
    assert page.status_code == 200 and '"accessCode": "2468"' in page.content.decode()
    other = Round.objects.create(edition=round_.edition, slug="khac", name="Khác", mode=Round.Mode.LIVE)
    assert client.get(play_url(other)).status_code == 302  # joined this round only: to the login


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_joined_phone_plays_over_its_socket(round_, contestant):
    def joined_cookie():
        client = Client()
        client.post(join_url(round_), {"pin": "2468", "code": contestant.code})
        return client.cookies["sessionid"].value

    key = await database_sync_to_async(joined_cookie)()
    headers = [(b"origin", b"http://127.0.0.1"), (b"cookie", f"sessionid={key}".encode())]
    socket = WebsocketCommunicator(application, f"/ws/rounds/{round_.pk}/play/?device=pin", headers=headers)
    assert (await socket.connect())[0]
    snapshot = await receive_type(socket, "snapshot")
    assert snapshot["contestant"]["code"] == contestant.code and snapshot["live"]["state"] == "pending"
    await socket.send_json_to({"type": "enter", "id": "e1", "access_code": "2468"})
    assert (await receive_type(socket, "snapshot"))["attempt"]["state"] == "in_progress"
    await socket.disconnect()
    stranger = WebsocketCommunicator(application, f"/ws/rounds/{round_.pk}/play/", headers=headers[:1])
    await stranger.connect()
    assert (await receive_type(stranger, "error"))["code"] == "forbidden"
