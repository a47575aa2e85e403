"""Test settings: fast hashing, an isolated data folder, no static manifest."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, HOITHI, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="hoithi-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="hoithi-test-static-"))
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Tests drive the clock themselves; a background loop would race them.
HOITHI = {**HOITHI, "ROUND_CLOCK_IN_PROCESS": False}
# Tests reconnect for every database call, as before: a connection kept open by a
# database_sync_to_async thread would stop the PostgreSQL test database from being dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, as in the embedded default (WAL: readers beside the writer), not the in-memory
    # database Django would pick: its shared cache locks whole tables, so the background
    # reads thread (contest.background_reads) would fail with "database table is locked".
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.mkdtemp(prefix="hoithi-test-db-")) / "test.sqlite3")
    }
