"""The ``ingest`` flow: list a raw batch, clean it chunk by chunk, commit three Parquet partitions."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.runtime import flow_run

from ingest.batch import BatchPlan, check_batch_id, default_batch_id, list_raw_files, plan_batch
from ingest.chunk import ChunkResult, clean_chunk
from ingest.records import BatchContext, manifest_row
from ingest.store import commit_batch, discard_staging, new_staging_dir, write_part


@dataclass
class BatchSummary:
    batch_id: str
    out_dir: str
    files: int = 0
    records: int = 0
    quarantined: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    raw_bytes: int = 0
    quarantine_reasons: dict = field(default_factory=dict)
    repairs: dict = field(default_factory=dict)

    def line(self) -> str:
        return (f"batch {self.batch_id}: files read {self.files}, records written {self.records}, "
                f"quarantined {self.quarantined}, duplicates {self.duplicates}, "
                f"seconds {self.seconds:.1f}")


@task(name="plan-batch", cache_policy=NO_CACHE)
def plan_task(raw_dir: str) -> BatchPlan:
    return plan_batch(list_raw_files(raw_dir))


@task(name="clean-chunk", cache_policy=NO_CACHE)
def clean_chunk_task(files, index: int, batch: BatchContext, staging: str) -> ChunkResult:
    return clean_chunk(files, index, batch, Path(staging))


@task(name="commit-batch", cache_policy=NO_CACHE)
def commit_task(out_dir: str, batch: BatchContext, staging: str, plan: BatchPlan,
                results: list[ChunkResult]) -> list[dict]:
    manifest = [row for result in sorted(results, key=lambda r: r.index) for row in result.manifest]
    manifest += [manifest_row(dup, batch, "duplicate", 0) for dup, _ in plan.duplicates]
    manifest.sort(key=lambda row: row["source_path"])
    write_part(Path(staging), "manifest", "part-00000", manifest)
    commit_batch(out_dir, batch.batch_id, Path(staging))
    return manifest


def _run_name() -> str:
    params = flow_run.parameters
    return f"ingest-{params.get('batch_id') or default_batch_id(params['raw_dir'])}"


@flow(name="ingest", flow_run_name=_run_name, log_prints=False)
def ingest(raw_dir: str, out_dir: str = "curated", batch_id: str | None = None) -> BatchSummary:
    """Ingest every file under ``raw_dir`` as one batch into ``out_dir``."""
    logger = get_run_logger()
    started = time.perf_counter()
    batch_id = check_batch_id(batch_id or default_batch_id(raw_dir))
    batch = BatchContext(batch_id=batch_id, ingested_at=datetime.now(timezone.utc))
    plan = plan_task(raw_dir)
    logger.info("batch %s: %d files in %d chunks, %d exact duplicates",
                batch_id, plan.files, len(plan.chunks), len(plan.duplicates))
    staging = new_staging_dir(out_dir, batch_id)
    try:
        futures = [clean_chunk_task.submit(chunk, i, batch, str(staging)) for i, chunk in enumerate(plan.chunks)]
        results = []
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            logger.info("chunk %d/%d done: %d files, %d records, %d quarantined (%.1f s)",
                        len(results), len(futures), len(result.manifest), result.records,
                        sum(result.quarantined.values()), result.seconds)
        manifest = commit_task(out_dir, batch, str(staging), plan, results)
    except BaseException:
        discard_staging(staging)
        raise
    summary = summarise(batch_id, out_dir, plan, results, time.perf_counter() - started)
    publish_outcomes(summary, manifest)
    logger.info(summary.line())
    return summary


def summarise(batch_id: str, out_dir: str, plan: BatchPlan, results: list[ChunkResult], seconds: float) -> BatchSummary:
    reasons: Counter = Counter()
    repairs: Counter = Counter()
    for result in results:
        reasons.update(result.quarantined)
        repairs.update(result.repairs)
    return BatchSummary(
        batch_id=batch_id,
        out_dir=str(out_dir),
        files=plan.files,
        records=sum(r.records for r in results),
        quarantined=sum(reasons.values()),
        duplicates=len(plan.duplicates),
        seconds=seconds,
        raw_bytes=sum(r.raw_bytes for r in results),
        quarantine_reasons=dict(reasons),
        repairs=dict(repairs),
    )


def publish_outcomes(summary: BatchSummary, manifest: list[dict]) -> None:
    """A table artifact with the batch's outcome counts, and its per-reason quarantine counts."""
    outcomes = Counter(row["outcome"] for row in manifest)
    table = [{"outcome": name, "files": outcomes.get(name, 0)} for name in ("ingested", "quarantined", "duplicate")]
    table += [{"outcome": f"quarantined: {reason}", "files": n} for reason, n in sorted(summary.quarantine_reasons.items())]
    table.append({"outcome": "records written", "files": summary.records})
    create_table_artifact(key="ingest-outcomes", table=table,
                          description=f"Outcome counts of batch {summary.batch_id}")
