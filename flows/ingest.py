"""The ``ingest`` flow: list a raw batch, clean it chunk by chunk, commit three Parquet partitions.

Thin orchestration over ``ingest/``: a task lists and hashes the raw files,
one reads the ledger of earlier batches and plans the chunks, one task per chunk
(many files, never one) cleans and stages Parquet parts, one commits. The
whole plan-to-commit stretch holds the output directory's lock
(``ingest.lock``), so overlapping runs cannot ingest a file twice.

``new_only=True`` is the nightly mode: only files whose content no committed
manifest holds are ingested, as a new batch (``nightly-<time>``), and a run
that finds nothing new writes nothing. Otherwise every file under ``raw_dir``
gets a manifest row, and files that earlier batches hold are recorded as
``duplicate`` instead of being cleaned again.
"""

# No `from __future__ import annotations` here: Prefect validates the flow's parameters with a pydantic
# model built from its annotations, and a served run unpickles the flow in a new process, where string
# annotations could no longer be resolved. Real objects travel with the function.
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import as_completed
from prefect.runtime import flow_run
from prefect.task_runners import ProcessPoolTaskRunner
from prefect.tasks import exponential_backoff
from pydantic import AfterValidator, DirectoryPath, StringConstraints

from flows import progress
from flows.runners import available_cores, describe_runner
from flows.server import api_for_workers
from ingest.batch import (
    BATCH_ID,
    BatchPlan,
    ChunkRef,
    StagedPlan,
    check_batch_id,
    default_batch_id,
    list_raw_files,
    load_chunk,
    plan_batch,
    stage_chunks,
)
from ingest.chunk import ChunkResult, abandon_chunk, clean_chunk, is_transient
from ingest.ledger import held_hashes, nightly_batch_id
from ingest.lock import output_lock
from ingest.records import BatchContext, manifest_row
from ingest.store import commit_batch, discard_staging, new_staging_dir, write_part
from ingest.summary import BatchSummary, outcome_table, summarise, summary_markdown

__all__ = ["BatchSummary", "ingest"]

# A batch id as the flow's parameters validate it (the pattern also goes into the deployment's schema).
BatchId = Annotated[str, StringConstraints(pattern=BATCH_ID.pattern), AfterValidator(check_batch_id)]

# Transient I/O errors are retried with exponential backoff: 2 s, 4 s, 8 s (±20 %).
IO_RETRIES = 3
IO_BACKOFF_SECONDS = 2.0


def retry_on_transient_io(task, task_run, state) -> bool:
    """Retry a failed task run only when it failed on an I/O error worth retrying."""
    try:
        error = state.result(raise_on_failure=False)
    except Exception:
        return False
    return isinstance(error, BaseException) and is_transient(error)


def retried(**options):
    """Task options shared by the tasks that only read or stage: retried on transient I/O errors."""
    return dict(cache_policy=NO_CACHE, retries=IO_RETRIES,
                retry_delay_seconds=exponential_backoff(backoff_factor=IO_BACKOFF_SECONDS),
                retry_jitter_factor=0.2, retry_condition_fn=retry_on_transient_io, **options)


@task(name="plan-batch", **retried())
def plan_task(raw_dir: str, out_dir: str, batch: BatchContext, staging: str, record_held: bool) -> StagedPlan:
    """List and hash the raw files, set aside what earlier batches hold (their manifests), cut chunks.

    Everything per file goes to ``staging``: each chunk's file list, and the
    manifest rows of the files no chunk reads. The flow keeps only chunk
    references and counts for the rest of the run, and hands each chunk task a
    reference (a task's arguments are walked by Prefect).
    """
    plan = plan_batch(list_raw_files(raw_dir), held=held_hashes(out_dir, except_batch=batch.batch_id))
    write_part(Path(staging), "manifest", "part-set-aside", set_aside_rows(plan, batch, record_held))
    return stage_chunks(plan, Path(staging) / CHUNK_LISTS)


CHUNK_LISTS = "chunk-lists"  # in the staging directory, removed with it at commit


@task(name="clean-chunk", task_run_name="clean-chunk-{chunk.index}", **retried())
def clean_chunk_task(chunk: ChunkRef, batch: BatchContext, staging: str) -> ChunkResult:
    result = clean_chunk(load_chunk(chunk), chunk.index, batch, Path(staging))
    get_run_logger().info(
        "chunk %d: %d files, %.1f MB, %d records, %d quarantined in %.2f s (writing %.2f s)",
        chunk.index, chunk.files, result.raw_bytes / 1e6, result.records, sum(result.quarantined.values()),
        result.seconds, result.write_seconds)
    return result


@task(name="mark-duplicates", cache_policy=NO_CACHE)
def mark_duplicates_task(out_dir: str, batch_id: str, staging: str) -> int:
    """Mark the staged records that copy a record of this or an earlier batch; stage the grown index."""
    from ingest.dedup_store import mark_staged_documents

    marked = mark_staged_documents(out_dir, Path(staging), batch_id)
    get_run_logger().info("batch %s: %d records marked as duplicates of earlier records", batch_id, marked)
    return marked


@task(name="commit-batch", cache_policy=NO_CACHE)
def commit_task(out_dir: str, batch_id: str, staging: str) -> None:
    """Rename the three partitions into place; the manifest's is renamed last: it is the batch's commit record."""
    commit_batch(out_dir, batch_id, Path(staging))


def set_aside_rows(plan: BatchPlan, batch: BatchContext, record_held: bool) -> list[dict]:
    """Manifest rows of exact duplicates and (unless nightly) of files earlier batches hold."""
    rows = [manifest_row(dup, batch, "duplicate", 0) for dup, _ in plan.duplicates]
    if record_held:
        rows += [manifest_row(raw, batch, "duplicate", 0) for raw, _ in plan.held]
    return rows


def resolve_batch_id(raw_dir, batch_id: str | None, new_only: bool) -> str:
    """The batch id given, else ``nightly-<scheduled time>`` (nightly) or ``<dir>-<date>``."""
    if batch_id:
        return batch_id
    if new_only:
        return nightly_batch_id(flow_run.scheduled_start_time)
    return default_batch_id(raw_dir)


def _run_name() -> str:
    params = flow_run.parameters
    return f"ingest-{resolve_batch_id(params['raw_dir'], params.get('batch_id'), params.get('new_only', False))}"


@flow(name="ingest", flow_run_name=_run_name, log_prints=False,
      task_runner=ProcessPoolTaskRunner(max_workers=available_cores()))
def ingest(raw_dir: DirectoryPath, out_dir: Path = Path("curated"), batch_id: BatchId | None = None,
           new_only: bool = False) -> BatchSummary:
    """Ingest the files under ``raw_dir`` as one batch into ``out_dir``.

    ``new_only``: only the files whose content no earlier batch holds (what the nightly schedule runs).
    """
    logger = get_run_logger()
    started = time.perf_counter()
    timings = {"started_at": time.time()}
    raw_dir, out_dir = str(raw_dir), str(out_dir)
    batch_id = check_batch_id(resolve_batch_id(raw_dir, batch_id, new_only))
    batch = BatchContext(batch_id=batch_id, ingested_at=datetime.now(UTC))
    runner = describe_task_runner()
    with output_lock(out_dir, owner=f"batch {batch_id}",
                     waiting=lambda who: logger.info("%s is locked by %s; waiting for it to finish", out_dir, who)):
        staging = new_staging_dir(out_dir, batch_id)
        try:
            plan = plan_task(raw_dir, out_dir, batch, str(staging), record_held=not new_only)
            timings["plan"] = time.perf_counter() - started
            logger.info("batch %s: %d files in %d chunks (%.1f MB), %d exact duplicates, %d already held by "
                        "earlier batches; chunks run on %s", batch_id, plan.files, len(plan.chunks),
                        plan.raw_bytes / 1e6, plan.duplicates, plan.held, runner)
            if new_only and not plan.chunks and not plan.duplicates:
                logger.info("nothing new under %s: every file's content is already in %s; nothing written",
                            raw_dir, out_dir)
                discard_staging(staging)
                return BatchSummary(batch_id=batch_id, out_dir=out_dir, already_held=plan.held,
                                    seconds=time.perf_counter() - started, runner=runner, committed=False)
            progress.batch_planned(sum(c.files for c in plan.chunks), plan.raw_bytes)
            cleaning = time.perf_counter()
            timings["clean_started_at"] = time.time()
            results = clean_all_chunks(plan, batch, staging, logger)
            timings["clean"] = time.perf_counter() - cleaning
            marking = time.perf_counter()
            marked = mark_duplicates_task(out_dir, batch_id, str(staging))
            timings["duplicates"] = time.perf_counter() - marking
            committing = time.perf_counter()
            commit_task(out_dir, batch_id, str(staging))
            timings["commit"] = time.perf_counter() - committing
        except BaseException:
            discard_staging(staging)
            raise
    timings["chunk_busy"] = sum(r.seconds for r in results)
    timings["chunk_write"] = sum(r.write_seconds for r in results)
    timings["chunk_busy_by_pid"] = busy_by_process(results)
    timings["first_chunk_started_at"] = min((r.started_at for r in results if r.started_at), default=0.0)
    summary = summarise(batch_id, out_dir, plan, results, time.perf_counter() - started,
                        held_in_manifest=not new_only, timings=timings, runner=runner)
    summary.duplicate_records = marked
    publishing = time.perf_counter()
    publish_outcomes(summary)
    timings["artifacts"] = time.perf_counter() - publishing
    logger.info(summary.line())
    timings["finished_at"] = time.time()
    if plan.chunks and len(summary.failed_chunks) == len(plan.chunks):
        raise EveryChunkFailed(summary)
    return summary


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


def busy_by_process(results: list[ChunkResult]) -> dict[int, float]:
    busy: dict[int, float] = {}
    for result in (r for r in results if r.pid):
        busy[result.pid] = busy.get(result.pid, 0.0) + result.seconds
    return busy


def clean_all_chunks(plan: StagedPlan, batch: BatchContext, staging: Path, logger) -> list[ChunkResult]:
    """Clean every chunk; a chunk that fails for good is abandoned (its files quarantined), never the batch."""
    results = []
    for index, outcome in finished_chunks(plan, batch, staging):
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


def finished_chunks(plan: StagedPlan, batch: BatchContext, staging: Path):
    """(index, ChunkResult or the exception it failed with), in the order the chunks finish.

    A batch of one chunk on the local process pool is cleaned in the flow's own
    process: starting a worker process (about 2 s) would cost more than it saves.
    """
    if len(plan.chunks) == 1 and isinstance(current_task_runner(), ProcessPoolTaskRunner):
        try:
            yield 0, clean_chunk_task(plan.chunks[0], batch, str(staging))
        except Exception as error:
            yield 0, error
        return
    with api_for_workers():
        futures = {}
        for chunk in plan.chunks:
            future = clean_chunk_task.submit(chunk, batch, str(staging))
            futures[future.task_run_id] = (chunk.index, future)
    for future in as_completed([f for _, f in futures.values()]):
        index, _ = futures[future.task_run_id]
        try:
            yield index, future.result()
        except Exception as error:
            yield index, error


def current_task_runner():
    context = FlowRunContext.get()
    return context.task_runner if context else None


def describe_task_runner() -> str:
    runner = current_task_runner()
    return describe_runner(runner) if runner else "?"


def publish_outcomes(summary: BatchSummary) -> None:
    """A markdown artifact summarising the batch and a table artifact of per-file outcomes (from its Parquet)."""
    create_markdown_artifact(key="ingest-summary", markdown=summary_markdown(summary),
                             description=f"Summary of batch {summary.batch_id}")
    table, left_out = outcome_table(summary.out_dir, summary.batch_id)
    description = f"Per-file outcomes of batch {summary.batch_id}"
    if left_out:
        description += f" (quarantined files first; {left_out} more rows are in the manifest)"
    create_table_artifact(key="ingest-files", table=table, description=description)
    publish_report(summary)


def publish_report(summary: BatchSummary) -> None:
    """The batch report: an HTML page under ``OUT/reports/`` and the same as the markdown artifact ``batch-report``.

    The batch is committed by now: a report that cannot be written is logged, it does not fail the run.
    """
    from ingest.report import batch_figures, report_markdown, write_report

    try:
        figures = batch_figures(summary.out_dir, summary.batch_id, summary.stages)
        path = write_report(summary.out_dir, figures)
    except (OSError, ValueError, KeyError) as error:
        get_run_logger().warning("batch %s: the report could not be written: %s", summary.batch_id, error)
        return
    create_markdown_artifact(key="batch-report", markdown=report_markdown(figures),
                             description=f"Report of batch {summary.batch_id} (also {path})")
    get_run_logger().info("batch %s: report written to %s", summary.batch_id, path)
