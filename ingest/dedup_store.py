"""The duplicate index of an output directory, applied to a staged batch and committed with it.

``mark_staged_documents`` runs after the chunks are cleaned and before the
batch is committed, under the output directory's lock: it loads the index
(``OUT/.dedup/``, segments of consecutive batches, :mod:`ingest.dedup_segments`; rebuilt
from the committed documents when it does not cover exactly the committed
batches), marks the staged documents' rows in place (``duplicate_of``), and
writes the grown index into the staging directory (the earlier segments
linked, the batch's own segment, or the last ones merged with it, and the overlay written).
``ingest.store.commit_batch`` renames it into place (``STATE_DIRS``) just
before the manifest, the batch's commit record; an index ahead of the manifests (a crash
between the two renames) covers a batch that is not committed, so the next run
rebuilds it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ingest.columns import column_array
from ingest.dedup import INDEX_DIR, DedupConfig, Record
from ingest.dedup_segments import SegmentIndex, load_index, write_index
from ingest.ledger import PARTITION_PREFIX, committed_batches
from ingest.record_keys import StagedKeys, next_keys, staged_keys
from ingest.store import read_table, rewrite_groups

COLUMNS = ["record_id", "text", "truncated", "repairs", "duplicate_of", "ingested_at"]


def staged_index_path(staging: Path) -> Path:
    """The staged store of the index (a folder)."""
    return staging / INDEX_DIR


def records_of(table: pa.Table | pa.RecordBatch) -> list[Record]:
    lost = pc.struct_field(table.column("repairs"), "mojibake_chars_lost").to_pylist()
    return [Record(record_id=rid, text=text, complete=not truncated and not chars_lost, page_mark=mark)
            for rid, text, truncated, chars_lost, mark in zip(
                table.column("record_id").to_pylist(), table.column("text").to_pylist(),
                table.column("truncated").to_pylist(), lost, table.column("duplicate_of").to_pylist(), strict=True)]


def part_records(parts: list[Path], staging: Path | None = None) -> Iterator[Record]:
    """The records of ``parts`` in order, read a row group at a time and only the columns marking needs:
    the flow never holds the batch's documents at once. With ``staging``, each record carries the keys its
    chunk worker staged for it (:mod:`ingest.record_keys`), while they follow the part's rows in order."""
    for part in parts:
        keys = staged_keys(staging, part.stem) if staging is not None else iter(())
        for group in pq.ParquetFile(part).iter_batches(columns=COLUMNS):
            yield from (with_staged_keys(record, keys) for record in records_of(group))


def with_staged_keys(record: Record, keys: Iterator[tuple[str, StagedKeys]]) -> Record:
    """``record`` with the next staged keys when they are its own (the index checks they fit its text)."""
    staged = next_keys(keys, record.record_id)
    return replace(record, keys=staged.duplicates) if staged is not None else record


def partition_parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet"))


def rebuild_index(out_dir: str | os.PathLike, batches: set[str], config: DedupConfig) -> SegmentIndex:
    """An index of the committed documents of ``batches``, in the order they were ingested.

    Each batch's parts are read twice, a column or a row group at a time: first
    when it was ingested, then its records, so that only the index grows.
    """
    index = SegmentIndex(config)
    parts = {b: partition_parts(Path(out_dir) / "documents" / f"{PARTITION_PREFIX}{b}") for b in batches}
    first = {b: first_ingested(parts[b]) for b in batches}
    for batch_id in sorted(batches, key=lambda b: (first[b] is not None, first[b] or 0, b)):
        index.mark_batch(batch_id, part_records(parts[batch_id]))
    return index


def first_ingested(parts: list[Path]):
    """The earliest ``ingested_at`` of the parts' records, None when there are none."""
    times = [pc.min(read_table(p, columns=["ingested_at"]).column("ingested_at")).as_py() for p in parts]
    times = [t for t in times if t is not None]
    return min(times) if times else None


def current_index(out_dir: str | os.PathLike, batch_id: str, config: DedupConfig) -> SegmentIndex:
    committed = committed_batches(out_dir) - {batch_id}
    return load_index(out_dir, committed, config) or rebuild_index(out_dir, committed, config)


def mark_staged_documents(out_dir: str | os.PathLike, staging: Path, batch_id: str,
                          config: DedupConfig | None = None) -> int:
    """Set ``duplicate_of`` on the staged documents of ``batch_id``; stage the grown index. Returns marks made."""
    config = config or DedupConfig()
    index = current_index(out_dir, batch_id, config)
    parts = partition_parts(staging / "documents")
    marks = index.mark_batch(batch_id, part_records(parts, staging))
    changed = sum(apply_marks(part, marks) for part in parts)
    write_index(index, staged_index_path(staging))
    return changed


def apply_marks(part: Path, marks: dict[str, str | None]) -> int:
    """Rewrite ``part`` with the ``duplicate_of`` that ``marks`` gives its records; how many changed (0: untouched).

    Only the two columns compared are read to find them; the part is rewritten
    a row group at a time when something changes (``rewrite_groups``).
    """
    keys = read_table(part, columns=["record_id", "duplicate_of"])
    before = keys.column("duplicate_of").to_pylist()
    after = [marks[rid] for rid in keys.column("record_id").to_pylist()]
    changed = sum(a != b for a, b in zip(after, before, strict=True))
    if changed:
        rewrite_groups(part, lambda table: marked_group(table, marks))
    return changed


def marked_group(table: pa.Table, marks: dict[str, str | None]) -> pa.Table | None:
    """A row group with the ``duplicate_of`` of ``marks``; None when it has them already."""
    after = [marks[rid] for rid in table.column("record_id").to_pylist()]
    if after == table.column("duplicate_of").to_pylist():
        return None
    position = table.schema.get_field_index("duplicate_of")
    return table.set_column(position, table.schema.field(position), column_array(after, pa.string()))
