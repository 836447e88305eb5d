"""One writer per output directory at a time: an advisory lock on ``OUT/.lock``.

Every run that writes batches into an output directory (``corpus ingest``,
``corpus nightly``, both deployments) holds this lock from the moment it reads
the manifests to decide what to ingest until its partitions are committed. A
second run waits. When it gets the lock, the first run's manifest is in place,
so it sees the first run's files as already ingested: two overlapping runs can
never both ingest a file.

The lock is ``flock(2)`` on a file, so the kernel releases it when the holding
process dies, however it dies: a crashed run never leaves a stale lock. It is
only as good as the file system's ``flock``: local disks and most modern network
file systems honour it; an output directory shared between machines over a file
system that does not is not protected.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".lock"
POLL_SECONDS = 0.2
DEFAULT_TIMEOUT = 12 * 3600.0


class LockTimeout(TimeoutError):
    """The output directory stayed locked by another run for longer than we were willing to wait."""


@contextmanager
def output_lock(out_dir: str | os.PathLike, owner: str, timeout: float = DEFAULT_TIMEOUT,
                waiting: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold the exclusive lock of ``out_dir`` for the duration of the block.

    ``owner`` (e.g. the batch id) is written into the lock file so that a
    waiting run can say whom it waits for; ``waiting`` is called once with that
    description when the lock is not free at once.
    """
    path = Path(out_dir) / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        acquire(handle, path, timeout, waiting)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps({"owner": owner, "pid": os.getpid(), "host": socket.gethostname(),
                                     "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}))
            handle.flush()
            yield path
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def acquire(handle, path: Path, timeout: float, waiting: Callable[[str], None] | None) -> None:
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if not told and waiting is not None:
                waiting(holder(path))
                told = True
            if time.monotonic() >= deadline:
                raise LockTimeout(f"{path.parent} is still locked by {holder(path)} after {timeout:.0f} s; "
                                  "another run is writing there") from None
            time.sleep(POLL_SECONDS)


def holder(path: Path) -> str:
    """Who holds the lock, as the lock file says (best effort)."""
    try:
        info = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return "another run"
    if not info:
        return "another run"
    return f"{info.get('owner')} (pid {info.get('pid')} on {info.get('host')}, since {info.get('since')})"
