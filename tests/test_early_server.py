"""The run's server launched before Prefect is imported (``flows.server.early_run_server``): launched only
when nothing outside the environment can configure an API, and given up when Prefect's settings disagree."""

from __future__ import annotations

from pathlib import Path

import pytest

import flows.server as server
from flows.server import guessed_prefect_home, server_for_this_run


@pytest.fixture
def bare(tmp_path, monkeypatch):
    """A working directory and Prefect home with nothing in them, no API in the environment."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    return tmp_path


def test_the_home_is_guessed_when_nothing_can_name_an_api(bare):
    assert guessed_prefect_home() == bare / "home"


@pytest.mark.parametrize("where", ["environment", "profiles", "profiles path", "env file", "prefect.toml",
                                   "pyproject"])
def test_no_guess_where_an_api_could_be_configured(bare, monkeypatch, where):
    if where == "environment":
        monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:1/api")
    elif where == "profiles":
        (bare / "home").mkdir()
        (bare / "home" / "profiles.toml").write_text(
            'active = "x"\n[profiles.x]\nPREFECT_API_URL = "http://127.0.0.1:1/api"\n')
    elif where == "profiles path":
        (bare / "p.toml").write_text('[profiles.default]\nPREFECT_API_URL = "http://127.0.0.1:1/api"\n')
        monkeypatch.setenv("PREFECT_PROFILES_PATH", str(bare / "p.toml"))
    elif where == "env file":
        (bare / ".env").write_text("PREFECT_API_URL=http://127.0.0.1:1/api\n")
    elif where == "prefect.toml":
        (bare / "prefect.toml").write_text('[api]\nurl = "http://127.0.0.1:1/api"\n')
    else:
        (bare / "pyproject.toml").write_text('[tool.prefect.api]\nurl = "http://127.0.0.1:1/api"\n')
    assert guessed_prefect_home() is None


class Launched:
    """Stands for a launched server: its home, and whether it was stopped."""

    def __init__(self, home: Path):
        self.home = home.resolve()
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


def test_a_wrong_guess_is_stopped_and_the_configured_api_used(monkeypatch, tmp_path):
    monkeypatch.setattr(server, "configured_api_url", lambda: "http://127.0.0.1:9/api")
    early = Launched(tmp_path)
    with server_for_this_run(early) as url:
        assert url == "http://127.0.0.1:9/api"
    assert early.stopped


def test_a_guess_of_another_home_is_stopped(monkeypatch, tmp_path):
    monkeypatch.setattr(server, "configured_api_url", lambda: None)
    monkeypatch.setattr(server, "prefect_home", lambda: tmp_path / "real")
    started = []

    class Fresh(Launched):
        api_url = "http://127.0.0.1:8/api"

        def __enter__(self):
            started.append(self.home)
            return self

        def __exit__(self, *exc):
            self.stop()

    monkeypatch.setattr(server, "run_server", Fresh)
    monkeypatch.setattr(server, "use_api", lambda url: _yielding(url))
    monkeypatch.setattr(server, "drain_to_api", lambda: None)
    early = Launched(tmp_path / "guessed")
    with server_for_this_run(early) as url:
        assert url == "http://127.0.0.1:8/api"
    assert early.stopped
    assert started == [(tmp_path / "real").resolve()]


def _yielding(url):
    from contextlib import contextmanager

    @contextmanager
    def cm():
        yield url
    return cm()


def heartbeat_frequency():
    from prefect.settings import get_current_settings

    return get_current_settings().flows.heartbeat_frequency


def test_no_heartbeats_while_the_runs_own_server_serves_it(monkeypatch, tmp_path):
    """The run's own server runs no automations that read heartbeats; the flow engine would wait ~0.5 s on
    average at the run's end for its heartbeat thread."""
    monkeypatch.setattr(server, "configured_api_url", lambda: None)
    monkeypatch.setattr(server, "prefect_home", lambda: tmp_path)
    monkeypatch.setattr(server, "use_api", lambda url: _yielding(url))
    monkeypatch.setattr(server, "drain_to_api", lambda: None)
    before = heartbeat_frequency()
    assert before is not None
    class Served(Launched):
        api_url = "http://127.0.0.1:8/api"

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stop()

    with server_for_this_run(Served(tmp_path)):
        assert heartbeat_frequency() is None
    assert heartbeat_frequency() == before


def test_a_configured_api_keeps_heartbeats_sent_by_the_flows_body(monkeypatch, tmp_path):
    """Heartbeats as often as configured, but from the flow's body (flows.heartbeats), not the engine's thread."""
    from flows import heartbeats

    monkeypatch.setattr(server, "configured_api_url", lambda: "http://127.0.0.1:9/api")
    configured = heartbeat_frequency()
    assert configured is not None
    with server_for_this_run(Launched(tmp_path)):
        assert heartbeat_frequency() is None and heartbeats._asked.get() == max(configured, 30)
    assert heartbeat_frequency() == configured and heartbeats._asked.get() is None
