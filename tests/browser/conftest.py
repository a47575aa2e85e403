"""Real-server fixtures for browser tests: a Daphne process on a migrated, seeded SQLite file,
and Playwright pages that keep a screenshot when a test fails.

Reuse them from any test under tests/browser/:

``live_server_url`` (session)
    Base URL (``http://127.0.0.1:PORT``, no trailing slash) of one shared Daphne process:
    ``config.settings.dev`` with ``DEBUG=0``, its own SQLite file in a temporary
    ``HOITHI_DATA_DIR``, migrated and loaded with ``seed_demo`` (demo logins, password
    ``contest.demo.DEMO_PASSWORD``), static files served by WhiteNoise from the finders,
    round clock inside the process (the embedded default). DATABASE_URL and REDIS_URL of
    the calling environment are ignored, so it is the same in both CI passes.

``start_daphne(extra_env=None, setup=(), seed=True)`` (session factory)
    Start another server when a test needs different settings, e.g.
    ``start_daphne(extra_env={"ANSWER_GRACE_SECONDS": "0"})``, or extra data: each item of
    ``setup`` is an argv run with the server's Python and environment before it starts,
    e.g. ``[("-m", "tests.browser.my_data")]``. Returns a :class:`LiveServer` (``base_url``,
    ``data_dir``, ``env``, ``log_path``); use ``server.run(*argv)`` to run more commands
    against its database while it is up. Servers with the same arguments are shared within
    the session; all are stopped at the end.

``browser`` (session) / ``page`` (function)
    Debian's chromium driven by Playwright (skipped when absent, failing under
    HOITHI_REQUIRE_SERVICES=1). ``page`` is a fresh context at 1280x860; on failure a
    full-page screenshot goes to ``test-artifacts/browser/<test>-failure.png``. Call
    ``new_page(browser, width=360)`` for a phone-sized one (same screenshot rule only for
    ``page``).

Ports come from ``HOITHI_TEST_PORTS`` (default ``8100-8199``), so engineers running suites
side by side can give each run its own range.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 860}


@dataclass
class LiveServer:
    base_url: str
    data_dir: Path
    env: dict
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    def run(self, *argv: str) -> str:
        """Run ``python *argv`` against this server's database; return its stdout."""
        return _run_python(self.env, argv)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _run_python(env: dict, argv) -> str:
    result = subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _wait_until_healthy(server: LiveServer, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"daphne exited:\n{server.log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{server.base_url}/health/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(
                f"daphne did not become healthy:\n{server.log_path.read_text(errors='replace')}"
            )
        time.sleep(0.2)


@pytest.fixture(scope="session")
def start_daphne(tmp_path_factory):
    servers: dict[tuple, LiveServer] = {}

    def start(extra_env: dict | None = None, setup=(), seed: bool = True) -> LiveServer:
        key = (tuple(sorted((extra_env or {}).items())), tuple(tuple(argv) for argv in setup), seed)
        if key in servers and servers[key].process.poll() is None:
            return servers[key]
        data_dir = tmp_path_factory.mktemp("daphne")
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.dev",
            DEBUG="0",
            HOITHI_DATA_DIR=str(data_dir),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            PYTHONPATH=str(ROOT),
        )
        env.update(extra_env or {})
        _run_python(env, ["manage.py", "migrate", "--noinput", "-v", "0"])
        if seed:
            _run_python(env, ["manage.py", "seed_demo"])
        for argv in setup:
            _run_python(env, argv)
        port = free_port()
        log_path = data_dir / "daphne.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "daphne"),
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "config.asgi:application",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so stop() ends it and only it
            )
        server = LiveServer(f"http://127.0.0.1:{port}", data_dir, env, log_path, process)
        _wait_until_healthy(server)
        servers[key] = server
        return server

    yield start
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def live_server_url(start_daphne) -> str:
    return start_daphne().base_url


@pytest.fixture(scope="session")
def browser():
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not shutil.which(path):
        skip_or_fail(f"{path} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
        yield instance
        instance.close()


def new_page(
    browser, *, width: int = DESKTOP["width"], height: int = DESKTOP["height"], locale: str = "vi-VN"
):
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    return context.new_page()


def logged_in(
    browser, base_url: str, username: str, password: str, *, timeout_ms: int | None = None, **viewport
):
    """A new page (its own context) logged in through the real login form, on the dashboard."""
    page = new_page(browser, **viewport)
    if timeout_ms is not None:
        page.set_default_timeout(timeout_ms)
    page.goto(base_url + "/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_url("**/bang-dieu-khien/")
    return page


def save_shot(directory: Path, page, name: str, *, full_page: bool = True) -> None:
    """``directory/name.png``: a screenshot kept for people to look at."""
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(directory / f"{name}.png"), full_page=full_page)


def screenshot_path(request, suffix: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    return ARTIFACTS / f"{name}-{suffix}.png"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request):
    page = new_page(browser)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        page.screenshot(path=str(screenshot_path(request, "failure")), full_page=True)
    page.context.close()
