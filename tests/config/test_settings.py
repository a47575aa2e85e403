"""Settings switch on environment variables alone; production refuses unsafe configurations.

Settings are read once at import, so every case runs in a fresh interpreter with the
environment it describes.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = secrets.token_urlsafe(64)


def _env(tmp_path, **overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "HTTPS"}
    }
    env["HOITHI_DATA_DIR"] = str(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    env.update(overrides)
    return env


def _run(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _settings_json(env: dict, expression: str):
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({expression}, default=str))"
    )
    result = _run(code, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _prod_env(tmp_path, **overrides) -> dict:
    values = {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "hoithi.example.vn",
        **overrides,
    }
    return _env(tmp_path, **values)


def test_without_database_url_it_uses_sqlite_in_wal_mode_with_a_busy_timeout(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection; "
        "cur = connection.cursor(); "
        "print(connection.vendor, cur.execute('PRAGMA journal_mode').fetchone()[0], "
        "cur.execute('PRAGMA busy_timeout').fetchone()[0], connection.settings_dict['NAME'])"
    )
    result = _run(code, _env(tmp_path))
    assert result.returncode == 0, result.stderr
    vendor, journal_mode, busy_timeout_ms, name = result.stdout.split()
    assert vendor == "sqlite"
    assert journal_mode == "wal"
    assert int(busy_timeout_ms) >= 5000
    assert Path(name).parent == tmp_path


def test_with_database_url_it_uses_postgresql(tmp_path):
    env = _env(tmp_path, DATABASE_URL="postgres://hoithi:secret@db.example:5432/hoithi")
    database = _settings_json(env, "settings.DATABASES['default']")
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "hoithi"
    assert database["HOST"] == "db.example"


def test_without_redis_url_it_uses_the_in_memory_channel_layer(tmp_path):
    backend = _settings_json(_env(tmp_path), "settings.CHANNEL_LAYERS['default']['BACKEND']")
    assert backend == "channels.layers.InMemoryChannelLayer"


def test_with_redis_url_it_uses_the_redis_pubsub_layer(tmp_path):
    env = _env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/4")
    layer = _settings_json(env, "settings.CHANNEL_LAYERS['default']")
    assert layer["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert layer["CONFIG"]["hosts"][0]["address"] == "redis://127.0.0.1:6379/4"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DEBUG": "1"}, "DEBUG"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
    ],
    ids=["no-secret-key", "weak-secret-key", "debug-on", "no-allowed-hosts"],
)
def test_production_settings_refuse_to_start_when_unsafe(tmp_path, overrides, message):
    result = _run("import django; django.setup()", _prod_env(tmp_path, **overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def _check_deploy(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_settings_over_https_gives_no_warnings(tmp_path):
    result = _check_deploy(_prod_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_over_plain_http_on_a_lan_starts_and_drops_secure_cookies(tmp_path):
    env = _prod_env(tmp_path, HTTPS="0")
    values = _settings_json(
        env, "[settings.SESSION_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT, settings.DEBUG]"
    )
    assert values == [False, False, False]
    result = _check_deploy(env)
    # Only the HTTPS-related warnings remain, which is what HTTPS=0 means.
    assert "security.W008" in result.stderr + result.stdout
