"""Where the chunks of a batch run: processes on this machine, one thread, or a Dask cluster.

Cleaning is CPU-bound pure Python, so threads would share one core (the GIL):
the default, :class:`ChunkProcessPool`, runs each chunk's Prefect task run (its
state, retries, logs, its name ``clean-chunk-N``) in a thread of the flow's
process, and the cleaning itself in a worker process, one per core
(:class:`flows.workers.WorkerProcesses`). The workers are plain spawned processes
that import only the cleaning code (``ingest.chunk.clean_staged_chunk``), never Prefect:
~70 MB less each than Prefect's own process pool, whose workers ran the task
runs. ``workers=1`` runs the chunks one after another in the flow's own process
(no process start-up cost). ``dask_address`` sends them to an existing Dask
cluster through ``prefect-dask`` (the ``dask`` extra).

Whichever runner computes them, the records are the same: a chunk's output
depends only on its files and the batch context.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.workers import LANGUAGE_SCORES, WorkerDied, WorkerProcesses

__all__ = ["ChunkProcessPool", "WorkerDied", "WorkerProcesses", "available_cores", "chunk_runner", "describe_runner",
           "in_this_process", "run_chunk"]

R = TypeVar("R")

# Set by the flow around a chunk it cleans in its own process (a batch of one chunk): no worker is started.
_in_this_process: contextvars.ContextVar[bool] = contextvars.ContextVar("corpus_chunk_in_this_process", default=False)


@contextmanager
def in_this_process() -> Iterator[None]:
    token = _in_this_process.set(True)
    try:
        yield
    finally:
        _in_this_process.reset(token)


class ChunkProcessPool(ThreadPoolTaskRunner):
    """The chunks' task runs in threads of the flow's process, their cleaning in worker processes.

    Prefect's thread pool runs the task runs (one thread per worker); each hands its cleaning to
    :meth:`run_in_worker`. The workers die with the flow's process (``flows.lifetime.watch_parent``), are
    killed, not waited for, on error, Ctrl-C or SIGTERM (minutes of chunks nobody wants), and are released
    as soon as the last chunk is done (:meth:`release_workers`).
    """

    def __init__(self, max_workers: int | None = None):
        super().__init__(max_workers=max_workers or available_cores())
        self.workers: WorkerProcesses | None = None

    def duplicate(self) -> ChunkProcessPool:
        return type(self)(max_workers=self._max_workers)

    def __enter__(self) -> ChunkProcessPool:
        super().__enter__()
        self.workers = WorkerProcesses(self._max_workers, service=LANGUAGE_SCORES)
        return self

    def run_in_worker(self, function: Callable[..., R], *args: Any) -> R:
        """``function(*args)`` in a worker process (in this one inside :func:`in_this_process`)."""
        if self.workers is None or _in_this_process.get():
            return function(*args)
        return self.workers.run(function, *args)

    def release_workers(self) -> None:
        """Stop the worker processes once every chunk is done, before the steps after the chunks.

        The workers hold the cleaners' tables (~260 MB each); kept through the steps after the chunks
        (furniture, duplicates, commit, the report), whose memory in the flow's process then added to
        theirs, the run's peak was the sum of both phases. Those steps run in the flow's process.
        """
        if self.workers is not None:
            self.workers.release()

    def __exit__(self, exc_type, exc_value, traceback) -> None:
        if self.workers is not None:
            if exc_type is not None:
                self.workers.kill()  # the threads waiting for them are freed at once
            else:
                self.workers.release()
        super().__exit__(exc_type, exc_value, traceback)
        self.workers = None

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state["workers"] = None
        return state


def run_chunk(function: Callable[..., R], *args: Any) -> R:
    """Inside a chunk's task run: ``function(*args)`` in a worker process of the flow's :class:`ChunkProcessPool`,
    else here (one worker in the flow's process, or a Dask worker)."""
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    runner = context.task_runner if context is not None else None
    if isinstance(runner, ChunkProcessPool):
        return runner.run_in_worker(function, *args)
    return function(*args)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def chunk_runner(workers: int | None = None, dask_address: str | None = None) -> TaskRunner:
    """The task runner for the chunks: Dask if an address is given, else ``workers`` processes (default: all cores)."""
    if dask_address:
        if workers is not None:
            raise ValueError("give either a number of local workers or a Dask address, not both")
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError as error:
            raise RuntimeError("running on a Dask cluster needs prefect-dask: "
                               "pip install 'corpus-pipeline[dask]'") from error
        return DaskTaskRunner(address=dask_address)
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if workers == 1:
        return ThreadPoolTaskRunner(max_workers=1)
    return ChunkProcessPool(max_workers=workers or available_cores())


def describe_runner(runner: TaskRunner) -> str:
    if isinstance(runner, ChunkProcessPool):
        return f"{runner._max_workers} processes"
    if isinstance(runner, ThreadPoolTaskRunner):
        return "1 worker (in the flow's process)" if runner._max_workers == 1 else f"{runner._max_workers} threads"
    address = getattr(runner, "address", None)
    return f"Dask cluster at {address}" if address else type(runner).__name__
