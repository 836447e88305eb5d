"""Real Prefect servers on loopback: `corpus serve` (trigger `manual` through the API, find `nightly`), and the
server `corpus ingest` starts for its run when no API is configured."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from flows.server import healthy, pick_port
from tests.batches import write_paragraph_pages
from tests.conftest import ROOT

pytestmark = pytest.mark.prefect

STARTUP_TIMEOUT = 150
RUN_TIMEOUT = 120


@pytest.fixture(scope="session")
def prefect_home(tmp_path_factory) -> Path:
    """One Prefect home for the tests that start real servers: its database is migrated once (about 10 s)."""
    return tmp_path_factory.mktemp("prefect-home")


def test_serve_runs_the_manual_deployment_and_schedules_the_nightly_one(tmp_path, prefect_home):
    raw_root, batch_dir, out, home = tmp_path / "raw", tmp_path / "drop" / "crawl-7", tmp_path / "curated", prefect_home
    raw_root.mkdir()
    write_paragraph_pages(batch_dir, 3)
    port = pick_port(0)
    url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_RUNNER_POLL_FREQUENCY="1")
    log = tmp_path / "serve.log"
    with open(log, "wb") as handle:
        serve = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "serve", "--raw-root", str(raw_root), "--out", str(out),
             "--prefect-home", str(home), "--port", str(port), "--at", "03:30", "--timezone", "Europe/Berlin",
             "--workers", "1"],
            cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: "being served" in log.read_text(errors="replace"),
                   serve, log, STARTUP_TIMEOUT)
        assert healthy(url) and (home / "prefect.db").exists()  # our server, its state where we said

        done, failed, nightly = trigger_and_inspect(url, batch_dir)
        assert done.state.is_completed(), done.state
        assert done.name == "ingest-manual-7"
        documents = ds.dataset(out / "documents" / "batch_id=manual-7", format="parquet").to_table()
        assert sorted(documents.column("source_path").to_pylist()) == [f"page-{i:03d}.txt" for i in range(3)]

        assert failed.state.is_failed() and "directory" in (failed.state.message or "")

        (schedule,) = nightly.schedules
        assert (schedule.schedule.cron, schedule.schedule.timezone) == ("30 3 * * *", "Europe/Berlin")
        assert nightly.parameters == {"raw_dir": str(raw_root), "out_dir": str(out), "new_only": True,
                                      "not_chinese": "keep"}
    finally:
        stop(serve, home)
    assert serve.returncode == 0, log.read_text(errors="replace")[-3000:]
    assert not healthy(url), "corpus serve left its Prefect server running"
    assert not (home / "server.pid").exists()


def trigger_and_inspect(url: str, batch_dir: Path):
    from prefect import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: url}):
        done = run_deployment("ingest/manual", parameters={"raw_dir": str(batch_dir), "batch_id": "manual-7"},
                              timeout=RUN_TIMEOUT, poll_interval=1)
        failed = run_deployment("ingest/manual", parameters={"raw_dir": str(batch_dir / "missing")},
                                timeout=RUN_TIMEOUT, poll_interval=1)
        with get_client(sync_client=True) as client:
            nightly = client.read_deployment_by_name("ingest/nightly")
    return done, failed, nightly


def wait_until(condition, process, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"corpus serve exited early:\n{log.read_text(errors='replace')[-3000:]}"
        assert time.monotonic() < deadline, f"corpus serve not ready in {timeout} s:\n{log.read_text()[-3000:]}"
        time.sleep(0.25)


def stop(serve: subprocess.Popen, home: Path) -> None:
    """SIGTERM, as a service manager would; kill whatever is left after a bounded wait."""
    if serve.poll() is None:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
    pid_file = home / "server.pid"
    if pid_file.exists():  # serve did not stop its server: do it, so no process outlives the test
        try:
            os.killpg(int(pid_file.read_text()), signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_ingest_without_an_api_runs_on_a_server_of_its_own_and_stops_it(tmp_path, prefect_home):
    """No ``PREFECT_API_URL``: the command starts ``prefect server start`` for the run, in the configured Prefect
    home, and stops it; the server's code never enters the flow's process (Prefect's temporary server would
    import it there: about 90 MB held for the whole run)."""
    raw, out = tmp_path / "raw", tmp_path / "curated"
    write_paragraph_pages(raw, 3)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    # One file per chunk, so that the chunks go to worker processes, whose events the flow's process forwards.
    script = ("import sys\nimport ingest.batch\nfrom flows.cli import main\n"
              "ingest.batch.MIN_CHUNK_BYTES = 1\n"
              f"code = main(['ingest', {str(raw)!r}, '--out', {str(out)!r}, '--batch-id', 'own-server', "
              "'--workers', '2'])\n"
              "print('server code in the flow process:', 'prefect.server.api.server' in sys.modules)\n"
              "sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=STARTUP_TIMEOUT + RUN_TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "records written: 3" in done.stdout
    assert "3 chunks" in done.stderr
    assert "server code in the flow process: False" in done.stdout
    assert "Error logging to API" not in done.stderr  # logs and events were sent before the server stopped
    documents = ds.dataset(out / "documents" / "batch_id=own-server", format="parquet").to_table()
    assert documents.num_rows == 3
    log = (prefect_home / "corpus-run-server.log").read_text(errors="replace")
    (url,) = {line.split("PREFECT_API_URL=")[1].strip() for line in log.splitlines() if "PREFECT_API_URL=" in line}
    assert not healthy(url), "corpus ingest left its Prefect server running"
    assert not list(prefect_home.glob("corpus-run-server-*.pid"))
