"""A wall-clock budget for cleaning one file: past it, the cleaning is interrupted and the file set aside.

:func:`time_budget` watches the calling thread from a watchdog thread and, once
the budget is spent, raises :class:`OverBudget` in it (CPython's
``PyThreadState_SetAsyncExc``), again every half second until the guarded
block is left: code that swallows exceptions cannot hold it back. It works in
any thread (a Prefect worker runs tasks outside the main thread, where
``SIGALRM`` cannot be used). The exception is delivered between two Python
bytecodes: one long call into C (a regular expression over megabytes, lxml
parsing a page) finishes first, so the budget is a bound on Python work, with
the longest single C call as slack.

``OverBudget`` derives from ``BaseException`` so that the ``except Exception``
fallbacks of the cleaners and of libraries let it through.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager

REPEAT_SECONDS = 0.5


class OverBudget(BaseException):
    """The file took longer than its budget."""


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exception) if exception else None)


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`OverBudget` in this thread if the block runs longer than ``seconds`` (None or 0: no budget)."""
    if not seconds or seconds <= 0:
        yield
        return
    target = threading.get_ident()
    done = threading.Event()
    guard = threading.Lock()

    def watch() -> None:
        wait = seconds
        while not done.wait(wait):
            with guard:
                if done.is_set():
                    return
                _raise_in(target, OverBudget)
            wait = REPEAT_SECONDS

    watcher = threading.Thread(target=watch, name="file-time-budget", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop_watching(done, guard, target)
        watcher.join()


class Flushed(BaseException):
    """Sent by the block's own thread to itself as it leaves: see :func:`stop_watching`."""


def stop_watching(done: threading.Event, guard: threading.Lock, target: int) -> None:
    """Stop the watchdog for good; an exception it sent meanwhile is dropped (the block is over).

    A sent exception not yet delivered is replaced by :class:`Flushed`, which is
    then let in and caught here. Clearing it instead (``SetAsyncExc`` with NULL)
    would leave CPython 3.11's eval breaker signalled with nothing to deliver, and
    the next ``sys.settrace`` or ``sys.setprofile`` in the thread (a debugger,
    coverage, cProfile) would then spin for ever at its first call.
    """
    while True:
        try:
            with guard:
                done.set()
            break
        except OverBudget:  # delivered while stopping: the block is over
            continue
    try:
        _raise_in(target, Flushed)
        while True:  # delivered as the call returns, or at the first backward jump
            pass
    except Flushed:
        return
