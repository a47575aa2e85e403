"""Backing up and restoring the database the settings point at.

SQLite uses the online backup API: a consistent copy page by page while Daphne keeps serving
(WAL readers and writers are not blocked for long). PostgreSQL uses ``pg_dump`` in custom
format and ``pg_restore``; the credentials go through libpq environment variables, never the
command line, so they do not show in ``ps``.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    """A backup or restore could not be done; ``str()`` says why."""


def _database(alias: str = "default") -> dict:
    return connections[alias].settings_dict


def _vendor(alias: str = "default") -> str:
    return connections[alias].vendor


def _pg_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return path


def backup(out: Path, alias: str = "default") -> Path:
    """Write a consistent copy of the database to ``out`` (an SQLite file or a pg_dump archive)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    vendor = _vendor(alias)
    if vendor == "sqlite":
        connection = connections[alias]
        connection.ensure_connection()
        target = sqlite3.connect(out)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif vendor == "postgresql":
        result = subprocess.run(  # noqa: S603 - a fixed tool; arguments are not shell-parsed
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(out)],
            env=_pg_env(_database(alias)),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    return out


def restore(source: Path, alias: str = "default") -> None:
    """Replace the database's contents with a backup made by :func:`backup`."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    vendor = _vendor(alias)
    if vendor == "sqlite":
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            try:
                status = backup_db.execute("PRAGMA quick_check").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                raise BackupError(f"{source} is not an SQLite database: {exc}") from None
            if status != "ok":
                raise BackupError(f"{source} is damaged: {status}")
            connection = connections[alias]
            connection.ensure_connection()
            backup_db.backup(connection.connection)
        finally:
            backup_db.close()
    elif vendor == "postgresql":
        with source.open("rb") as handle:
            if handle.read(5) != b"PGDMP":
                raise BackupError(f"{source} is not a pg_dump custom-format archive.")
        connections[alias].close()
        result = subprocess.run(  # noqa: S603 - a fixed tool; arguments are not shell-parsed
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                _database(alias)["NAME"],
                str(source),
            ],
            env=_pg_env(_database(alias)),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"Restoring {vendor} databases is not supported.")
