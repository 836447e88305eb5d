"""The chunk worker processes: plain spawned processes that import only what they run, never Prefect.

This module imports nothing of Prefect: the worker processes unpickle its classes. ``flows.runners`` puts
them behind the flow's task runner.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.spawn
import queue
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

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


class ChunkWorker(multiprocessing.context.SpawnProcess):
    """A spawned process that does not run the parent's main module: a worker imports only what it runs.

    ``spawn`` runs the parent's ``__main__`` again in each child (as ``__mp_main__``), so that functions defined
    there can be unpickled. Chunk workers run only ``ingest.chunk`` functions, and the parent's main can be
    anything: ``python -m prefect.engine`` for a flow run of a work pool, a user's script that imports the flow
    (both ~70 MB of Prefect per worker), a script without the ``__main__`` guard (a process started while the
    child imports it). Its name marks it for :func:`preparation_data`.
    """


class ChunkWorkerContext(multiprocessing.context.SpawnContext):
    Process = ChunkWorker


def preparation_data(name: str, parents=multiprocessing.spawn.get_preparation_data) -> dict:
    """``multiprocessing.spawn.get_preparation_data`` without the parent's main module for a :class:`ChunkWorker`."""
    data = parents(name)
    if name.startswith(f"{ChunkWorker.__name__}-"):
        data.pop("init_main_from_name", None)
        data.pop("init_main_from_path", None)
    return data


def install_preparation_data() -> None:
    if multiprocessing.spawn.get_preparation_data is not preparation_data:
        multiprocessing.spawn.get_preparation_data = preparation_data


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
            install_preparation_data()
            executor = ProcessPoolExecutor(max_workers=1, mp_context=ChunkWorkerContext(),
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
