"""Parquet partitions written aside and renamed into place.

A batch is staged under ``OUT/.staging/<batch>-<token>/<dataset>/`` (a hidden
directory that neither the dataset globs nor pyarrow's discovery read), then
each dataset's staged directory is renamed to ``OUT/<dataset>/batch_id=ID``.
A reader sees the old partition or the new one, never half of one. The old
partition is moved out of the way first and deleted after the swap.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.arrow import DATASETS

STAGING = ".staging"
# State kept beside the datasets (the duplicate index, ``ingest.dedup``; the furniture counts,
# ``ingest.furniture_store``): staged as ``<staging>/<name>/`` and renamed to ``OUT/<name>/`` just
# before the manifest.
STATE_DIRS = (".dedup", ".furniture")
TRASH = ".trash"
COMPRESSION = "zstd"


def new_staging_dir(out_dir: str | os.PathLike, batch_id: str) -> Path:
    staging = Path(out_dir) / STAGING / f"{batch_id}-{uuid.uuid4().hex[:12]}"
    for dataset in DATASETS:
        (staging / dataset).mkdir(parents=True, exist_ok=False)
    return staging


def write_part(staging: Path, dataset: str, part: str, rows: list[dict]) -> Path | None:
    """Write ``rows`` as one Parquet file of ``dataset``; nothing when there are none."""
    if not rows:
        return None
    return write_table(staging / dataset / f"{part}.parquet", rows_to_table(rows, DATASETS[dataset]))


class PartWriter:
    """One Parquet part written a row group at a time, so that a chunk never holds all its rows.

    Rows are buffered until ``flush_chars`` characters of text (or ``flush_rows``
    rows) are waiting, then written as a row group. The part is written under a
    hidden temporary name and renamed into place on a clean exit; on an
    exception the temporary file is removed. No rows, no file.

    A million characters of text (about 3 MB in UTF-8) keep a worker's peak the
    same whatever the chunk's size: with 4 million, a worker cleaning 16 MB
    chunks peaked 38 MB higher, while converting a row group to Arrow.
    """

    def __init__(self, staging: Path, dataset: str, part: str,
                 flush_chars: int = 1_000_000, flush_rows: int = 2000):
        self.path = staging / dataset / f"{part}.parquet"
        self.tmp = temporary_path(self.path)
        self.schema = DATASETS[dataset]
        self.flush_chars, self.flush_rows = flush_chars, flush_rows
        self.rows: list[dict] = []
        self.chars = 0
        self.written = 0
        self._writer: pq.ParquetWriter | None = None

    def add(self, rows: list[dict]) -> None:
        self.rows.extend(rows)
        self.chars += sum(len(row.get("text") or "") for row in rows)
        if self.chars >= self.flush_chars or len(self.rows) >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.tmp, self.schema, compression=COMPRESSION)
        self._writer.write_table(rows_to_table(self.rows, self.schema))
        self.written += len(self.rows)
        self.rows, self.chars = [], 0

    def __enter__(self) -> PartWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        complete = False
        try:
            if exc_type is None:
                self.flush()
                complete = True
        finally:
            if self._writer is not None:
                self._writer.close()
            if complete and self.written:
                os.replace(self.tmp, self.path)
            else:
                self.tmp.unlink(missing_ok=True)


def temporary_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


def rows_to_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)


def write_table(path: Path, table: pa.Table) -> Path:
    tmp = temporary_path(path)
    pq.write_table(table, tmp, compression=COMPRESSION)
    os.replace(tmp, path)
    return path


def commit_batch(out_dir: str | os.PathLike, batch_id: str, staging: Path) -> dict[str, Path]:
    """Rename each staged dataset into ``OUT/<dataset>/batch_id=ID``, replacing an earlier run's.

    A dataset with no rows still gets a partition holding one empty file, so a
    rerun that has nothing to quarantine replaces the old quarantine rows, and
    readers always find the schema.
    """
    out = Path(out_dir)
    committed = {}
    for dataset, schema in DATASETS.items():
        staged = staging / dataset
        if not any(staged.glob("*.parquet")):
            write_table(staged / "part-empty.parquet", schema.empty_table())
        target = out / dataset / f"batch_id={batch_id}"
        target.parent.mkdir(parents=True, exist_ok=True)
        if dataset == "manifest":
            commit_state(out, staging)
        replace_directory(staged, target, out / TRASH)
        committed[dataset] = target
    shutil.rmtree(staging, ignore_errors=True)
    return committed


def commit_state(out: Path, staging: Path) -> None:
    """Rename the state the batch staged (e.g. the grown duplicate index) into ``OUT/``."""
    for name in STATE_DIRS:
        if (staging / name).is_dir():
            replace_directory(staging / name, out / name, out / TRASH)


def replace_directory(new: Path, target: Path, trash_root: Path) -> None:
    old = None
    if target.exists():
        trash_root.mkdir(parents=True, exist_ok=True)
        old = trash_root / f"{target.parent.name}-{target.name}-{uuid.uuid4().hex[:12]}"
        os.rename(target, old)
    os.rename(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def discard_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
