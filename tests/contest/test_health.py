"""/health/ reports the database, a channel-layer round trip and the round clock's lag."""

import sys
import types

import pytest
from django.urls import reverse

from contest import health

pytestmark = pytest.mark.django_db


def test_health_is_ok_with_the_embedded_default(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    data = response.json()
    assert (data["status"], data["database"], data["channel_layer"]) == ("ok", "ok", "ok")
    assert data["clock"]["status"] in {"ok", "unknown"}


def test_health_fails_with_503_when_the_channel_layer_does_not_answer(client, monkeypatch):
    async def broken(timeout=2.0):
        return False

    monkeypatch.setattr(health, "check_channel_layer", broken)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["channel_layer"] == "fail"


def test_health_reports_a_lagging_round_clock(client, monkeypatch):
    fake_clock = types.ModuleType("contest.clock")
    fake_clock.last_tick_lag = lambda: 42.0
    monkeypatch.setitem(sys.modules, "contest.clock", fake_clock)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["clock"] == {"status": "lagging", "lag_seconds": 42.0}


async def test_the_channel_layer_round_trip_works_over_redis(redis_url, settings):
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [redis_url]},
        }
    }
    channel_layers.backends.clear()
    try:
        assert await health.check_channel_layer()
        assert await health.check_channel_layer()  # the private channel is reused
    finally:
        layer = channel_layers["default"]
        await layer.flush()
        channel_layers.backends.clear()


async def test_the_channel_layer_check_fails_when_redis_is_unreachable(settings):
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    channel_layers.backends.clear()
    try:
        assert not await health.check_channel_layer(timeout=1.0)
    finally:
        channel_layers.backends.clear()


def test_health_reads_the_round_clock_lease_written_by_the_running_clock(client):
    from datetime import timedelta

    from django.utils import timezone

    from contest import clock

    clock.acquire_lease("test-holder", now=timezone.now())
    clock.mark_tick("test-holder", now=timezone.now() - timedelta(seconds=1))
    data = client.get(reverse("health")).json()
    assert data["clock"]["status"] == "ok"
    assert 0.5 < data["clock"]["lag_seconds"] < 5

    clock.mark_tick("test-holder", now=timezone.now() - timedelta(minutes=2))
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["clock"]["status"] == "lagging"
