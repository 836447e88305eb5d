"""Which Prefect API the commands talk to, and the local servers they start when there is none.

* ``PREFECT_API_URL`` set (environment or Prefect profile): that server, always.
* ``corpus ingest`` / ``corpus nightly`` without it: ``prefect server start``
  on a free loopback port for the run (:func:`server_for_this_run`), with the
  database of the configured Prefect home, stopped when the command ends.
* a flow run started from Python without it: Prefect's own temporary server,
  which the run then publishes to the task runs it sends to Dask
  (:func:`api_for_workers`), so that they report to the same server instead of
  each starting a temporary server of their own (the local chunk workers run
  no task runs: :mod:`flows.workers`).
* ``corpus serve`` without it: a real ``prefect server start`` on 127.0.0.1,
  its database and logs in a project-local directory (``.prefect/`` by
  default), waited for until ``/api/health`` answers, stopped on exit (its
  whole process group: terminate, then kill).

Every server started here dies with the command, however the command dies
(SIGKILL included): the kernel sends it SIGTERM (``flows.lifetime``).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from flows.heartbeats import beats_from_the_body, configured_seconds
from flows.lifetime import die_with_parent

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 4200
STARTUP_TIMEOUT = 120.0
STOP_TIMEOUT = 10.0
# ``python -m prefect`` with the server's imports done with the cyclic GC paused (flows/server_process.py).
SERVER_MODULE = "flows.server_process"
# How often a starting server is asked whether it answers: the run waits on average half of it after the server
# is ready, and a refused connection costs ~0.1 ms. (0.25 s cost the run ~0.12 s on average.)
HEALTH_POLL_SECONDS = 0.02


def configured_api_url() -> str | None:
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


@contextmanager
def use_api(url: str) -> Iterator[str]:
    """Point this process, and every process it starts, at ``url``.

    Also the process-global settings: threads do not inherit the caller's
    context, and a thread that sends the run's events (the chunks' task runs run in threads)
    would otherwise find no API and start a temporary server of its own.
    """
    from prefect.context import refresh_global_settings_context
    from prefect.settings import PREFECT_API_URL, temporary_settings

    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    refresh_global_settings_context()
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous
        refresh_global_settings_context()


@contextmanager
def api_for_workers() -> Iterator[None]:
    """Inside a flow run: publish the API it talks to, so task runs in other processes report there too.

    Needed when no ``PREFECT_API_URL`` is configured and the run started its own
    temporary server (a plain ``ingest(...)`` call from Python): Dask's workers,
    which run the chunks' task runs, would otherwise each start a temporary
    server of their own. Dask passes the settings on with every task; the local
    chunk workers run no task runs and talk to no API.
    """
    from prefect.context import FlowRunContext
    from prefect.settings import PREFECT_API_URL, temporary_settings

    context = FlowRunContext.get()
    if configured_api_url() or context is None:
        yield
        return
    with temporary_settings(updates={PREFECT_API_URL: str(context.client.api_url)}):
        yield


# What a server started for one command's run leaves out: it schedules nothing and nobody browses it.
RUN_SERVER_OPTIONS = ("--no-scheduler", "--no-late-runs", "--no-ui")
# ... nor does it register block types (the run uses none; loading the installed collections for them, e.g.
# prefect-dask and so Dask, cost ~0.4 s CPU of its ~3.6 s start), nor run the services that act on runs
# over time (automations, work pools, pauses, cancellations, vacuums): the run's states, task runs and
# events are recorded as usual (task-run recorder, event persister). Defaults: the environment wins.
RUN_SERVER_SETTINGS = {
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
    "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_FOREMAN_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_REPOSSESSOR_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_LOGGER_ENABLED": "false",
}


def early_run_server() -> LocalServer | None:
    """The server :func:`server_for_this_run` would start, launched now, before Prefect is imported.

    ``prefect server start`` takes seconds to import and migrate its database; the command's own
    process takes seconds to import Prefect and the flow. Launched first, the two overlap. It is
    launched only when nothing this side of Prefect's import can configure an API (no
    ``PREFECT_API_URL`` in the environment, none in the profiles file, no ``.env``,
    ``prefect.toml`` or ``[tool.prefect]`` in the working directory); :func:`server_for_this_run`
    checks the guess against Prefect's own settings, and stops the server if it was wrong.
    """
    home = guessed_prefect_home()
    if home is None:
        return None
    server = run_server(home)
    server.launch()
    return server


def guessed_prefect_home() -> Path | None:
    """Prefect's home when no API can be configured outside the environment we read, else None."""
    if os.environ.get("PREFECT_API_URL") is not None:
        return None
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    if mentions(profiles, "PREFECT_API_URL") or mentions(Path("pyproject.toml"), "tool.prefect"):
        return None
    if Path(".env").exists() or Path("prefect.toml").exists():
        return None
    return home


def mentions(path: Path, word: str) -> bool:
    """``path`` holds ``word``; a file that cannot be read might: True."""
    try:
        return word in path.read_text(errors="replace")
    except FileNotFoundError:
        return False
    except OSError:
        return True


def run_server(home: Path) -> LocalServer:
    """The server of one command's run, with the state under ``home``, on a free port.

    Its database is not migrated again when this Prefect version is known to have migrated it
    (:func:`known_migrated`); when it is, the server remembers it once healthy.
    """
    settings = dict(RUN_SERVER_SETTINGS)
    on_healthy = None
    if migration_left_to_us(home):
        if known_migrated(home):
            settings[MIGRATE_ON_START] = "false"
        else:
            on_healthy = remember_migrated
    return LocalServer(home, port=pick_port(0), options=RUN_SERVER_OPTIONS, settings=settings,
                       log_name="corpus-run-server", pid_name=f"corpus-run-server-{os.getpid()}",
                       on_healthy=on_healthy)


# The migration check of a server's start loads Alembic and every revision file of Prefect's database
# (~0.1-0.3 s). A run's server skips it when the database is the one it migrated last time: a marker beside
# the database holds the Prefect version that migrated it and the revision it left. Another Prefect version,
# another revision in the database (a new database, an upgrade or downgrade by hand), a database configured
# elsewhere than Prefect's default, or migrations set in the environment: the server migrates as usual.
MIGRATE_ON_START = "PREFECT_API_DATABASE_MIGRATE_ON_START"
DATABASE_FILE = "prefect.db"  # Prefect's default database: sqlite in its home
MIGRATED_MARKER = "corpus-migrated.json"
DATABASE_SETTING_PREFIXES = ("PREFECT_API_DATABASE_", "PREFECT_SERVER_DATABASE_")


def migration_left_to_us(home: Path) -> bool:
    """The database is Prefect's default in ``home`` and nothing but this module sets its migration."""
    if any(key.startswith(DATABASE_SETTING_PREFIXES) for key in os.environ):
        return False
    if Path(".env").exists() or Path("prefect.toml").exists() or mentions(Path("pyproject.toml"), "tool.prefect"):
        return False
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or Path(home) / "profiles.toml").expanduser()
    return not mentions(profiles, "DATABASE")


def known_migrated(home: Path) -> bool:
    """This Prefect version migrated the database in ``home``, and it is still at the revision it left."""
    revision = database_revision(Path(home) / DATABASE_FILE)
    return revision is not None and read_marker(Path(home) / MIGRATED_MARKER) == migrated_mark(revision)


def remember_migrated(home: Path) -> None:
    """After a server migrated the database in ``home``: write the marker :func:`known_migrated` reads."""
    revision = database_revision(Path(home) / DATABASE_FILE)
    if revision is None:
        return
    marker = Path(home) / MIGRATED_MARKER
    tmp = marker.with_name(f".{marker.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(migrated_mark(revision)))
        os.replace(tmp, marker)
    except OSError:
        tmp.unlink(missing_ok=True)  # no marker: the next server migrates, as it always did


def migrated_mark(revision: str) -> dict[str, str]:
    return {"prefect": installed_prefect_version(), "revision": revision}


def installed_prefect_version() -> str:
    from importlib.metadata import version

    return version("prefect")


def read_marker(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def database_revision(database: Path) -> str | None:
    """The Alembic revision(s) the sqlite ``database`` is at, read only; None if there is none to read."""
    import sqlite3

    if not database.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=5)) as db:
            rows = db.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return None
    return ",".join(sorted(str(row[0]) for row in rows)) or None


@contextmanager
def server_for_this_run(early: LocalServer | None = None) -> Iterator[str]:
    """The API a command's flow run reports to: ``PREFECT_API_URL`` if configured, else a server for this run.

    That server is ``prefect server start`` on a free loopback port, with the
    state of the Prefect home configured (``~/.prefect`` by default, the
    database Prefect's own temporary server would use), stopped on exit.
    Prefect's temporary server would also run in a process of its own, but
    starting it imports the server's code (FastAPI, SQLAlchemy, about 90 MB)
    into the flow's process, which keeps it for the whole run.

    ``early``: the server :func:`early_run_server` launched before Prefect was imported; used if
    Prefect's settings agree (no API configured, the same home), else stopped.
    """
    url = configured_api_url()
    if early is not None and (url or early.home != Path(prefect_home()).resolve()):
        early.stop()
        early = None
    if url:
        with beats_from_the_body(configured_seconds()):  # as often as configured, stopped at once at the end
            yield url
        return
    server = early or run_server(prefect_home())
    # The settings first (~0.1-0.2 s of Prefect's settings, rebuilt): while the server starts, not after.
    # No heartbeats: a server started for one command's run runs no automations (RUN_SERVER_SETTINGS).
    with use_api(server.api_url) as url, beats_from_the_body(None), server:
        try:
            yield url
        finally:
            drain_to_api()


def prefect_home() -> Path:
    from prefect.settings import PREFECT_HOME

    return PREFECT_HOME.value()


DRAIN_TIMEOUT = 10.0


def drain_to_api() -> None:
    """Send the logs and events this process still holds, before the server they go to stops."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=DRAIN_TIMEOUT)
    EventsWorker.drain_all(timeout=DRAIN_TIMEOUT)


class LocalServer:
    """``prefect server start`` on loopback with its state under ``home``; a context manager.

    ``options`` are added to the command, ``settings`` to its environment unless set there; its log (appended to) and pid files in ``home`` are named
    ``log_name`` and ``pid_name``; ``on_healthy(home)`` is called once it answers.
    """

    def __init__(self, home: Path, port: int | None = None, timeout: float = STARTUP_TIMEOUT,
                 options: tuple[str, ...] = (), log_name: str = "server", pid_name: str = "server",
                 settings: dict[str, str] | None = None, on_healthy: Callable[[Path], None] | None = None):
        self.home = Path(home).resolve()
        self.port = port or pick_port(DEFAULT_PORT)
        self.timeout = timeout
        self.options = options
        self.settings = dict(settings or {})
        self.log_name, self.pid_name = log_name, pid_name
        self.on_healthy = on_healthy
        self.process: subprocess.Popen | None = None

    @property
    def api_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/api"

    @property
    def log_path(self) -> Path:
        return self.home / f"{self.log_name}.log"

    @property
    def pid_path(self) -> Path:
        """Holds the server's pid (= its process group) while it runs, for whoever must clean up after a crash."""
        return self.home / f"{self.pid_name}.pid"

    def start(self) -> str:
        """Launch the server (unless :meth:`launch` did) and wait until it answers."""
        if self.process is None:
            self.launch()
        try:
            self.wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        if self.on_healthy is not None:
            self.on_healthy(self.home)
        return self.api_url

    def launch(self) -> None:
        """Start the server's process, without waiting for it."""
        self.home.mkdir(parents=True, exist_ok=True)
        env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
        env["PREFECT_HOME"] = str(self.home)
        env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        for key, value in self.settings.items():
            env.setdefault(key, value)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                server_command("server", "start", "--host", LOOPBACK, "--port", str(self.port), *self.options),
                env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stopped as a whole, deaf to our terminal's ^C
                preexec_fn=die_with_parent(),  # SIGTERM from the kernel when this process dies, even by SIGKILL
            )
        self.pid_path.write_text(str(self.process.pid))

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Prefect server exited with code {self.process.returncode} while starting; "
                                   f"its log is {self.log_path}:\n{tail(self.log_path)}")
            if healthy(self.api_url):
                return
            time.sleep(HEALTH_POLL_SECONDS)
        raise TimeoutError(f"the Prefect server on {self.api_url} was not healthy after {self.timeout:.0f} s; "
                           f"its log is {self.log_path}:\n{tail(self.log_path)}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        self.pid_path.unlink(missing_ok=True)
        if process.poll() is not None:
            return
        signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            signal_group(process, signal.SIGKILL)
            process.wait()

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def server_command(*args: str) -> list[str]:
    """``python -m prefect ARGS`` as the run's server runs it (:data:`SERVER_MODULE`).

    ``-P``: the working directory is not put on the module path, so that a ``flows`` (or ``prefect``) package
    of the user's own in the directory the command runs from is not taken for ours.
    """
    return [sys.executable, "-P", "-m", SERVER_MODULE, *args]


def signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)  # the group id is the pid: start_new_session=True
    except ProcessLookupError:
        pass


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def pick_port(preferred: int) -> int:
    """``preferred`` if nothing listens there on loopback, else a free port the kernel picks."""
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((LOOPBACK, port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free port on 127.0.0.1")


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
