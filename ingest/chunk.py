"""Cleaning one chunk of raw files into staged Parquet parts.

Every file of the chunk ends up as document rows or a quarantine row, and as
one manifest row; an exception while cleaning one file quarantines that file
(reason ``error``) and never stops the others. A chunk writes its own part of
each of the three datasets and returns only counts: whoever coordinates the
chunks never holds a row per file, however large the batch.

Transient I/O errors (a network file system that hiccups, a full disk being
cleared) are not the file's fault: they propagate out of :func:`clean_chunk` so
that the caller can retry the whole chunk, which is idempotent (its parts are
rewritten). When a chunk fails for good, :func:`abandon_chunk` removes what it
may have staged and quarantines its files as ``error``.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cleaners.errors import Rejected
from cleaners.model import StageReport, frozen_counts
from ingest.batch import ChunkRef, load_chunk
from ingest.budget import OverBudget, time_budget
from ingest.listing import NotRegular, read_regular
from ingest.record_keys import KeysWriter, keys_path
from ingest.records import BatchContext, RawFile, document_rows, manifest_row, quarantine_row
from ingest.store import PartWriter, temporary_path, write_part
from ingest.transient import TRANSIENT_ERRNOS, is_transient

if TYPE_CHECKING:  # the cleaners and the container readers are imported where a file is cleaned (the flow's
    from cleaners.model import CleanConfig  # process may clean none: an empty batch, chunks in worker processes)
    from cleaners.pipeline import CleanedPage
    from ingest.readers import Item

__all__ = ["TRANSIENT_ERRNOS", "ChunkResult", "FileOutcome", "abandon_chunk", "clean_chunk", "clean_staged_chunk",
           "is_transient", "process_file", "read_raw"]

Writer = Callable[[list[dict]], None]  # where a streamed container's records go as they come


@dataclass
class ChunkResult:
    index: int
    files: int = 0
    outcomes: Counter = field(default_factory=Counter)  # manifest outcome → files
    records: int = 0
    quarantined: Counter = field(default_factory=Counter)  # by reason
    raw_bytes: int = 0
    seconds: float = 0.0
    write_seconds: float = 0.0  # of ``seconds``, writing Parquet
    keys_seconds: float = 0.0  # of ``seconds``, making the records' keys for the steps after the chunks
    stages: dict[str, Counter] = field(default_factory=dict)  # stage → what it changed, summed
    failed: str | None = None  # why the chunk was abandoned
    pid: int = 0  # the process that cleaned it, and when it started (epoch seconds): for the benchmark
    started_at: float = 0.0


@dataclass(frozen=True)
class FileOutcome:
    documents: list[dict]
    quarantine: dict | None
    manifest: dict
    reports: tuple = ()  # the StageReports of a cleaned file


def process_file(raw: RawFile, data: bytes | None, batch: BatchContext, write: Writer | None = None) -> FileOutcome:
    """One raw file to its rows. ``data`` is None when the file was not read (too large, unreadable, not a file).

    Whatever happens while cleaning it is this file's outcome only: a condition
    of the input gets its permanent reason (``too_complex`` past the file's time
    budget or for structure nested too deep to walk), anything else is a
    pipeline bug, quarantined as ``error`` (retried by the next run).

    A container larger than the limit (a WARC of a crawl, a JSON-lines export)
    is read item by item from its path (:mod:`ingest.readers.stream`), each
    item under the time budget rather than the whole file; with ``write``, its
    records go to ``write`` as they come instead of into the outcome, so that
    memory stays bounded by one item.
    """
    import_cleaning()
    from ingest.readers.stream import streamed_items

    if raw.error is None and raw.size > batch.config.max_bytes:
        try:
            stream = streamed_items(Path(raw.path), batch.config.max_bytes)
            if stream is not None:
                return process_items(raw, stream, batch, write, item_seconds=batch.config.file_seconds)
        except Rejected as rejection:
            return quarantined(raw, batch, rejection)
        except Exception as error:  # a bug or an input we did not foresee: quarantine it, keep the batch going
            return quarantined(raw, batch, bug(error))
    try:
        with time_budget(batch.config.file_seconds):
            return clean_file(raw, data, batch)
    except OverBudget:
        return quarantined(raw, batch, Rejected("too_complex", over_budget_detail(batch.config.file_seconds)))


def import_cleaning() -> None:
    """Import the cleaners and readers (~0.3 s the first time) before any file's time budget starts."""
    import cleaners.pipeline  # noqa: F401
    import ingest.complexity  # noqa: F401
    import ingest.readers  # noqa: F401


def clean_bytes(data: bytes, config: CleanConfig, hint: str | None = None) -> CleanedPage:
    """``cleaners.pipeline.clean_bytes``, imported on first use (a name here, which tests replace)."""
    from cleaners.pipeline import clean_bytes as clean

    return clean(data, config, hint=hint)


def over_budget_detail(seconds: float) -> str:
    return (f"cleaning the file took longer than its budget of {seconds:g} s and was stopped; split the file, "
            f"or raise the budget (corpus ingest/nightly --file-time-budget {2 * seconds:g}, or "
            "CleanConfig.file_seconds).")


def quarantined(raw: RawFile, batch: BatchContext, rejection: Rejected) -> FileOutcome:
    return FileOutcome([], quarantine_row(raw, batch, rejection), manifest_row(raw, batch, "quarantined", 0))


def bug(error: Exception) -> Rejected:
    return Rejected("error", f"cleaning failed with {type(error).__name__}: {error}; "
                             "this is a pipeline bug, please report it with the file.")


def too_deep() -> Rejected:
    return Rejected("too_complex", "the page nests its markup too deep to be parsed or walked (deeper than "
                                   "256 elements, or a RecursionError); it is not a page a person reads: "
                                   "leave it out or flatten it.")


def container_items(data: bytes, batch: BatchContext) -> list[Item] | None:
    """The items of a container file (None for a plain page); a reader that fails on its bytes rejects them."""
    from ingest.readers import read_items

    try:
        return read_items(data, batch.config.max_bytes)
    except (Rejected, RecursionError):
        raise
    except Exception as error:  # a parsing library that trips over malformed bytes: the file's condition
        raise Rejected("container", f"the file looks like a container (WARC, JSON, compressed) but cannot be read "
                                    f"({type(error).__name__}: {error}); fetch it again, or report it if "
                                    "other tools read it.") from error


def longest_line(data: bytes) -> int:
    """Bytes in the longest line of ``data`` (lines end at ``\n``).

    >>> longest_line(b"ab\\nabcd\\n\\nx"), longest_line(b"")
    (4, 0)
    """
    longest = start = 0
    while (end := data.find(b"\n", start)) >= 0:
        longest = max(longest, end - start)
        start = end + 1
    return max(longest, len(data) - start)


def line_too_long_detail(length: int, limit: int) -> str:
    return (f"the page holds a single line of {length:,} bytes, more than the line limit of {limit:,}: not a page "
            "a person reads as one (a dump, an inlined resource); split it, or raise the limit (corpus "
            f"ingest/nightly --max-line-size {length + 1}, or CleanConfig.max_line_bytes).")


def clean_page(data: bytes, batch: BatchContext, hint: str | None = None):
    """One page's bytes cleaned, within the line limit; a page left without text because its markup nests too
    deep is ``too_complex``."""
    from ingest.complexity import markup_too_deep

    limit = batch.config.max_line_bytes
    if len(data) > limit and (length := longest_line(data)) > limit:
        raise Rejected("too_large", line_too_long_detail(length, limit))
    try:
        return clean_bytes(data, batch.config, hint=hint)
    except Rejected as rejection:
        if rejection.reason == "no_text" and markup_too_deep(data):
            raise too_deep() from rejection
        raise


def clean_file(raw: RawFile, data: bytes | None, batch: BatchContext) -> FileOutcome:
    from cleaners.pipeline import too_large_detail

    try:
        if raw.error is not None:
            raise Rejected(raw.reason or "unreadable", f"{raw.error}.")
        if data is None or raw.size > batch.config.max_bytes:
            raise Rejected("too_large", too_large_detail(raw.size, batch.config))
        items = container_items(data, batch)
        if items is not None:  # a container (WARC, JSON lines, compressed): each item is a page of its own
            return process_items(raw, items, batch)
        cleaned = clean_page(data, batch)
        documents = document_rows(cleaned, raw, batch)
        reports = cleaned.reports
    except Rejected as rejection:
        return quarantined(raw, batch, rejection)
    except RecursionError:
        return quarantined(raw, batch, too_deep())
    except Exception as error:  # a bug or an input we did not foresee: quarantine it, keep the batch going
        return quarantined(raw, batch, bug(error))
    return FileOutcome(documents, None, manifest_row(raw, batch, "ingested", len(documents)), reports)


def process_items(raw: RawFile, items: Iterable[Item], batch: BatchContext,
                  write: Writer | None = None, item_seconds: float | None = None) -> FileOutcome:
    """The items of a container file, each cleaned as a page; the items that fail share one quarantine row.

    ``items`` may be an iterator (a streamed container). With ``write``, the
    records are written as they come and the stage counts summed on the way
    (one report per stage), so nothing grows with the number of items.
    """
    documents: list[dict] = []
    reports: list = []
    stages: dict[str, Counter] = {}
    failed: Counter = Counter()  # by reason
    shown_failures: list[tuple[Item, Rejected]] = []  # the first few, for the detail
    count = records = 0
    for item in each_item(items):
        count += 1
        rejection: Rejected | None
        try:
            if item.problem is not None:
                raise item.problem
            with time_budget(item_seconds):
                cleaned = clean_page(item.data, batch, hint=item.declared_charset)
            rows = document_rows(cleaned, raw, batch, item)
        except Exception as error:  # one bad item never costs the others
            rejection = error if isinstance(error, Rejected) else too_deep() if isinstance(error, RecursionError) \
                else bug(error)
        except OverBudget:
            rejection = Rejected("too_complex", over_budget_detail(item_seconds or 0))
        else:
            rejection = None
        if rejection is not None:
            failed[rejection.reason] += 1
            if len(shown_failures) < SHOWN_FAILURES:
                shown_failures.append((item, rejection))
            continue
        records += len(rows)
        if write is None:
            documents += rows
            reports += cleaned.reports
        else:
            write(rows)
            for report in cleaned.reports:
                stages.setdefault(report.stage, Counter()).update(report.counts)
    if write is not None:
        reports = [StageReport(stage, frozen_counts(counts)) for stage, counts in stages.items()]
    quarantine = None
    failures = sum(failed.values())
    if failures:
        reason = failed.most_common(1)[0][0]
        shown = "; ".join(f"item {item.locator}: {r.reason}: {r.detail}" for item, r in shown_failures)
        more = f" (and {failures - SHOWN_FAILURES} more)" if failures > SHOWN_FAILURES else ""
        quarantine = quarantine_row(raw, batch, Rejected(
            reason, f"{failures} of {count} items of this container were not ingested: {shown}{more}"))
    outcome = "ingested" if records else "quarantined"
    return FileOutcome(documents, quarantine, manifest_row(raw, batch, outcome, records, count), tuple(reports))


SHOWN_FAILURES = 3


def each_item(items: Iterable[Item]) -> Iterable[Item]:
    """The items, and when reading the container fails after its first item (a stream cut short, a bug),
    one last item carrying the failure: the records already written stay, the file is not lost.

    A failure before the first item is the file's (raised); a transient I/O error is raised for a retry.
    """
    iterator = iter(items)
    last = None
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as error:
            if last is None or is_transient(error):
                raise
            rejection = error if isinstance(error, Rejected) else Rejected(
                "error", f"reading the container failed with {type(error).__name__}: {error}; "
                         "this is a pipeline bug, please report it with the file.")
            from ingest.readers.item import Item

            yield Item(data=b"", locator=f"after {last}", problem=rejection)
            return
        last = item.locator
        yield item


def read_raw(raw: RawFile, batch: BatchContext) -> tuple[RawFile, bytes | None]:
    """Read a file for cleaning: at most the size limit, never blocking, never following a link.

    The returned RawFile describes the bytes actually read: a file that changed
    since it was listed is recorded with the size and hash of what was cleaned.
    A permanent read error (gone, forbidden, no longer a regular file) is kept
    on the RawFile for the quarantine row; a transient one is raised, for the
    chunk to be retried.
    """
    if raw.error is not None or raw.size > batch.config.max_bytes:
        return raw, None
    try:
        data = read_regular(raw.path, batch.config.max_bytes + 1)
    except NotRegular as error:
        return replace(raw, error=f"the entry became {error.strerror} after it was listed", reason="not_a_file"), None
    except OSError as error:
        if is_transient(error):
            raise
        return replace(raw, error=f"the file cannot be read ({type(error).__name__}: {error})",
                       reason="unreadable"), None
    if len(data) > batch.config.max_bytes:  # grew past the limit since it was listed
        return replace(raw, size=max(raw.size, len(data))), None
    sha256 = hashlib.sha256(data).hexdigest()
    if sha256 != raw.sha256:  # changed since it was listed: recorded as what was cleaned
        raw = replace(raw, size=len(data), sha256=sha256)
    return raw, data


def clean_chunk(files: tuple[RawFile, ...], index: int, batch: BatchContext, staging: Path) -> ChunkResult:
    """Clean the files of chunk ``index`` and write its parts into ``staging``.

    Documents are written a row group at a time as they come (``PartWriter``):
    a chunk's memory does not grow with its size.
    """
    started = time.perf_counter()
    result = ChunkResult(index, pid=os.getpid(), started_at=time.time())
    part = part_name(index)
    quarantine, manifest = [], []
    with PartWriter(staging, "documents", part) as documents, KeysWriter(staging, part) as keys:
        def write(rows: list[dict]) -> None:
            documents.add(rows)
            keys.add(rows)

        for listed in files:
            raw, data = read_raw(listed, batch)
            outcome = process_file(raw, data, batch, write=write)
            data = None
            writing = time.perf_counter()
            documents.add(outcome.documents)
            keying = time.perf_counter()
            keys.add(outcome.documents)
            result.write_seconds += keying - writing
            result.keys_seconds += time.perf_counter() - keying
            result.records += outcome.manifest["records"]
            manifest.append(outcome.manifest)
            result.files += 1
            result.outcomes[outcome.manifest["outcome"]] += 1
            result.raw_bytes += raw.size
            if outcome.quarantine is not None:
                quarantine.append(outcome.quarantine)
                result.quarantined[outcome.quarantine["reason"]] += 1
            for report in outcome.reports:
                result.stages.setdefault(report.stage, Counter()).update(report.counts)
        writing = time.perf_counter()
    write_part(staging, "quarantine", part, quarantine)
    write_part(staging, "manifest", part, manifest)
    result.write_seconds += time.perf_counter() - writing
    result.seconds = time.perf_counter() - started
    return result


def clean_staged_chunk(chunk: ChunkRef, batch: BatchContext, staging: str | Path) -> ChunkResult:
    """:func:`clean_chunk` of a chunk whose file list is staged (``ingest.batch.stage_chunks``).

    What a chunk worker process runs: a plain function of small picklable arguments, whose module imports
    only the cleaning code (never Prefect); the files are read from the staged list in the worker.
    """
    return clean_chunk(load_chunk(chunk), chunk.index, batch, Path(staging))


def part_name(index: int) -> str:
    return f"part-{index:05d}"


def abandon_chunk(files: tuple[RawFile, ...], index: int, batch: BatchContext, staging: Path,
                  error: BaseException, attempts: int) -> ChunkResult:
    """Chunk ``index`` failed for good: drop whatever it staged and quarantine its files as ``error``.

    The other chunks are not touched; the batch still commits.
    """
    part = part_name(index)
    for path in [staging / dataset / f"{part}.parquet" for dataset in ("documents", "quarantine", "manifest")] \
            + [keys_path(staging, part)]:
        path.unlink(missing_ok=True)
        temporary_path(path).unlink(missing_ok=True)  # left by a worker that died while writing
    cause = f"{type(error).__name__}: {error}"
    rejection = Rejected("error", f"the chunk holding this file failed {attempts} time(s), the last time with "
                                  f"{cause}; rerun the batch to retry it.")
    result = ChunkResult(index, files=len(files), failed=cause)
    result.raw_bytes = sum(raw.size for raw in files)
    result.outcomes["quarantined"] = result.quarantined["error"] = len(files)
    write_part(staging, "quarantine", part, [quarantine_row(raw, batch, rejection) for raw in files])
    write_part(staging, "manifest", part, [manifest_row(raw, batch, "quarantined", 0) for raw in files])
    return result
