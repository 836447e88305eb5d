"""Parquet partitions written aside and renamed into place.

A batch is staged under ``OUT/.staging/<batch>-<token>/<dataset>/`` (a hidden
directory that neither the dataset globs nor pyarrow's discovery read), then
each dataset's staged directory is renamed to ``OUT/<dataset>/batch_id=ID``
under a commit journal (``ingest.commit``). A reader sees the old partition or
the new one, never half of one. The old partition is moved out of the way first
and deleted after the swap.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import uuid
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.columns import rows_table
from schemas.arrow import DATASETS

STAGING = ".staging"
OWNER = "owner.json"  # in a staging directory: the pid and host of the run that owns it
# State kept beside the datasets (the duplicate index, ``ingest.dedup``): staged as
# ``<staging>/<name>/`` and renamed to ``OUT/<name>/`` just before the manifest. The commit
# (``ingest.commit``) moves every hidden directory of the staging directory so: these and any other.
STATE_DIRS = (".dedup", ".furniture")  # the duplicate index; the furniture counts (ingest.furniture_store)
COMPRESSION = "zstd"


def new_staging_dir(out_dir: str | os.PathLike, batch_id: str) -> Path:
    """``OUT/.staging/<batch>-<pid>-<token>/``, with ``owner.json`` saying which process on which host owns it."""
    staging = Path(out_dir) / STAGING / f"{batch_id}-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    for dataset in DATASETS:
        (staging / dataset).mkdir(parents=True, exist_ok=False)
    (staging / OWNER).write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname()}))
    return staging


def sweep_dead_staging(out_dir: str | os.PathLike) -> list[Path]:
    """Remove the staging directories whose owner process (on this host) is dead; those removed.

    Staging of a live run, or of a run on another host, is left alone.
    """
    root = Path(out_dir) / STAGING
    swept = []
    for staging in sorted(root.iterdir()) if root.is_dir() else []:
        if staging.is_dir() and owner_is_dead(staging):
            shutil.rmtree(staging, ignore_errors=True)
            swept.append(staging)
    return swept


def remove_own_staging(out_dir: str | os.PathLike) -> None:
    """Remove the staging directories this process owns (a run that was interrupted, once its workers are gone).

    Not one a commit journal names: the next run completes that commit from it.
    """
    from ingest.commit import journal_staging

    root = Path(out_dir) / STAGING
    pending = journal_staging(out_dir)
    for staging in sorted(root.iterdir()) if root.is_dir() else []:
        if staging.name.rsplit("-", 2)[-2:-1] == [str(os.getpid())] and staging != pending:
            shutil.rmtree(staging, ignore_errors=True)


def owner_is_dead(staging: Path) -> bool:
    try:
        owner = json.loads((staging / OWNER).read_text())
        pid, host = int(owner["pid"]), owner["host"]
    except (OSError, ValueError, KeyError, TypeError):
        # Made by a run that died before writing its owner (or by an older version): the pid is in the name.
        pid_text = staging.name.rsplit("-", 2)[-2] if staging.name.count("-") >= 2 else ""
        if not pid_text.isdigit():
            return False
        pid, host = int(pid_text), socket.gethostname()
    return host == socket.gethostname() and not process_alive(pid)


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
    """``pa.Table.from_pylist(rows, schema=schema)``, built from buffers: without importing pandas (``ingest.columns``)."""
    return rows_table(rows, schema)


def read_table(path: str | os.PathLike, columns: list[str] | None = None) -> pa.Table:
    """One Parquet file, as ``pq.read_table`` reads it, without pyarrow's dataset layer (it imports pandas,
    ~0.2 s of the fixed start of a run)."""
    with pq.ParquetFile(path) as parquet:
        return parquet.read(columns=columns)


def write_table(path: Path, table: pa.Table) -> Path:
    tmp = temporary_path(path)
    pq.write_table(table, tmp, compression=COMPRESSION)
    os.replace(tmp, path)
    return path


def rewrite_groups(path: Path, change: Callable[[pa.Table], pa.Table | None]) -> bool:
    """Rewrite the Parquet file ``path`` a row group at a time; whether anything changed.

    ``change`` gets each row group's table and returns the table to write in its
    place, or None to keep it. The groups are written beside the file and the
    copy renamed onto it when one changed (else dropped): what is held at once is
    one row group (a chunk worker writes them ~1 M characters each), whatever
    the part's size.
    """
    tmp = temporary_path(path)
    changed = False
    try:
        with pq.ParquetFile(path) as source:
            writer = pq.ParquetWriter(tmp, source.schema_arrow, compression=COMPRESSION)
            try:
                for index in range(source.num_row_groups):
                    table = source.read_row_group(index)
                    new = change(table)
                    changed = changed or new is not None
                    writer.write_table(table if new is None else new)
            finally:
                writer.close()
        if changed:
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return changed


def commit_batch(out_dir: str | os.PathLike, batch_id: str, staging: Path) -> dict[str, Path]:
    """Rename each staged dataset into ``OUT/<dataset>/batch_id=ID`` under a journal (``ingest.commit``).

    A dataset with no rows still gets a partition holding one empty file, so a
    rerun that has nothing to quarantine replaces the old quarantine rows, and
    readers always find the schema.
    """
    from ingest.commit import commit

    return commit(out_dir, batch_id, staging)


def discard_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def link_or_copy(source: Path, destination: Path) -> None:
    """Carry a file of the state kept across batches into a staged store: a hard link (such a file is never
    changed once written), a copy where the file system has none; FileNotFoundError if ``source`` is gone."""
    if destination.exists():
        destination.unlink()
    try:
        os.link(source, destination)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(source, destination)
