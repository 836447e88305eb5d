"""The duplicate index of an output directory, applied to a staged batch and committed with it.

``mark_staged_documents`` runs after the chunks are cleaned and before the
batch is committed, under the output directory's lock: it loads the index
(``OUT/.dedup/index.pkl``; rebuilt from the committed documents when it does
not cover exactly the committed batches), marks the staged documents' rows
in place (``duplicate_of``), and writes the grown index into the staging
directory. ``ingest.store.commit_batch`` renames it into place (``STATE_DIRS``) just before the
manifest, the batch's commit record; an index ahead of the manifests (a crash
between the two renames) covers a batch that is not committed, so the next run
rebuilds it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ingest.dedup import INDEX_DIR, INDEX_FILE, DedupConfig, DuplicateIndex, Record, load_index, write_index
from ingest.ledger import PARTITION_PREFIX, committed_batches
from ingest.store import write_table

COLUMNS = ["record_id", "text", "truncated", "repairs", "duplicate_of", "ingested_at"]


def staged_index_path(staging: Path) -> Path:
    return staging / INDEX_DIR / INDEX_FILE


def records_of(table: pa.Table) -> list[Record]:
    lost = pc.struct_field(table.column("repairs"), "mojibake_chars_lost").to_pylist()
    return [Record(record_id=rid, text=text, complete=not truncated and not chars_lost, page_mark=mark)
            for rid, text, truncated, chars_lost, mark in zip(
                table.column("record_id").to_pylist(), table.column("text").to_pylist(),
                table.column("truncated").to_pylist(), lost, table.column("duplicate_of").to_pylist(), strict=True)]


def partition_parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet"))


def rebuild_index(out_dir: str | os.PathLike, batches: set[str], config: DedupConfig) -> DuplicateIndex:
    """An index of the committed documents of ``batches``, in the order they were ingested."""
    index = DuplicateIndex(config)
    tables = {}
    for batch_id in batches:
        parts = partition_parts(Path(out_dir) / "documents" / f"{PARTITION_PREFIX}{batch_id}")
        tables[batch_id] = pa.concat_tables([pq.read_table(p, columns=COLUMNS) for p in parts]) if parts else None
    first = {b: (pc.min(t.column("ingested_at")).as_py() if t is not None and t.num_rows else None, b)
             for b, t in tables.items()}
    for batch_id in sorted(tables, key=lambda b: (first[b][0] is not None, first[b][0] or 0, b)):
        table = tables[batch_id]
        index.mark_batch(batch_id, records_of(table) if table is not None else [])
    return index


def current_index(out_dir: str | os.PathLike, batch_id: str, config: DedupConfig) -> DuplicateIndex:
    committed = committed_batches(out_dir) - {batch_id}
    return load_index(out_dir, committed, config) or rebuild_index(out_dir, committed, config)


def mark_staged_documents(out_dir: str | os.PathLike, staging: Path, batch_id: str,
                          config: DedupConfig | None = None) -> int:
    """Set ``duplicate_of`` on the staged documents of ``batch_id``; stage the grown index. Returns marks made."""
    config = config or DedupConfig()
    index = current_index(out_dir, batch_id, config)
    parts = partition_parts(staging / "documents")
    tables = [pq.read_table(p) for p in parts]
    records = [r for t in tables for r in records_of(t.select(COLUMNS))]
    marks = index.mark_batch(batch_id, records)
    changed = 0
    for part, table in zip(parts, tables, strict=True):
        before = table.column("duplicate_of").to_pylist()
        after = [marks[rid] for rid in table.column("record_id").to_pylist()]
        if after != before:
            changed += sum(a != b for a, b in zip(after, before, strict=True))
            position = table.schema.get_field_index("duplicate_of")
            table = table.set_column(position, table.schema.field(position), pa.array(after, pa.string()))
            write_table(part, table)
    write_index(index, staged_index_path(staging))
    return changed
