"""Where the chunks of a batch run: processes on this machine, one thread, or a Dask cluster.

Cleaning is CPU-bound pure Python, so threads would share one core (the GIL):
the default, :class:`ChunkProcessPool`, runs each chunk's Prefect task run (its
state, retries, logs, its name ``clean-chunk-N``) in a thread of the flow's
process, and the cleaning itself in a worker process, one per core
(:class:`WorkerProcesses`). The workers are plain spawned processes that import
only the cleaning code (``ingest.chunk.clean_staged_chunk``), never Prefect:
~70 MB less each than Prefect's own process pool, whose workers ran the task
runs. ``workers=1`` runs the chunks one after another in the flow's own process
(no process start-up cost). ``dask_address`` sends them to an existing Dask
cluster through ``prefect-dask`` (the ``dask`` extra).

Whichever runner computes them, the records are the same: a chunk's output
depends only on its files and the batch context.
"""

from __future__ import annotations

import contextvars
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.lifetime import watch_parent

R = TypeVar("R")


class WorkerDied(RuntimeError):
    """The worker process running a chunk died before it returned (a crash, the OOM killer, ``os._exit``)."""


def death_cause(exitcode: int | None) -> str:
    """What a worker's exit code says about how it died.

    >>> death_cause(-9), death_cause(3), death_cause(None)
    ("was killed by SIGKILL (the kernel's OOM killer, or a person)", 'exited with code 3', 'died')
    """
    if exitcode is None:
        return "died"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        why = {"SIGKILL": " (the kernel's OOM killer, or a person)", "SIGSEGV": " (a crash in compiled code)"}
        return f"was killed by {name}{why.get(name, '')}"
    return f"exited with code {exitcode}"


class WorkerProcesses:
    """``count`` worker processes, each its own one-process executor, started (spawned) on first use.

    A worker takes one call at a time (:meth:`run`, from any thread; a caller waits for a free worker). A worker
    that dies fails only the call it was running, with :class:`WorkerDied`; the next call starts a new one.
    Each worker runs ``initializer`` first (``flows.lifetime.watch_parent``: it exits when this process is
    gone, and ignores SIGINT).
    """

    def __init__(self, count: int, initializer: Callable[[], None] | None = watch_parent):
        self.count = count
        self.initializer = initializer
        self._idle: queue.SimpleQueue[ProcessPoolExecutor | None] = queue.SimpleQueue()
        self._running: set[ProcessPoolExecutor] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(count):
            self._idle.put(None)  # a worker not started yet

    def run(self, function: Callable[..., R], *args: Any) -> R:
        """``function(*args)`` in a worker process; its result, or the exception it raised there."""
        executor = self._idle.get()
        try:
            if executor is None:
                executor = self._start()
            future = executor.submit(function, *args)
            process = only_process(executor)
            try:
                return future.result()
            except BrokenProcessPool as error:
                self._forget(executor)
                executor = None
                raise WorkerDied(f"the worker process (pid {process.pid if process else '?'}) "
                                 f"{death_cause(exit_code(process))} while it ran this chunk") from error
        finally:
            self._idle.put(executor)

    def _start(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise RuntimeError("the worker processes were released")
            executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=self.initializer)
            self._running.add(executor)
            return executor

    def _forget(self, executor: ProcessPoolExecutor) -> None:
        with self._lock:
            self._running.discard(executor)
        executor.shutdown(wait=False)

    def pids(self) -> list[int]:
        """The process ids of the workers started and not stopped."""
        with self._lock:
            return [process.pid for executor in self._running if (process := only_process(executor)) is not None]

    def release(self) -> None:
        """Stop the workers (each finishes what it runs); a later call starts new ones."""
        with self._lock:
            running, self._running = self._running, set()
        for executor in running:
            executor.shutdown(wait=True)
        self._drain()

    def kill(self) -> None:
        """Kill the workers at once, whatever they run (their callers get :class:`WorkerDied`); no new ones."""
        with self._lock:
            self._closed = True
            running, self._running = self._running, set()
        processes = [p for executor in running for p in list((executor._processes or {}).values())]
        for process in processes:
            try:
                process.kill()
            except (OSError, ValueError, AttributeError):
                pass
        for process in processes:
            process.join(timeout=5)
        for executor in running:
            executor.shutdown(wait=False, cancel_futures=True)

    def _drain(self) -> None:
        """The idle slots forget the executors that were shut down."""
        kept = []
        while True:
            try:
                kept.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for executor in kept:
            self._idle.put(None if executor is not None and executor not in self._running else executor)


def only_process(executor: ProcessPoolExecutor) -> multiprocessing.Process | None:
    processes = list((getattr(executor, "_processes", None) or {}).values())
    return processes[0] if processes else None


def exit_code(process: multiprocessing.Process | None) -> int | None:
    if process is None:
        return None
    process.join(timeout=5)
    return process.exitcode


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
        self.workers = WorkerProcesses(self._max_workers)
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
