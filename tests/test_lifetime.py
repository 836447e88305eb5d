"""No process outlives `corpus`: SIGKILL at random moments, Ctrl-C and SIGTERM mid-run, then the next run.

Each command runs in a session of its own (as from a terminal); every process it
starts (its Prefect server, its chunk workers) is recorded with psutil while it
runs, and must be gone a few seconds after the command is.
"""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyarrow.dataset as ds
import pytest

from ingest.run import run_batch, serial_chunks
from ingest.store import STAGING
from tests.batches import write_paragraph_pages
from tests.conftest import ROOT

pytestmark = pytest.mark.prefect

RUN_TIMEOUT = 300
GONE_TIMEOUT = 20  # a bound for the test not to hang, not a figure asserted: the server gets SIGTERM at once
KILLS = 10


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("prefect-home")


def command(home: Path, *args: str) -> subprocess.Popen:
    """``corpus ARGS`` on two workers, one chunk per file (so workers exist), in a session of its own."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    script = ("import sys\nimport ingest.batch\nfrom flows.cli import main\ningest.batch.MIN_CHUNK_BYTES = 1\n"
              f"sys.exit(main({[*args, '--workers', '2', '-q']!r}))")
    return subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def descendants(process: subprocess.Popen, seen: set) -> None:
    try:
        seen.update((c.pid, c.create_time()) for c in psutil.Process(process.pid).children(recursive=True))
    except psutil.Error:
        pass


def watch_until(process: subprocess.Popen, ready, seen: set, timeout: float = RUN_TIMEOUT) -> None:
    """Record the command's descendants until ``ready()`` (or the command ends)."""
    deadline = time.monotonic() + timeout
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        descendants(process, seen)
        time.sleep(0.05)
    descendants(process, seen)


def alive(seen: set) -> list[int]:
    left = []
    for pid, created in seen:
        try:
            if psutil.Process(pid).create_time() == created and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                left.append(pid)
        except psutil.NoSuchProcess:
            pass
    return left


def wait_gone(seen: set) -> list[int]:
    deadline = time.monotonic() + GONE_TIMEOUT
    while alive(seen) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive(seen)


def lock_is_free(out: Path) -> bool:
    with open(out / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def content(out: Path) -> dict[str, list]:
    """The datasets without what differs between runs (batch id, times)."""
    keep = {"documents": ["record_id", "text", "duplicate_of"], "manifest": ["source_path", "source_sha256", "outcome"],
            "quarantine": ["source_path", "reason"]}
    return {name: sorted(tuple(row.values()) for row in ds.dataset(out / name, format="parquet", partitioning="hive")
                         .to_table(columns=cols).to_pylist())
            for name, cols in keep.items()}


def test_sigkill_at_random_moments_leaves_no_process_and_the_next_run_completes_the_output(tmp_path, home):
    raw, out, reference = tmp_path / "raw", tmp_path / "out", tmp_path / "reference"
    write_paragraph_pages(raw, 8)
    (raw / "empty.txt").write_bytes(b"")
    run_batch(raw, reference, None, True, serial_chunks)
    started = time.monotonic()
    first = command(home, "nightly", "--raw-root", str(raw), "--out", str(tmp_path / "timing"))
    seen: set = set()
    watch_until(first, lambda: False, seen)
    assert first.wait(RUN_TIMEOUT) == 0, first.stderr.read()[-3000:]
    duration = time.monotonic() - started
    assert not wait_gone(seen)
    rng = random.Random(13)
    orphans = []
    for kill in range(KILLS):
        moment = rng.uniform(0.3, duration)
        process = command(home, "nightly", "--raw-root", str(raw), "--out", str(out))
        seen = set()
        until = time.monotonic() + moment
        watch_until(process, lambda until=until: time.monotonic() >= until, seen)
        process.kill()  # SIGKILL to the command alone: its children are not told
        process.wait(RUN_TIMEOUT)
        orphans += wait_gone(seen)
        assert not orphans, f"kill {kill} at {moment:.1f} s left {orphans}"
    final = command(home, "nightly", "--raw-root", str(raw), "--out", str(out))
    seen = set()
    watch_until(final, lambda: False, seen)
    assert final.wait(RUN_TIMEOUT) == 0, final.stderr.read()[-3000:]
    assert not wait_gone(seen)
    assert not list((out / STAGING).iterdir())
    assert lock_is_free(out)
    assert content(out) == content(reference)


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_sigterm_mid_run_stops_it_cleanly(tmp_path, home, signum, code):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_paragraph_pages(raw, 40)
    process = command(home, "ingest", str(raw), "--out", str(out))
    seen: set = set()
    # Mid-cleaning: a chunk has staged its records, others are still being cleaned.
    watch_until(process, lambda: any((out / STAGING).glob("*/documents/*.parquet")), seen)
    assert process.poll() is None, "the run ended before it could be interrupted"
    sent = time.monotonic()
    os.killpg(process.pid, signum)  # as a terminal's ^C does: to the whole foreground process group
    assert process.wait(RUN_TIMEOUT) == code
    print(f"exit {code} {time.monotonic() - sent:.1f} s after signal {signum}")
    stderr = process.stderr.read()
    assert "Crash detected" in stderr or "Cancelled" in stderr, stderr[-3000:]
    assert not wait_gone(seen)
    assert not list((out / STAGING).iterdir())
    assert not list(out.glob("*/batch_id=*"))  # nothing committed
    assert lock_is_free(out)


def test_an_interrupted_pool_kills_its_busy_workers_and_the_command_exits(tmp_path):
    """Ctrl-C (or an error) while a worker runs a long chunk: the worker is killed, not waited for, the thread
    waiting for it is freed, and the process exits (no queue or lock of a dead worker to wait for)."""
    script = ("import threading, time\nfrom flows.runners import ChunkProcessPool\nstarted = time.monotonic()\n"
              "def chunk(runner):\n    try:\n        runner.run_in_worker(time.sleep, 600)\n"
              "    except Exception as error:\n        print(type(error).__name__, error)\n"
              "if __name__ == '__main__':\n    try:\n        with ChunkProcessPool(max_workers=2) as runner:\n"
              "            waiting = threading.Thread(target=chunk, args=(runner,))\n            waiting.start()\n"
              "            while not runner.workers.pids():\n                time.sleep(0.05)\n"
              "            raise KeyboardInterrupt\n"
              "    except KeyboardInterrupt:\n        waiting.join()\n"
              "        print(f'left the runner after {time.monotonic() - started:.1f} s')\n")
    path = tmp_path / "interrupted_pool.py"  # a file: spawned workers import the main module by its path
    path.write_text(script)
    process = subprocess.Popen([sys.executable, str(path)], cwd=ROOT, start_new_session=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = process.communicate(timeout=GONE_TIMEOUT + 60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the process hung at exit, waiting for its worker")
    assert process.returncode == 0, stderr[-3000:]
    assert "WorkerDied" in stdout and "killed by SIGKILL" in stdout and "left the runner" in stdout, stdout
    print(stdout)
