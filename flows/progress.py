"""Progress of a batch for the person at the terminal: a rich bar of files and bytes with an ETA.

The flow reports to whatever ``reporting`` installed in its process (the
``corpus`` command does; a flow run by a worker or a deployment reports to
nothing): ``batch_planned`` once the chunks are cut, ``chunk_done`` as each
chunk finishes. The bar is drawn only on a terminal; elsewhere (a log file, a
pipe, ``--quiet``) nothing is printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Listener(Protocol):
    def planned(self, files: int, raw_bytes: int) -> None: ...

    def advanced(self, files: int, raw_bytes: int) -> None: ...


_listeners: list[Listener] = []


def batch_planned(files: int, raw_bytes: int) -> None:
    for listener in _listeners:
        listener.planned(files, raw_bytes)


def chunk_done(files: int, raw_bytes: int) -> None:
    for listener in _listeners:
        listener.advanced(files, raw_bytes)


@contextmanager
def reporting(listener: Listener) -> Iterator[Listener]:
    _listeners.append(listener)
    try:
        yield listener
    finally:
        _listeners.remove(listener)


class RichBar:
    """Two bars (files, bytes) with the time left, on stderr when it is a terminal."""

    def __init__(self, enabled: bool | None = None):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(stderr=True)
        self.enabled = console.is_terminal if enabled is None else enabled
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), console=console, disable=not self.enabled)
        self.files_task = self.bytes_task = None

    def planned(self, files: int, raw_bytes: int) -> None:
        if not self.enabled:
            return
        self.progress.start()
        self.files_task = self.progress.add_task("files", total=files)
        self.bytes_task = self.progress.add_task("bytes", total=raw_bytes)  # MofN of bytes

    def advanced(self, files: int, raw_bytes: int) -> None:
        if self.files_task is not None:
            self.progress.advance(self.files_task, files)
            self.progress.advance(self.bytes_task, raw_bytes)

    def close(self) -> None:
        if self.files_task is not None:
            self.progress.stop()
