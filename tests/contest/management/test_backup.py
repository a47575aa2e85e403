"""backup_data and restore_data round-trip a real database: SQLite file and PostgreSQL.

They run as subprocesses against a database of their own, as an operator would run them,
because the test database is in memory (SQLite) or owned by pytest-django (PostgreSQL).
"""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[3]
COUNT_EDITIONS = (
    "from contest.models import Edition; print(sorted(Edition.objects.values_list('slug', flat=True)))"
)


def manage(env, *args, stdin=None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def make_edition(env, slug):
    manage(
        env,
        "shell",
        "-c",
        f"from contest.models import Edition; Edition.objects.create(slug='{slug}', name='{slug}')",
    )


def editions(env) -> str:
    return manage(env, "shell", "-c", COUNT_EDITIONS).stdout.strip().splitlines()[-1]


def round_trip(env, backup_path: Path, *, migrate=True):
    if migrate:
        manage(env, "migrate", "--noinput", "-v", "0")
    make_edition(env, "truoc-sao-luu")
    output = manage(env, "backup_data", "--out", str(backup_path)).stdout
    assert "Đã sao lưu" in output
    assert backup_path.stat().st_size > 0
    make_edition(env, "sau-sao-luu")
    assert editions(env) == "['sau-sao-luu', 'truoc-sao-luu']"

    manage(env, "restore_data", "--noinput", str(backup_path))
    assert editions(env) == "['truoc-sao-luu']"


def base_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", DEBUG="0", HOITHI_DATA_DIR=str(tmp_path))
    return env


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory) -> Path:
    """One migrated SQLite file for the module: migrating costs seconds per subprocess, so each
    test starts from a copy instead."""
    folder = tmp_path_factory.mktemp("migrated")
    manage(base_env(folder), "migrate", "--noinput", "-v", "0")
    return folder / "hoithi.sqlite3"


def migrated_env(tmp_path, migrated_sqlite) -> dict:
    shutil.copy(migrated_sqlite, tmp_path / "hoithi.sqlite3")
    return base_env(tmp_path)


def test_sqlite_backup_and_restore_round_trip(tmp_path, migrated_sqlite):
    env = migrated_env(tmp_path, migrated_sqlite)
    round_trip(env, tmp_path / "backups" / "hoithi.sqlite3", migrate=False)


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path, migrated_sqlite):
    env = migrated_env(tmp_path, migrated_sqlite)
    make_edition(env, "con-nguyen")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_data", "--noinput", str(junk)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "not an SQLite database" in result.stderr
    assert editions(env) == "['con-nguyen']"


def test_restore_asks_before_overwriting(tmp_path):
    env = base_env(tmp_path)
    manage(env, "backup_data", "--out", str(tmp_path / "b.sqlite3"))
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_data", str(tmp_path / "b.sqlite3")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        input="no\n",
        timeout=120,
    )
    assert result.returncode != 0
    assert "Đã hủy" in result.stderr


def _postgres_admin_url() -> str:
    url = os.environ.get("HOITHI_TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/hoithi"
    return url


@pytest.fixture
def scratch_postgres_url():
    """A fresh PostgreSQL database of our own, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    url = urlparse(_postgres_admin_url())
    base = (url.path.lstrip("/") or "hoithi").removeprefix("test_")
    name = f"{base}_backup_{secrets.token_hex(4)}"
    admin = urlunparse(url._replace(path="/postgres"))
    try:
        connection = psycopg.connect(admin, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        skip_or_fail(f"PostgreSQL is not reachable: {exc}")
    with connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(url._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_postgresql_backup_and_restore_round_trip_with_pg_dump(tmp_path, scratch_postgres_url):
    env = base_env(tmp_path)
    env["DATABASE_URL"] = scratch_postgres_url
    backup_path = tmp_path / "hoithi.dump"
    round_trip(env, backup_path)
    assert backup_path.read_bytes()[:5] == b"PGDMP"
