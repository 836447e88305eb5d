"""A batch from raw directory to committed partitions, as one plain function: :func:`run_batch`.

The Prefect flow (``flows/ingest.py``) is a thin caller: it passes a chunk
mapper that runs each chunk as a Prefect task (retries, logs, other processes)
and publishes the artifacts; the tests pass :func:`serial_chunks`. What a batch
does (lock, plan, clean, commit, summarise) is written here once.

``map_chunks(plan, batch, staging)`` yields ``(chunk index, ChunkResult or the
exception the chunk failed with)`` in any order; a chunk that failed is
abandoned here (its files quarantined as ``error``), never the batch.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cleaners.model import CleanConfig
from ingest.batch import (
    BatchPlan,
    StagedPlan,
    check_batch_id,
    default_batch_id,
    list_raw_files,
    load_chunk,
    plan_batch,
    recorded_entries,
    stage_chunks,
)
from ingest.chunk import ChunkResult, abandon_chunk, clean_chunk, is_transient
from ingest.commit import journal_staging, recover
from ingest.dedup_store import mark_staged_documents
from ingest.furniture_store import strip_staged_furniture
from ingest.ledger import committed_batches, held_hashes, nightly_batch_id
from ingest.lock import output_lock
from ingest.records import BatchContext, manifest_row, pipeline_version
from ingest.store import commit_batch, discard_staging, new_staging_dir, sweep_dead_staging, write_part
from ingest.summary import BatchSummary, summarise

LOG = logging.getLogger("corpus.ingest")
CHUNK_LISTS = "chunk-lists"  # in the staging directory, removed with it at commit
# A chunk (and the planning) that fails on a transient I/O error is tried again this many times by the flow.
IO_RETRIES = 3

ChunkOutcome = tuple[int, "ChunkResult | BaseException"]
MapChunks = Callable[[StagedPlan, BatchContext, Path], Iterable[ChunkOutcome]]


def plan_staged(raw_dir: str, out_dir: str, batch: BatchContext, staging: str, record_held: bool) -> StagedPlan:
    """List and hash the raw files, set aside what earlier batches hold (their manifests), cut chunks.

    Everything per file goes to ``staging``: each chunk's file list, and the
    manifest rows of the files no chunk reads. The caller keeps only chunk
    references and counts for the rest of the run.
    """
    # Nightly (nothing recorded as held) also sets aside the entries it could not read and an earlier batch
    # quarantined in the same state: a FIFO in the raw root does not make a new batch every night.
    held_entries = None if record_held else recorded_entries(out_dir, except_batch=batch.batch_id)
    plan = plan_batch(list_raw_files(raw_dir), held=held_hashes(out_dir, except_batch=batch.batch_id),
                      held_entries=held_entries)
    write_part(Path(staging), "manifest", "part-set-aside", set_aside_rows(plan, batch, record_held))
    return stage_chunks(plan, Path(staging) / CHUNK_LISTS)


def set_aside_rows(plan: BatchPlan, batch: BatchContext, record_held: bool) -> list[dict]:
    """Manifest rows of exact duplicates and (unless nightly) of files earlier batches hold."""
    rows = [manifest_row(dup, batch, "duplicate", 0) for dup, _ in plan.duplicates]
    if record_held:
        rows += [manifest_row(raw, batch, "duplicate", 0) for raw, _ in plan.held]
    return rows


def serial_chunks(plan: StagedPlan, batch: BatchContext, staging: Path) -> Iterable[ChunkOutcome]:
    """Clean the chunks one after another in this process: the mapper of the tests and of plain scripts."""
    for ref in plan.chunks:
        try:
            yield ref.index, clean_chunk(load_chunk(ref), ref.index, batch, staging)
        except Exception as error:
            yield ref.index, error


@dataclass(frozen=True)
class Progress:
    """Told how much there is to do and what each chunk did (the command's progress bar); silent by default."""

    def batch_planned(self, files: int, raw_bytes: int) -> None:
        pass

    def chunk_done(self, files: int, raw_bytes: int) -> None:
        pass


@dataclass(frozen=True)
class BatchSteps:
    """The steps a caller may wrap (the flow makes them Prefect tasks, with retries); plain calls by default."""

    plan: Callable[..., StagedPlan] = plan_staged
    # Removes the page furniture that this and earlier batches show by repetition, stages the counts; lines removed.
    strip_furniture: Callable[[str, str, str], int] = lambda out_dir, batch_id, staging: strip_staged_furniture(
        out_dir, Path(staging), batch_id)
    # Marks the staged records that copy a record of this or an earlier batch, stages the grown index; how many.
    mark_duplicates: Callable[[str, str, str], int] = lambda out_dir, batch_id, staging: mark_staged_documents(
        out_dir, Path(staging), batch_id)
    commit: Callable[[str, str, str], object] = lambda out_dir, batch_id, staging: commit_batch(
        out_dir, batch_id, Path(staging))


class BatchExists(ValueError):
    """The batch id names a committed batch, and the run was not told to replace it."""

    def __init__(self, batch_id: str, out_dir: str):
        super().__init__(f"batch {batch_id} is already committed in {out_dir}; nothing was written. Give another "
                         "batch id (or none: the default is unique), or pass --replace (replace=True) to replace it")


def recover_output(out_dir: str, logger=LOG) -> None:
    """What every writer does first under the lock: finish an interrupted commit, sweep dead runs' staging."""
    rolled = recover(out_dir, logger)
    if rolled:
        logger.warning("%s: the interrupted commit of batch %s was completed", out_dir, rolled)
    for staging in sweep_dead_staging(out_dir):
        logger.info("%s: removed the staging of a run that died (%s)", out_dir, staging.name)


def run_batch(raw_dir, out_dir, batch_id: str | None, new_only: bool, map_chunks: MapChunks, *,
              logger=LOG, steps: BatchSteps = BatchSteps(), config: CleanConfig | None = None,
              ingested_at: datetime | None = None, runner: str = "",
              progress: Progress = Progress(), replace: bool = False) -> BatchSummary:
    """Ingest the files under ``raw_dir`` as batch ``batch_id`` of ``out_dir``; its summary.

    ``new_only``: only the files whose content no earlier batch holds (nightly);
    a run that finds nothing new writes nothing (``summary.committed`` is False).
    ``replace``: the batch id may name a committed batch, whose partitions this
    run replaces; without it such an id is refused (:class:`BatchExists`).
    """
    started = time.perf_counter()
    timings: dict = {"started_at": time.time()}
    raw_dir, out_dir = str(raw_dir), str(out_dir)
    if not batch_id:
        batch_id = nightly_batch_id(datetime.now(UTC)) if new_only else default_batch_id(raw_dir)
    batch_id = check_batch_id(batch_id)
    batch = BatchContext(batch_id=batch_id, ingested_at=ingested_at or datetime.now(UTC),
                         config=config or CleanConfig(),
                         # Read once here: every chunk carries the same version, whichever process cleans it.
                         version=pipeline_version())
    with output_lock(out_dir, owner=f"batch {batch_id}",
                     waiting=lambda who: logger.info("%s is locked by %s; waiting for it to finish", out_dir, who)):
        recover_output(out_dir, logger)
        if not replace and batch_id in committed_batches(out_dir):
            raise BatchExists(batch_id, out_dir)
        staging = new_staging_dir(out_dir, batch_id)
        try:
            plan = steps.plan(raw_dir, out_dir, batch, str(staging), record_held=not new_only)
            timings["plan"] = time.perf_counter() - started
            logger.info("batch %s: %d files in %d chunks (%.1f MB), %d exact duplicates, %d already held by "
                        "earlier batches; chunks run on %s", batch_id, plan.files, len(plan.chunks),
                        plan.raw_bytes / 1e6, plan.duplicates, plan.held, runner or "this process")
            if new_only and not plan.chunks and not plan.duplicates:
                logger.info("nothing new under %s: every file's content is already in %s; nothing written",
                            raw_dir, out_dir)
                discard_staging(staging)
                return BatchSummary(batch_id=batch_id, out_dir=out_dir, already_held=plan.held,
                                    seconds=time.perf_counter() - started, runner=runner, committed=False)
            progress.batch_planned(sum(c.files for c in plan.chunks), plan.raw_bytes)
            cleaning = time.perf_counter()
            timings["clean_started_at"] = time.time()
            results = clean_all_chunks(plan, batch, staging, map_chunks, logger, progress)
            timings["clean"] = time.perf_counter() - cleaning
            learning = time.perf_counter()
            furniture = steps.strip_furniture(out_dir, batch_id, str(staging))
            logger.info("batch %s: %d lines of page furniture removed (learnt by repetition)", batch_id, furniture)
            timings["furniture"] = time.perf_counter() - learning
            marking = time.perf_counter()
            marked = steps.mark_duplicates(out_dir, batch_id, str(staging))
            logger.info("batch %s: %d records marked as duplicates of earlier records", batch_id, marked)
            timings["duplicates"] = time.perf_counter() - marking
            committing = time.perf_counter()
            steps.commit(out_dir, batch_id, str(staging))
            timings["commit"] = time.perf_counter() - committing
        except BaseException:
            if journal_staging(out_dir) == staging:
                # Interrupted after its journal was in place: the batch is committed; finish its renames now.
                recover(out_dir, logger)
            else:
                discard_staging(staging)
            raise
    timings["chunk_busy"] = sum(r.seconds for r in results)
    timings["chunk_write"] = sum(r.write_seconds for r in results)
    timings["chunk_keys"] = sum(r.keys_seconds for r in results)
    timings["chunk_busy_by_pid"] = busy_by_process(results)
    timings["first_chunk_started_at"] = min((r.started_at for r in results if r.started_at), default=0.0)
    summary = summarise(batch_id, out_dir, plan, results, time.perf_counter() - started,
                        held_in_manifest=not new_only, timings=timings, runner=runner)
    summary.duplicate_records = marked
    return summary


def clean_all_chunks(plan: StagedPlan, batch: BatchContext, staging: Path, map_chunks: MapChunks,
                     logger, progress: Progress = Progress()) -> list[ChunkResult]:
    """Clean every chunk; a chunk that fails for good is abandoned (its files quarantined), never the batch."""
    results = []
    for index, outcome in map_chunks(plan, batch, staging):
        if isinstance(outcome, ChunkResult):
            result = outcome
        else:
            attempts = IO_RETRIES + 1 if is_transient(outcome) else 1
            logger.error("chunk %d failed for good (%s: %s); its %d files are quarantined as 'error'",
                         index, type(outcome).__name__, outcome, plan.chunks[index].files)
            result = abandon_chunk(load_chunk(plan.chunks[index]), index, batch, staging, outcome, attempts)
        results.append(result)
        progress.chunk_done(result.files, result.raw_bytes)
        logger.info("chunk %d done (%d/%d): %d files, %d records, %d quarantined (%.1f s)",
                    index, len(results), len(plan.chunks), result.files, result.records,
                    sum(result.quarantined.values()), result.seconds)
    return sorted(results, key=lambda r: r.index)


def busy_by_process(results: list[ChunkResult]) -> dict[int, float]:
    busy: dict[int, float] = {}
    for result in (r for r in results if r.pid):
        busy[result.pid] = busy.get(result.pid, 0.0) + result.seconds
    return busy


class EveryChunkFailed(RuntimeError):
    """No chunk of the batch could be cleaned: the run itself failed (a broken install, a full disk…).

    The batch is committed first, so each file has its ``error`` quarantine row
    with the cause; those files are not held by the ledger, so the next run
    takes them again. Raising makes the flow run Failed and ``corpus`` exit 1.
    """

    def __init__(self, summary: BatchSummary):
        causes = sorted(set(summary.failed_chunks.values()))
        super().__init__(f"every one of the {len(summary.failed_chunks)} chunks of batch {summary.batch_id} "
                         f"failed ({'; '.join(causes[:3])}); its {summary.files} files are quarantined as "
                         f"'error' and will be tried again by the next run")


def raise_if_every_chunk_failed(summary: BatchSummary) -> None:
    if summary.chunks and len(summary.failed_chunks) == summary.chunks:
        raise EveryChunkFailed(summary)
