"""Real Daphne processes: a server killed mid-round loses no acknowledged answer, and two
servers on Redis carry an organiser's action to a contestant on the other one."""

import asyncio
import json
import shutil
import signal
import subprocess
import sys
import time

import pytest
import websockets

from tests.contest.realserver import ROOT, Daphne, run_client, run_python, server_env

pytestmark = [pytest.mark.server, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """One migrated SQLite file, copied for each test (migrating takes seconds)."""
    data_dir = tmp_path_factory.mktemp("rounds-template")
    run_python(server_env(data_dir), "manage.py", "migrate", "--noinput", "-v", "0")
    return data_dir


@pytest.fixture
def data_dir(template, tmp_path):
    target = tmp_path / "data"
    shutil.copytree(template, target)
    return target


async def connect(server: Daphne, path: str, session: str):
    return await websockets.connect(
        server.url(path),
        additional_headers={"Cookie": f"sessionid={session}", "Origin": server.origin},
        open_timeout=10,
    )


async def until(socket, wanted: str, timeout: float = 5.0) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await socket.recv())
            if frame["type"] == wanted:
                return frame


def test_a_server_killed_mid_round_loses_no_acknowledged_answer(data_dir):
    env = server_env(data_dir)
    seeded = json.loads(run_python(env, "-m", "tests.contest.realserver", "build", "600"))
    path, session = f"/ws/rounds/{seeded['round']}/play/?device=phone-1", seeded["contestants"][0]

    async def answer_until_killed(server):
        socket = await connect(server, path, session)
        await until(socket, "snapshot")
        await socket.send(json.dumps({"type": "enter", "id": "e1"}))
        entered = await until(socket, "snapshot")
        for slot in range(30):
            answer = {
                "type": "answer",
                "id": f"m{slot}",
                "slot": slot,
                "base": 0,
                "response": {"choice": "a"},
            }
            await socket.send(json.dumps(answer))
        acked = {}
        while len(acked) < 8:
            ack = await until(socket, "ack")
            acked[str(ack["slot"])] = ack["revision"]
        server.kill()  # mid-stream: more answers are in flight
        return entered["attempt"], acked

    async def state_after_restart(server):
        socket = await connect(server, path, session)
        snapshot = await until(socket, "snapshot")
        await socket.close()
        return snapshot

    first = Daphne(env)
    try:
        attempt, acked = run_client(answer_until_killed(first))
    finally:
        first.stop()
    second = Daphne(env)
    try:
        snapshot = run_client(state_after_restart(second))
    finally:
        second.stop()
    stored = {slot: answer["revision"] for slot, answer in snapshot["answers"].items()}
    assert all(stored.get(slot) == revision for slot, revision in acked.items()), (acked, stored)
    assert snapshot["attempt"]["id"] == attempt["id"]
    assert snapshot["attempt"]["deadline"] == attempt["deadline"]
    assert snapshot["attempt"]["state"] == "in_progress"


def test_two_servers_on_redis_carry_a_control_action_to_the_other(data_dir, redis_url):
    env = server_env(data_dir, REDIS_URL=redis_url)
    seeded = json.loads(run_python(env, "-m", "tests.contest.realserver", "build", "600"))
    round_id = seeded["round"]

    async def scenario(a, b):
        player = await connect(b, f"/ws/rounds/{round_id}/play/?device=phone-1", seeded["contestants"][0])
        await until(player, "snapshot")
        control = await connect(a, f"/ws/rounds/{round_id}/control/", seeded["organiser"])
        await until(control, "snapshot")
        await control.send(json.dumps({"type": "announce", "id": "c1", "text": "Chào các đồng chí"}))
        announcement = await until(player, "announcement")
        await control.send(json.dumps({"type": "pause", "id": "c2"}))
        paused = await until(player, "round.state")
        await player.close()
        await control.close()
        return announcement, paused

    a, b = Daphne(env), Daphne(env)
    try:
        announcement, paused = run_client(scenario(a, b))
    finally:
        a.stop()
        b.stop()
    assert announcement["text"] == "Chào các đồng chí"
    assert paused["event"] == "round.paused" and paused["round"]["state"] == "paused"


def test_the_embedded_clock_submits_an_attempt_at_its_deadline_with_nobody_asking(data_dir):
    env = server_env(data_dir, ROUND_CLOCK_IN_PROCESS="1", ANSWER_GRACE_SECONDS="0.5")
    seeded = json.loads(run_python(env, "-m", "tests.contest.realserver", "build", "2"))

    async def scenario(server):
        socket = await connect(
            server, f"/ws/rounds/{seeded['round']}/play/?device=p", seeded["contestants"][0]
        )
        await until(socket, "snapshot")
        await socket.send(json.dumps({"type": "enter", "id": "e1"}))
        await until(socket, "snapshot")
        submitted = await until(socket, "submitted", timeout=10)
        await socket.close()
        return submitted

    server = Daphne(env)
    try:
        submitted = run_client(scenario(server))
    finally:
        server.stop()
    assert (
        submitted["attempt"]["state"] == "submitted" and submitted["attempt"]["submit_reason"] == "deadline"
    )


def test_run_round_clock_stands_by_while_another_holds_the_lease_and_stops_on_sigterm(data_dir):
    env = server_env(data_dir)
    command = [sys.executable, "manage.py", "run_round_clock", "--tick", "0.2"]
    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    standby = None
    try:
        holder = _wait_for_holder(env)
        standby = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(2)
        assert _lease(env)["holder"] == holder  # the standby did not take it
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=15) == 0
        assert _wait_for_holder(env, other_than=holder) != holder  # released at once, taken over
    finally:
        for process in (first, standby):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()


def _lease(env) -> dict:
    code = (
        "import django, json; django.setup(); from contest.models import RoundClockLease as L; "
        "row = L.objects.filter(name='round-clock').values('holder').first(); print(json.dumps(row or {}))"
    )
    return json.loads(run_python(env, "-c", code))


def _wait_for_holder(env, other_than=None, timeout=20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        holder = _lease(env).get("holder")
        if holder and holder != other_than:
            return holder
        time.sleep(0.3)
    raise AssertionError("no clock took the lease")
