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
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, Pipe, wait
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


@dataclass(frozen=True)
class Service:
    """What the workers may ask of this process while they run: ``answer(question)``, here, one at a time.

    ``install(ask)`` runs in each worker when it starts (pickled by reference): ``ask(question)`` sends the
    question here and returns the answer, or raises the exception ``answer`` raised. ``release()`` runs here
    when the workers are released.
    """

    answer: Callable[[Any], Any]
    install: Callable[[Callable[[Any], Any]], None]
    release: Callable[[], None] = lambda: None


@dataclass
class Worker:
    executor: ProcessPoolExecutor
    questions: Connection | None  # this process's end of the worker's questions (with a service)
    woken: Connection  # readable when the call running in the worker is done
    wake: Connection
    child_ends: list[Connection] = field(default_factory=list)  # the worker's ends, until its process started


class Asker:
    """In a worker: sends a question to the process that started it and waits for the answer to it.

    Numbered: a question given up between sending and receiving (the file's time budget raises in the middle)
    leaves an answer the next question skips.
    """

    def __init__(self, connection: Connection):
        self.connection = connection
        self.sent = 0

    def __call__(self, question: Any) -> Any:
        self.sent += 1
        self.connection.send((self.sent, question))
        while True:
            number, failed, answer = self.connection.recv()
            if number == self.sent:
                if failed:
                    raise answer
                return answer


def start_worker(initializer: Callable[[], None] | None, questions: Connection | None,
                 install: Callable[[Callable[[Any], Any]], None] | None) -> None:
    """The first thing a worker process runs: ``initializer``, then the service's ``install``."""
    if initializer is not None:
        initializer()
    if install is not None and questions is not None:
        install(Asker(questions))


class WorkerProcesses:
    """``count`` worker processes, each its own one-process executor, started (spawned) on first use.

    A worker takes one call at a time (:meth:`run`, from any thread; a caller waits for a free worker). A worker
    that dies fails only the call it was running, with :class:`WorkerDied`; the next call starts a new one.
    Each worker runs ``initializer`` first (``flows.lifetime.watch_parent``: it exits when this process is
    gone, and ignores SIGINT). With a ``service``, the thread that waits for a worker's call answers the
    questions the worker asks meanwhile (:class:`Service`).
    """

    def __init__(self, count: int, initializer: Callable[[], None] | None = watch_parent,
                 service: Service | None = None):
        self.count = count
        self.initializer = initializer
        self.service = service
        self._idle: queue.SimpleQueue[Worker | None] = queue.SimpleQueue()
        self._running: list[Worker] = []
        self._lock = threading.Lock()
        self._answering = threading.Lock()
        self._closed = False
        for _ in range(count):
            self._idle.put(None)  # a worker not started yet

    def run(self, function: Callable[..., R], *args: Any) -> R:
        """``function(*args)`` in a worker process; its result, or the exception it raised there."""
        worker = self._idle.get()
        try:
            if worker is None:
                worker = self._start()
            future = worker.executor.submit(function, *args)
            process = only_process(worker.executor)
            self._close_child_ends(worker)
            future.add_done_callback(lambda _: worker.wake.send_bytes(b""))
            self._answer_until_done(worker, future)
            try:
                return future.result()
            except BrokenProcessPool as error:
                self._forget(worker)
                worker = None
                raise WorkerDied(f"the worker process (pid {process.pid if process else '?'}) "
                                 f"{death_cause(exit_code(process))} while it ran this chunk") from error
        finally:
            self._idle.put(worker)

    def _answer_until_done(self, worker: Worker, future: Future) -> None:
        questions = worker.questions
        while not future.done():
            ready = wait([worker.woken] if questions is None else [questions, worker.woken])
            if questions is not None and questions in ready and not self._answer(questions):
                questions = None  # the worker is gone: its call fails
        while worker.woken.poll():
            worker.woken.recv_bytes()

    def _answer(self, questions: Connection) -> bool:
        """Answer one question; False once the worker's end is closed (it died)."""
        assert self.service is not None
        try:
            number, question = questions.recv()
        except (EOFError, OSError):
            return False
        try:
            with self._answering:
                answer = (number, False, self.service.answer(question))
        except Exception as error:
            answer = (number, True, error)
        try:
            questions.send(answer)
        except (OSError, ValueError):
            return False
        return True

    def _start(self) -> Worker:
        with self._lock:
            if self._closed:
                raise RuntimeError("the worker processes were released")
            install_preparation_data()
            questions, theirs = Pipe() if self.service is not None else (None, None)
            woken, wake = Pipe(duplex=False)
            executor = ProcessPoolExecutor(
                max_workers=1, mp_context=ChunkWorkerContext(), initializer=start_worker,
                initargs=(self.initializer, theirs, self.service.install if self.service is not None else None))
            worker = Worker(executor, questions, woken, wake, [theirs] if theirs is not None else [])
            self._running.append(worker)
            return worker

    @staticmethod
    def _close_child_ends(worker: Worker) -> None:
        """Once the worker's process is started (it holds its own copy): a dead worker's end then reads EOF."""
        for end in worker.child_ends:
            end.close()
        worker.child_ends = []

    def _forget(self, worker: Worker) -> None:
        with self._lock:
            if worker in self._running:
                self._running.remove(worker)
        worker.executor.shutdown(wait=False)
        close_ends(worker)

    def pids(self) -> list[int]:
        """The process ids of the workers started and not stopped."""
        with self._lock:
            return [process.pid for worker in self._running if (process := only_process(worker.executor)) is not None]

    def release(self) -> None:
        """Stop the workers (each finishes what it runs), then the service's ``release``; a later call starts
        new workers."""
        with self._lock:
            running, self._running = self._running, []
        for worker in running:
            worker.executor.shutdown(wait=True)
            close_ends(worker)
        self._drain(running)
        if self.service is not None:
            self.service.release()

    def kill(self) -> None:
        """Kill the workers at once, whatever they run (their callers get :class:`WorkerDied`); no new ones."""
        with self._lock:
            self._closed = True
            running, self._running = self._running, []
        processes = [p for worker in running for p in list((worker.executor._processes or {}).values())]
        for process in processes:
            try:
                process.kill()
            except (OSError, ValueError, AttributeError):
                pass
        for process in processes:
            process.join(timeout=5)
        for worker in running:
            worker.executor.shutdown(wait=False, cancel_futures=True)

    def _drain(self, stopped: list[Worker]) -> None:
        """The idle slots forget the workers that were stopped."""
        kept = []
        while True:
            try:
                kept.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for worker in kept:
            self._idle.put(None if worker is not None and worker in stopped else worker)


def close_ends(worker: Worker) -> None:
    for end in (worker.questions, worker.woken, worker.wake):
        if end is not None:
            try:
                end.close()
            except OSError:
                pass


def only_process(executor: ProcessPoolExecutor) -> multiprocessing.Process | None:
    processes = list((getattr(executor, "_processes", None) or {}).values())
    return processes[0] if processes else None


def exit_code(process: multiprocessing.Process | None, seconds: float = 5.0) -> int | None:
    """The dead worker's exit code. Another thread may be reaping it at the same moment (the executor's own, or
    :meth:`WorkerProcesses.kill`): this thread's ``join`` then returns before the code is recorded, so ask again."""
    if process is None:
        return None
    deadline = time.monotonic() + seconds
    while process.exitcode is None and time.monotonic() < deadline:
        process.join(timeout=0.05)
    return process.exitcode


def language_scores(sample: str) -> list:
    """In the process that started the workers: lingua's confidence values for a worker's sample."""
    from cleaners.text.language import lingua_confidences

    return lingua_confidences(sample)


def ask_language_scores(ask: Callable[[Any], Any]) -> None:
    """In a worker: lingua's values are asked of the process that started it (``cleaners.text.language``)."""
    from cleaners.text.language import score_elsewhere

    score_elsewhere(ask)


def unload_language_models() -> None:
    """lingua's models out of this process once the workers are done (the steps after the chunks need none)."""
    language = sys.modules.get("cleaners.text.language")
    if language is not None:  # never imported here: nothing was loaded
        language.unload_models()


# lingua's models are loaded once a run, in the flow's process, instead of once a worker: a sample under ~120
# letters loads every n-gram length of the Latin-script candidates (~125 MB, ~1.1 s of CPU); a worker asks
# for the values of each non-Chinese page (one detector, the same sample: the same values).
LANGUAGE_SCORES = Service(answer=language_scores, install=ask_language_scores, release=unload_language_models)
