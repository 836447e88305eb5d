"""What a batch did, for the command's closing line and the run's artifacts. Pure functions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from cleaners.model import REPAIR_FIELDS
from ingest.batch import StagedPlan
from ingest.chunk import ChunkResult
from ingest.columns import column_array
from ingest.store import read_table

MB = 1_000_000
TABLE_ROWS = 1000  # per-file rows in the table artifact; the manifest has them all


@dataclass
class BatchSummary:
    batch_id: str
    out_dir: str
    files: int = 0
    records: int = 0
    quarantined: int = 0
    duplicates: int = 0  # manifest rows with outcome ``duplicate`` (in the batch, or held by an earlier batch)
    already_held: int = 0  # of ``duplicates`` (manual) or left out (nightly): files earlier batches hold
    seconds: float = 0.0
    raw_bytes: int = 0
    quarantine_reasons: dict = field(default_factory=dict)
    repairs: dict = field(default_factory=dict)
    stages: dict = field(default_factory=dict)  # stage → {count name: n}
    chunks: int = 0
    failed_chunks: dict = field(default_factory=dict)  # chunk index → why it was abandoned
    timings: dict = field(default_factory=dict)  # plan/clean/commit wall seconds, chunk busy/write seconds
    runner: str = ""
    committed: bool = True  # False when a nightly run found nothing new and wrote nothing
    duplicate_records: int = 0  # records this batch marked as copies of earlier records (ingest.dedup)

    def line(self) -> str:
        return (f"batch {self.batch_id}: files read {self.files}, records written {self.records}, "
                f"quarantined {self.quarantined}, duplicates {self.duplicates}, "
                f"seconds {self.seconds:.1f}")

    @property
    def mb_per_second(self) -> float:
        return self.raw_bytes / MB / self.seconds if self.seconds else 0.0


def summarise(batch_id: str, out_dir: str, plan: StagedPlan, results: list[ChunkResult], seconds: float,
              *, held_in_manifest: bool, timings: dict | None = None, runner: str = "") -> BatchSummary:
    reasons: Counter = Counter()
    stages: dict[str, Counter] = {}
    for result in results:
        reasons.update(result.quarantined)
        for stage, counts in result.stages.items():
            stages.setdefault(stage, Counter()).update(counts)
    held = plan.held
    return BatchSummary(
        batch_id=batch_id,
        out_dir=str(out_dir),
        files=plan.files if held_in_manifest else plan.files - held,
        records=sum(r.records for r in results),
        quarantined=sum(reasons.values()),
        duplicates=plan.duplicates + (held if held_in_manifest else 0),
        already_held=held,
        seconds=seconds,
        raw_bytes=sum(r.raw_bytes for r in results),
        quarantine_reasons=dict(reasons),
        repairs=record_repairs(stages),
        stages={stage: dict(counts) for stage, counts in stages.items()},
        chunks=len(results),
        failed_chunks={r.index: r.failed for r in results if r.failed},
        timings=timings if timings is not None else {},  # the flow adds its last timings after this
        runner=runner,
    )


def record_repairs(stages: dict[str, Counter]) -> dict[str, int]:
    """The records' repair counters of the batch, summed: the stages' counts under those names.

    The records' ``repairs`` are made of the same counts (a page's records add up to its
    stage reports), so they need not be tallied a second time row by row.
    """
    total: Counter = Counter()
    for counts in stages.values():
        total.update({k: v for k, v in counts.items() if k in REPAIR_FIELDS})
    return {k: total[k] for k in REPAIR_FIELDS if total[k]}


def summary_markdown(summary: BatchSummary) -> str:
    """The markdown artifact of a batch: counts, quarantine reasons, repairs per stage, throughput."""
    t = summary.timings
    lines = [
        f"# Batch `{summary.batch_id}`",
        "",
        "| | |",
        "|---|---|",
        f"| files read | {summary.files} |",
        f"| records written | {summary.records} |",
        f"| quarantined | {summary.quarantined} |",
        f"| duplicates | {summary.duplicates} |",
        f"| already ingested by earlier batches | {summary.already_held} |",
        f"| records marked as duplicates of earlier records | {summary.duplicate_records} |",
        f"| raw input | {summary.raw_bytes / MB:.1f} MB in {summary.chunks} chunks |",
        f"| workers | {summary.runner or '?'} |",
        f"| wall time | {summary.seconds:.1f} s (plan {t.get('plan', 0):.1f}, clean {t.get('clean', 0):.1f}, "
        f"commit {t.get('commit', 0):.1f}) |",
        f"| throughput | {summary.mb_per_second:.2f} MB/s of raw input over the whole run; "
        f"{rate(summary.raw_bytes, t.get('clean')):.2f} MB/s while cleaning; "
        f"{rate(summary.raw_bytes, t.get('chunk_busy')):.2f} MB/s per busy worker |",
        f"| written to | `{summary.out_dir}` |",
    ]
    if summary.quarantine_reasons:
        lines += ["", "## Quarantine reasons", "", "| reason | files |", "|---|---|"]
        lines += [f"| {reason} | {n} |" for reason, n in sorted(summary.quarantine_reasons.items())]
    if summary.failed_chunks:
        lines += ["", "## Chunks that failed for good (their files are quarantined as `error`)", ""]
        lines += [f"- chunk {index}: {why}" for index, why in sorted(summary.failed_chunks.items())]
    lines += ["", "## Repairs per stage", ""]
    changed = {stage: counts for stage, counts in summary.stages.items() if counts}
    if changed:
        lines += ["| stage | what changed |", "|---|---|"]
        lines += [f"| {stage} | {', '.join(f'{k} {v}' for k, v in sorted(counts.items()))} |"
                  for stage, counts in changed.items()]
    else:
        lines.append("No stage changed anything.")
    if summary.repairs:
        lines += ["", "Record repair counters: " + ", ".join(f"{k} {v}" for k, v in summary.repairs.items())]
    return "\n".join(lines) + "\n"


def rate(raw_bytes: int, seconds: float | None) -> float:
    return raw_bytes / MB / seconds if seconds else 0.0


def outcome_table(out_dir: str, batch_id: str, limit: int = TABLE_ROWS) -> tuple[list[dict], int]:
    """Per-file rows of a committed batch for the table artifact, quarantined files first; and how many were left out.

    Read from the batch's manifest and quarantine partitions and sorted and cut
    in Arrow, so that the flow never holds a Python row per file: only the
    ``limit`` rows shown become dicts.
    """
    manifest = read_partition(out_dir, "manifest", batch_id, ["source_path", "outcome", "records", "source_bytes"])
    if manifest.num_rows == 0:
        return [], 0
    order = pc.sort_indices(
        # A Python scalar here would be converted by pyarrow's pandas shim, importing pandas (~50 MB, 0.12 s).
        manifest.append_column("later", pc.invert(pc.is_in(manifest["outcome"],
                                                           value_set=column_array(["quarantined"], pa.string())))),
        sort_keys=[("later", "ascending"), ("source_path", "ascending")])
    shown = manifest.take(order[:limit])
    quarantine = read_partition(out_dir, "quarantine", batch_id, ["source_path", "reason", "detail"])
    if quarantine.num_rows:
        quarantine = quarantine.filter(pc.is_in(quarantine["source_path"], value_set=shown["source_path"]))
    why = {row["source_path"]: (row["reason"], row["detail"]) for row in quarantine.to_pylist()}
    rows = []
    for row in shown.to_pylist():
        reason, detail = why.get(row["source_path"], ("", ""))
        rows.append({"source_path": row["source_path"], "outcome": row["outcome"], "records": row["records"],
                     "reason": reason, "detail": detail, "bytes": row["source_bytes"]})
    return rows, manifest.num_rows - len(rows)


def read_partition(out_dir: str, dataset: str, batch_id: str, columns: list[str]) -> pa.Table:
    partition = Path(out_dir) / dataset / f"batch_id={batch_id}"
    parts = sorted(partition.glob("*.parquet"))
    if not parts:
        return pa.table({column: column_array([], pa.string()) for column in columns})
    return pa.concat_tables([read_table(part, columns=columns) for part in parts])
