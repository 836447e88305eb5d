"""Where the chunks of a batch run: processes on this machine, one thread, or a Dask cluster.

Cleaning is CPU-bound pure Python, so threads would share one core (the GIL):
the default is Prefect's :class:`~prefect.task_runners.ProcessPoolTaskRunner`,
one process per core, each chunk a Prefect task run with its own state, retries
and logs (forwarded to the flow run by the runner). ``workers=1`` runs the
chunks one after another in the flow's own process (no process start-up cost).
``dask_address`` sends them to an existing Dask cluster through
``prefect-dask`` (the ``dask`` extra).

Whichever runner computes them, the records are the same: a chunk's output
depends only on its files and the batch context.
"""

from __future__ import annotations

import multiprocessing
import os

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from flows.lifetime import watch_parent


class ChunkProcessPool(ProcessPoolTaskRunner):
    """Prefect's process pool whose workers die with the flow's process and are stopped, not waited for, on error.

    Prefect's pool waits for the running tasks when the flow ends; after a Ctrl-C, a SIGTERM or a
    failure that would be minutes of chunks nobody wants. Each worker also exits by itself when the
    flow's process is gone (``flows.lifetime.watch_parent``).
    """

    def __init__(self, max_workers: int | None = None, **options):
        options.setdefault("initializer", watch_parent)
        super().__init__(max_workers=max_workers, **options)

    def release_workers(self) -> None:
        """Stop the worker processes once every chunk is done (their futures resolved), before the flow ends.

        Prefect keeps the pool until the flow returns, so the workers, each holding the cleaners' tables
        (~330 MB), stayed resident through the steps after the chunks (furniture, duplicates, commit, the
        report), whose memory in the flow's process then added to theirs: the run's peak was the sum of
        both phases. The steps after the chunks run in the flow's process and submit nothing.
        """
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    def __exit__(self, exc_type, exc_value, traceback) -> None:
        if exc_type is not None:
            self.stop_workers()
            self.forget_workers_lock()
        super().__exit__(exc_type, exc_value, traceback)

    def stop_workers(self) -> None:
        processes = getattr(self._executor, "_processes", None) or {}
        for process in list(processes.values()):
            try:
                process.kill()
            except (OSError, ValueError):
                pass
        for process in list(processes.values()):
            process.join(timeout=5)

    def forget_workers_lock(self) -> None:
        """After :meth:`stop_workers`: the queue the workers sent their logs and events on must not wait for them.

        A worker killed while sending holds the queue's write lock for ever. Prefect's shutdown message
        would then wait for that lock (5 s), and so would the interpreter at exit, for ever: the
        queue's feeder thread is joined then. A SIGTERM to the whole process group (a terminal, a
        supervisor) kills workers at any moment, so this happened now and then. The workers are gone:
        a lock of our own for the one message this process still sends, and no join at exit.
        """
        queue = getattr(self, "_subprocess_message_queue", None)
        if queue is None:
            return
        queue._wlock = multiprocessing.get_context("spawn").Lock()
        queue.cancel_join_thread()


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
    if isinstance(runner, ThreadPoolTaskRunner):
        return "1 worker (in the flow's process)" if runner._max_workers == 1 else f"{runner._max_workers} threads"
    if isinstance(runner, ProcessPoolTaskRunner):
        return f"{runner._max_workers} processes"
    address = getattr(runner, "address", None)
    return f"Dask cluster at {address}" if address else type(runner).__name__
