"""A run's server skips the database migration check only when this Prefect version migrated that database
(``flows.server.known_migrated``): another version, another revision, another database migrates as usual."""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.request
from pathlib import Path

import pytest

import flows.server as server
from flows.server import (
    DATABASE_FILE,
    MIGRATE_ON_START,
    MIGRATED_MARKER,
    database_revision,
    known_migrated,
    remember_migrated,
    run_server,
)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A Prefect home with nothing configured anywhere but the environment."""
    monkeypatch.chdir(tmp_path)
    for key in [k for k in os.environ if k.startswith(server.DATABASE_SETTING_PREFIXES)]:
        monkeypatch.delenv(key)
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    return home


def database_at(home: Path, revision: str) -> None:
    """A sqlite database as Alembic leaves it: one row naming the revision it is at."""
    with sqlite3.connect(home / DATABASE_FILE) as db:
        db.execute("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL)")
        db.execute("DELETE FROM alembic_version")
        db.execute("INSERT INTO alembic_version VALUES (?)", (revision,))


def test_a_database_migrated_by_this_version_is_not_migrated_again(home):
    database_at(home, "a3b9c7d2e5f1")
    assert not known_migrated(home)  # no marker yet: migrate, and remember it once healthy
    first = run_server(home)
    assert MIGRATE_ON_START not in first.settings and first.on_healthy is remember_migrated
    remember_migrated(home)
    assert json.loads((home / MIGRATED_MARKER).read_text())["revision"] == "a3b9c7d2e5f1"
    second = run_server(home)
    assert known_migrated(home) and second.settings[MIGRATE_ON_START] == "false" and second.on_healthy is None


def test_another_prefect_version_another_revision_or_no_database_migrates(home, monkeypatch):
    database_at(home, "a3b9c7d2e5f1")
    remember_migrated(home)
    assert known_migrated(home)
    monkeypatch.setattr(server, "installed_prefect_version", lambda: "3.9.0")  # upgraded: its new revisions
    assert not known_migrated(home)
    monkeypatch.undo()
    monkeypatch.chdir(home.parent)
    database_at(home, "0000aaaa1111")  # upgraded or downgraded by hand
    assert not known_migrated(home)
    database_at(home, "a3b9c7d2e5f1")
    assert known_migrated(home)
    (home / DATABASE_FILE).unlink()  # a new database: every migration to run
    assert database_revision(home / DATABASE_FILE) is None and not known_migrated(home)
    (home / DATABASE_FILE).write_bytes(b"not a database")
    assert not known_migrated(home)


@pytest.mark.parametrize("where", ["environment", "migrate setting", "profiles", "env file"])
def test_a_database_configured_elsewhere_is_left_to_prefect(home, monkeypatch, where):
    database_at(home, "a3b9c7d2e5f1")
    remember_migrated(home)
    if where == "environment":
        monkeypatch.setenv("PREFECT_SERVER_DATABASE_CONNECTION_URL", "postgresql+asyncpg://db/prefect")
    elif where == "migrate setting":
        monkeypatch.setenv("PREFECT_API_DATABASE_MIGRATE_ON_START", "true")
    elif where == "profiles":
        (home / "profiles.toml").write_text(
            'active = "x"\n[profiles.x]\nPREFECT_API_DATABASE_CONNECTION_URL = "sqlite+aiosqlite:////elsewhere.db"\n')
    else:
        Path(".env").write_text("PREFECT_SERVER_DATABASE_CONNECTION_URL=sqlite+aiosqlite:////elsewhere.db\n")
    started = run_server(home)
    assert MIGRATE_ON_START not in started.settings and started.on_healthy is None


@pytest.mark.prefect
def test_a_server_started_without_the_migration_check_serves_the_migrated_database(home):
    first = run_server(home)  # a new database: migrated, then remembered
    with first:
        pass
    assert known_migrated(home)
    second = run_server(home)
    assert second.settings[MIGRATE_ON_START] == "false"
    with second:
        request = urllib.request.Request(f"{second.api_url}/flows/filter", data=b"{}", method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200 and json.loads(response.read()) == []
