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
from typing import Annotated, Literal

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import as_completed
from prefect.runtime import flow_run
from prefect.tasks import exponential_backoff
from pydantic import AfterValidator, DirectoryPath, NonNegativeFloat, PositiveInt, StringConstraints

from cleaners.model import CleanConfig
from flows import progress
from flows.heartbeats import beating
from flows.runners import ChunkProcessPool, available_cores, describe_runner, in_this_process, run_chunk
from flows.server import api_for_workers
from ingest.batch import ChunkRef, StagedPlan
from ingest.batch_ids import BATCH_ID, check_batch_id, default_batch_id, nightly_batch_id, unique_suffix
from ingest.chunk import ChunkResult, clean_staged_chunk, is_transient
from ingest.records import BatchContext
from ingest.run import (
    IO_RETRIES,
    BatchSteps,
    EveryChunkFailed,
    plan_staged,
    raise_if_every_chunk_failed,
    run_batch,
)
from ingest.store import commit_batch
from ingest.summary import BatchSummary, outcome_table, summary_markdown

__all__ = ["BatchSummary", "EveryChunkFailed", "IO_RETRIES", "ingest"]

# A batch id as the flow's parameters validate it (the pattern also goes into the deployment's schema).
BatchId = Annotated[str, StringConstraints(pattern=BATCH_ID.pattern), AfterValidator(check_batch_id)]

# Transient I/O errors are retried with exponential backoff: 2 s, 4 s, 8 s (±20 %).
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
    """``ingest.run.plan_staged`` as a task: the flow hands each chunk task a reference, nothing per file."""
    return plan_staged(raw_dir, out_dir, batch, staging, record_held)


@task(name="clean-chunk", task_run_name="clean-chunk-{chunk.index}", **retried())
def clean_chunk_task(chunk: ChunkRef, batch: BatchContext, staging: str) -> ChunkResult:
    """The chunk's task run (state, retries, this log line) in the flow's process; its cleaning in a worker
    process of the flow's :class:`~flows.runners.ChunkProcessPool` (else here)."""
    result = run_chunk(clean_staged_chunk, chunk, batch, staging)
    get_run_logger().info(
        "chunk %d: %d files, %.1f MB, %d records, %d quarantined in %.2f s (writing %.2f s, keys %.2f s)",
        chunk.index, chunk.files, result.raw_bytes / 1e6, result.records, sum(result.quarantined.values()),
        result.seconds, result.write_seconds, result.keys_seconds)
    return result


@task(name="mark-duplicates", cache_policy=NO_CACHE)
def mark_duplicates_task(out_dir: str, batch_id: str, staging: str) -> int:
    """Mark the staged records that copy a record of this or an earlier batch; stage the grown index."""
    return BatchSteps().mark_duplicates(out_dir, batch_id, staging)


@task(name="commit-batch", cache_policy=NO_CACHE)
def commit_task(out_dir: str, batch_id: str, staging: str) -> None:
    """Rename the three partitions into place; the manifest's is renamed last: it is the batch's commit record."""
    commit_batch(out_dir, batch_id, Path(staging))


def resolve_batch_id(raw_dir, batch_id: str | None, new_only: bool) -> str:
    """The batch id given, else ``nightly-<scheduled time>-<run>`` (nightly) or ``<dir>-<time>-<run>``.

    ``<run>`` comes from the flow run's id: unique per run, and the same for the run's name and its batch.
    """
    if batch_id:
        return batch_id
    suffix = unique_suffix(str(flow_run.id or ""))
    if new_only:
        return nightly_batch_id(flow_run.scheduled_start_time, suffix)
    return default_batch_id(raw_dir, flow_run.scheduled_start_time, suffix)


def _run_name() -> str:
    params = flow_run.parameters
    return f"ingest-{resolve_batch_id(params['raw_dir'], params.get('batch_id'), params.get('new_only', False))}"


@flow(name="ingest", flow_run_name=_run_name, log_prints=False,
      task_runner=ChunkProcessPool(max_workers=available_cores()))
def ingest(raw_dir: DirectoryPath, out_dir: Path = Path("curated"), batch_id: BatchId | None = None,
           new_only: bool = False, max_file_size: PositiveInt = CleanConfig.max_bytes,
           max_line_size: PositiveInt = CleanConfig.max_line_bytes,
           file_time_budget: NonNegativeFloat = CleanConfig.file_seconds, replace: bool = False,
           not_chinese: Literal["keep", "quarantine"] = "keep") -> BatchSummary:
    """Ingest the files under ``raw_dir`` as one batch into ``out_dir`` (``ingest.run.run_batch``).

    ``new_only``: only the files whose content no earlier batch holds (what the nightly schedule runs).
    ``max_file_size`` (bytes): larger files are quarantined ``too_large``, and so are pages with a line longer
    than ``max_line_size``; ``file_time_budget`` (seconds, 0 for none): a file that takes longer to clean is
    quarantined ``too_complex``.
    ``not_chinese``: keep pages in other languages as they are (default) or quarantine them as ``not_chinese``.
    ``replace``: ``batch_id`` may name a committed batch, which this run replaces (else the run fails).
    """
    with beating():  # the run's heartbeats, when the command asks the body for them (flows.heartbeats)
        summary = run_batch(raw_dir, out_dir, resolve_batch_id(str(raw_dir), batch_id, new_only), new_only,
                            finished_chunks, config=CleanConfig(max_bytes=max_file_size, max_line_bytes=max_line_size,
                                                                file_seconds=file_time_budget, not_chinese=not_chinese),
                            logger=get_run_logger(), steps=BatchSteps(plan=plan_task, mark_duplicates=mark_duplicates_task, commit=commit_task),
                            ingested_at=datetime.now(UTC), runner=describe_task_runner(), progress=progress,
                            replace=replace)
        if not summary.committed:
            return summary
        publishing = time.perf_counter()
        publish_outcomes(summary)
        summary.timings["artifacts"] = time.perf_counter() - publishing
        get_run_logger().info(summary.line())
        summary.timings["finished_at"] = time.time()
        raise_if_every_chunk_failed(summary)
        return summary


def finished_chunks(plan: StagedPlan, batch: BatchContext, staging: Path):
    """(index, ChunkResult or the exception it failed with), in the order the chunks finish.

    A batch of one chunk on the local process pool is cleaned in the flow's own
    process: starting a worker process (about 2 s) would cost more than it saves.
    """
    if len(plan.chunks) == 1 and isinstance(current_task_runner(), ChunkProcessPool):
        try:
            with in_this_process():
                result = clean_chunk_task(plan.chunks[0], batch, str(staging))
        except Exception as error:
            yield 0, error
        else:
            yield 0, result
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
    runner = current_task_runner()
    if isinstance(runner, ChunkProcessPool):  # every chunk is done: no worker is needed any more
        runner.release_workers()


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
