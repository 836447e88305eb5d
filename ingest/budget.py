"""A wall-clock budget for cleaning one file: past it, the cleaning is interrupted and the file set aside.

:func:`time_budget` registers the calling thread with the process's one
watchdog thread, which, once the budget is spent, raises :class:`OverBudget` in
it (CPython's ``PyThreadState_SetAsyncExc``), again every half second until the
guarded block is left: code that swallows exceptions cannot hold it back. It
works in any thread (a Prefect worker runs tasks outside the main thread, where
``SIGALRM`` cannot be used). The exception is delivered between two Python
bytecodes: one long call into C (a regular expression over megabytes, lxml
parsing a page) finishes first, so the budget is a bound on Python work, with
the longest single C call as slack.

The watchdog is started once and sleeps until the earliest deadline: a file
that ends in time costs a lock and a dictionary entry, not a thread (a thread
a file cost 135-180 µs of CPU; arming the watchdog costs 3 µs).

``OverBudget`` derives from ``BaseException`` so that the ``except Exception``
fallbacks of the cleaners and of libraries let it through.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

REPEAT_SECONDS = 0.5


class OverBudget(BaseException):
    """The file took longer than its budget."""


class Flushed(BaseException):
    """Sent by the block's own thread to itself as it leaves: see :func:`flush_pending`."""


def _raise_in(thread_id: int, exception: type[BaseException]) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exception))


@dataclass
class Watch:
    """One guarded block: the thread it runs in, when it is next to be interrupted, and whether it was."""

    thread_id: int
    deadline: float
    fired: bool = False


class Watchdog:
    """The process's watchdog: one daemon thread interrupting every guarded block whose deadline has passed."""

    def __init__(self) -> None:
        self.condition = threading.Condition(threading.Lock())
        self.watches: dict[int, Watch] = {}  # by id(): a block's watch, for as long as the block runs
        self.waking_at = float("inf")  # the deadline the thread sleeps until
        self.thread: threading.Thread | None = None

    def arm(self, watch: Watch) -> None:
        with self.condition:
            self.watches[id(watch)] = watch
            if self.thread is None:
                self.thread = threading.Thread(target=self.run, name="file-time-budget", daemon=True)
                self.thread.start()
            elif watch.deadline < self.waking_at:
                self.condition.notify()

    def disarm(self, watch: Watch) -> bool:
        """Stop watching ``watch`` for good (if it was armed at all); whether an exception was ever sent for it."""
        with self.condition:
            self.watches.pop(id(watch), None)
            return watch.fired

    def run(self) -> None:
        with self.condition:
            while True:
                now = time.monotonic()
                for watch in self.watches.values():
                    if watch.deadline <= now:
                        _raise_in(watch.thread_id, OverBudget)
                        watch.fired = True
                        watch.deadline = now + REPEAT_SECONDS
                self.waking_at = min((w.deadline for w in self.watches.values()), default=float("inf"))
                self.condition.wait(None if self.waking_at == float("inf") else self.waking_at - now)


_watchdog = Watchdog()


def _new_watchdog_in_child() -> None:
    global _watchdog
    _watchdog = Watchdog()  # a forked child has no watchdog thread, and perhaps a lock held by it


os.register_at_fork(after_in_child=_new_watchdog_in_child)


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`OverBudget` in this thread if the block runs longer than ``seconds`` (None or 0: no budget)."""
    if not seconds or seconds <= 0:
        yield
        return
    watchdog, watch = _watchdog, Watch(threading.get_ident(), time.monotonic() + seconds)
    try:
        watchdog.arm(watch)
        yield
    finally:
        while True:
            try:
                if watchdog.disarm(watch):
                    flush_pending()
                break
            except OverBudget:  # sent again as the block was left: the block is over, and so is the watch
                continue


def flush_pending() -> None:
    """Drop an exception the watchdog sent that is not yet delivered (the block is over).

    A sent exception not yet delivered is replaced by :class:`Flushed`, which is
    then let in and caught here. Clearing it instead (``SetAsyncExc`` with NULL)
    would leave CPython 3.11's eval breaker signalled with nothing to deliver, and
    the next ``sys.settrace`` or ``sys.setprofile`` in the thread (a debugger,
    coverage, cProfile) would then spin for ever at its first call.
    """
    try:
        _raise_in(threading.get_ident(), Flushed)
        while True:  # delivered as the call returns, or at the first backward jump
            pass
    except (Flushed, OverBudget):  # OverBudget: the sent one came in first, and nothing is pending now
        return
