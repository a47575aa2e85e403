"""/health/ from real Daphne processes: the embedded default and the Redis channel layer."""

import json
import urllib.request

import pytest

pytestmark = pytest.mark.server


def health(base_url) -> dict:
    with urllib.request.urlopen(f"{base_url}/health/", timeout=10) as response:  # noqa: S310 - local test server
        return json.load(response)


def test_a_real_server_reports_healthy_with_the_clock_running_inside(live_server_url):
    data = health(live_server_url)
    assert (data["status"], data["database"], data["channel_layer"]) == ("ok", "ok", "ok")
    assert data["clock"]["status"] in {"ok", "unknown"}


@pytest.mark.redis
def test_a_real_server_round_trips_through_redis(start_daphne, redis_url):
    server = start_daphne(extra_env={"REDIS_URL": redis_url, "ROUND_CLOCK_IN_PROCESS": "1"}, seed=False)
    first, second = health(server.base_url), health(server.base_url)
    assert first["channel_layer"] == second["channel_layer"] == "ok"
    assert second["status"] == "ok"
