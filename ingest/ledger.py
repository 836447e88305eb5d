"""What an output directory already holds: the content hashes of its committed manifests.

The manifests are the ledger of what was ingested. A raw file whose SHA-256 a
committed manifest partition holds (ingested, duplicate, or quarantined for
something its bytes are: empty, binary, undecodable, too large, no text) has
been taken care of and is not ingested again. A file quarantined as ``error``
is not held: the failure was the pipeline's (a bug, a worker that died, a disk
that kept failing), not the input's, so the next run tries it again instead of
parking it for good. A
batch's manifest partition is renamed into place last (see ``ingest.store``),
so it is the commit record of the batch.

Reading the ledger and committing a batch happen under the output directory's
lock (``ingest.lock``), which makes "not yet held" and "now held" one step.
"""

from __future__ import annotations

import os
from pathlib import Path

from ingest.batch_ids import nightly_batch_id  # noqa: F401 (its old home)
from ingest.store import read_table

PARTITION_PREFIX = "batch_id="


def held_hashes(out_dir: str | os.PathLike, except_batch: str | None = None) -> dict[str, str]:
    """SHA-256 → id of the batch whose manifest holds it, over every committed batch but ``except_batch``.

    ``except_batch`` is the batch being (re)written: a rerun replaces its own
    partitions, so its own earlier rows do not count.
    """
    held: dict[str, str] = {}
    for partition in manifest_partitions(out_dir):
        batch_id = partition.name[len(PARTITION_PREFIX):]
        if batch_id == except_batch:
            continue
        failed = failed_hashes(Path(out_dir), batch_id)
        for part in sorted(partition.glob("*.parquet")):
            column = read_table(part, columns=["source_sha256"]).column("source_sha256")
            for sha in column.to_pylist():
                if sha and sha not in failed:  # a file unreadable when listed has no hash; it is retried
                    held.setdefault(sha, batch_id)
    return held


def failed_hashes(out_dir: Path, batch_id: str) -> set[str]:
    """The hashes batch ``batch_id`` quarantined as ``error``: the pipeline failed on them, the next run retries."""
    partition = out_dir / "quarantine" / f"{PARTITION_PREFIX}{batch_id}"
    failed: set[str] = set()
    for part in sorted(partition.glob("*.parquet")):
        table = read_table(part, columns=["source_sha256", "reason"])
        failed.update(sha for sha, reason in zip(table.column("source_sha256").to_pylist(),
                                                 table.column("reason").to_pylist(), strict=False) if reason == "error")
    return failed


def manifest_partitions(out_dir: str | os.PathLike) -> list[Path]:
    root = Path(out_dir) / "manifest"
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith(PARTITION_PREFIX))


def committed_batches(out_dir: str | os.PathLike) -> set[str]:
    return {p.name[len(PARTITION_PREFIX):] for p in manifest_partitions(out_dir)}
