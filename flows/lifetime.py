"""No process outlives the command that started it: servers and workers die with their parent.

* A child started with :func:`die_with_parent` as its ``preexec_fn`` gets
  SIGTERM from the kernel when its parent dies, however it dies (SIGKILL
  included): Linux's parent-death signal, ``prctl(PR_SET_PDEATHSIG)``. The
  ``prefect server start`` of a run (one uvicorn process) is started so.
  The signal follows the *thread* that started the child: start it from a
  thread that lives as long as the process (the main thread).
* A worker process of the chunk pool runs :func:`watch_parent` first (the
  pool's initializer): a daemon thread that exits the worker as soon as its
  parent is gone (it is re-parented: ``getppid()`` changes). A parent-death
  signal would not do there, since the pool starts its workers from
  short-lived threads. Workers also ignore SIGINT: a Ctrl-C at the terminal
  reaches the whole process group, and it is the command that stops them.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5
# Resolved here, in the parent: a child between fork and exec must not load libraries.
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def die_with_parent(signum: int = signal.SIGTERM):
    """A ``preexec_fn`` that makes the child receive ``signum`` when this process dies (Linux; else nothing)."""
    parent = os.getpid()

    def arm() -> None:
        if _PRCTL is not None:
            _PRCTL(PR_SET_PDEATHSIG, int(signum), 0, 0, 0)
            if os.getppid() != parent:  # the parent died before the signal was armed
                os._exit(1)

    return arm


def watch_parent(seconds: float = WATCH_SECONDS) -> None:
    """In a worker process: ignore SIGINT, and exit at once when the parent process is gone."""
    import multiprocessing

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The pid the pool's parent had: a parent that died while this worker was starting is gone already.
    spawner = multiprocessing.parent_process()
    parent = spawner.pid if spawner is not None and spawner.pid else os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(seconds)
        os._exit(1)

    threading.Thread(target=watch, name="corpus-watch-parent", daemon=True).start()
