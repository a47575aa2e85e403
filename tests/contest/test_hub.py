"""The fan-out hub: sockets outlive a lost Redis link, get a resync hint, and hear broadcasts
again once the hub has reconnected."""

import pytest
import redis
from channels.db import database_sync_to_async
from django.utils import timezone

from contest import events, hub
from contest.services import rounds as round_services
from tests.contest.rounds_helpers import started_now
from tests.contest.sockets import entered, receive_type


@pytest.fixture
def on_redis(settings, redis_url):
    settings.REDIS_URL = redis_url
    return redis_url


@pytest.fixture
def live_round(edition, organiser, contestant):
    return started_now(edition, organiser)


def _kill_hub_connection(url: str) -> int:
    client = redis.Redis.from_url(url)
    killed = 0
    for entry in client.client_list():
        if entry.get("name") == hub.HUB_CLIENT_NAME:
            killed += client.client_kill_filter(_id=entry["id"])
    client.close()
    return killed


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.redis
async def test_a_lost_redis_link_neither_closes_sockets_nor_stops_answers(
    on_redis, live_round, contestant, organiser
):
    player, _ = await entered(live_round, contestant)
    assert await database_sync_to_async(_kill_hub_connection)(on_redis) == 1
    await player.send_json_to(
        {"type": "answer", "id": "a1", "slot": 0, "base": 0, "response": {"choice": "a"}}
    )
    assert (await receive_type(player, "ack", timeout=5))["revision"] == 1
    await receive_type(player, "resync", timeout=10)
    await database_sync_to_async(round_services.announce)(
        round_=live_round, text="Đã kết nối lại", actor=organiser, now=timezone.now()
    )
    assert (await receive_type(player, "announcement", timeout=5))["text"] == "Đã kết nối lại"
    await player.disconnect()


def test_channel_names_carry_the_redis_database():
    assert hub._channel_prefix("redis://127.0.0.1:6379/7") == "hoithi:7:"
    assert hub._channel_prefix("redis://127.0.0.1:6379") == "hoithi:0:"
    assert events.round_group(5) == "round.5" and events.contestant_group(5, 9) == "round.5.reg.9"
