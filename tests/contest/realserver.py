"""Real Daphne processes for the server tests of rounds: start, SIGKILL, restart, two on Redis.

Each server uses ``config.settings.dev`` with DEBUG off and its own SQLite file in a temporary
``HOITHI_DATA_DIR`` (DATABASE_URL of the calling environment is ignored, so both CI passes
run the same thing); REDIS_URL is passed only when a test asks for it. Data is written by
running this module with the server's environment::

    python -m tests.contest.realserver build <duration_seconds>

which prints JSON with the round id and session keys (sessions made directly, as the load
generator does, so no password hashing is needed). Ports come from ``HOITHI_TEST_PORTS``.
"""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


def server_env(data_dir: Path, **extra: str) -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "HOITHI_TEST_REDIS_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="0",
        HOITHI_DATA_DIR=str(data_dir),
        ROUND_CLOCK_IN_PROCESS="0",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def run_client(coro):
    """``asyncio.run`` on a thread of its own: Playwright's sync API, used by the browser tests
    in the same session, leaves an event loop registered on the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def run_python(env: dict, *argv: str) -> str:
    result = subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"{argv} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


class Daphne:
    def __init__(self, env: dict):
        self.env = env
        self.port = free_port()
        self.log = Path(env["HOITHI_DATA_DIR"]) / f"daphne-{self.port}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "daphne"),
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "config.asgi:application",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait()

    def _wait(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log.read_text(errors="replace"))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"daphne did not listen:\n{self.log.read_text(errors='replace')}")

    def url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL: no cleanup of any kind, as in a crash or an OOM kill."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def _session_key(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def build(duration_seconds: int) -> dict:
    """An edition, an organiser, two contestants, a started 30-question round."""
    from django.utils import timezone

    from contest.models import RoleGrant
    from contest.services import rounds
    from tests import factories

    now = timezone.now()
    edition = factories.make_edition(slug="server-test")
    organiser = factories.make_user(username="btc-server")
    factories.grant(user=organiser, edition=edition, role=RoleGrant.Role.ORGANISER)
    contestants = [factories.make_contestant(edition=edition) for _ in range(2)]
    bank = factories.make_bank(edition=edition)
    paper = factories.make_paper(
        edition=edition, questions=[factories.make_question(bank=bank) for _ in range(30)]
    )
    round_ = factories.make_round(
        edition=edition,
        paper=paper,
        duration_seconds=duration_seconds,
        opens_at=now,
        closes_at=now + timedelta(hours=1),
    )
    round_ = rounds.start_round(round_=round_, actor=organiser, now=now)
    return {
        "round": round_.pk,
        "organiser": _session_key(organiser),
        "contestants": [_session_key(c.person.user) for c in contestants],
    }


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "build":
        print(json.dumps(build(int(sys.argv[2]))))
