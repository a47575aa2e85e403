"""Personas and service fixtures shared by the whole suite.

Service-backed tests (PostgreSQL, Redis, Chromium) skip on a machine without the service,
but when HOITHI_REQUIRE_SERVICES=1 (set by .ci/run) a missing service fails the test instead,
so CI can never pass by skipping them.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

from contest.models import RoleGrant
from tests import factories

REQUIRE_SERVICES = os.environ.get("HOITHI_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (HOITHI_REQUIRE_SERVICES=1: service-backed tests may not skip)")
    pytest.skip(reason)


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url():
    """The Redis server's URL; skips (or fails in CI) when there is none."""
    url = os.environ.get("REDIS_URL") or os.environ.get("HOITHI_TEST_REDIS_URL")
    if not url:
        skip_or_fail("REDIS_URL is not set")
    if not _reachable(url, 6379):
        skip_or_fail(f"Redis at {url} is not reachable")
    return url


@pytest.fixture
def chromium_path():
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not shutil.which(path):
        skip_or_fail(f"{path} is not installed (apt-get install chromium)")
    return path


# --- Personas ---------------------------------------------------------------------------


@pytest.fixture
def edition(db):
    return factories.make_edition(slug="hoithi-2026", name="Hội thi 2026")


@pytest.fixture
def unit(edition):
    return factories.make_unit(edition=edition, code="QHK", name="LĐLĐ quận Hoàn Kiếm")


@pytest.fixture
def organiser(edition):
    user = factories.make_user(username="btc1")
    factories.grant(user=user, edition=edition, role=RoleGrant.Role.ORGANISER)
    return user


@pytest.fixture
def judge(edition):
    user = factories.make_user(username="gk1")
    factories.grant(user=user, edition=edition, role=RoleGrant.Role.JUDGE)
    return user


@pytest.fixture
def head_judge(edition):
    user = factories.make_user(username="truonggk")
    factories.grant(user=user, edition=edition, role=RoleGrant.Role.JUDGE, head=True)
    return user


@pytest.fixture
def coordinator(edition, unit):
    user = factories.make_user(username="dv-qhk")
    factories.grant(user=user, edition=edition, role=RoleGrant.Role.COORDINATOR, unit=unit)
    return user


@pytest.fixture
def contestant(edition, unit):
    """A registered contestant's Registration; log in with ``contestant.person.user``."""
    return factories.make_contestant(edition=edition, unit=unit, full_name="Phạm Thị Lan")


@pytest.fixture
def other_contestant(edition, unit):
    return factories.make_contestant(edition=edition, unit=unit, full_name="Đỗ Văn Nam")


@pytest.fixture(autouse=True)
def _fresh_frozen_question_cache():
    """quizzes.papers keeps frozen question versions per process by id; test databases roll
    back and hand the same ids to different questions, so each test starts with it empty."""
    from quizzes import papers

    papers.clear_caches()


@pytest.fixture(autouse=True)
def _vietnamese_by_default():
    """Every test starts in Vietnamese: a command or view that activated English in an earlier
    test on the same thread must not change the language of the next one."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _release_stray_database_sessions(django_db_setup, django_db_blocker):
    """Before the test database is dropped, end other sessions on it: worker threads of the
    socket tests (database_sync_to_async) and in-process loops keep their own connections, and
    PostgreSQL refuses to drop a database that is still in use."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
