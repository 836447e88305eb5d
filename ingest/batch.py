"""Listing a raw directory: every file, its hash, exact duplicates, and chunks."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.batch_ids import BATCH_ID, check_batch_id, default_batch_id  # noqa: F401 (their old home)
from ingest.listing import describe_file, list_raw_files
from ingest.records import RawFile

__all__ = ["BatchPlan", "ChunkRef", "StagedPlan", "describe_file", "list_raw_files", "load_chunk", "plan_batch", "stage_chunks"]

# Chunk size: about TARGET_CHUNKS chunks per batch (so that up to 8 workers get 4 each and finish
# together), but at least MIN_CHUNK_BYTES (a task has a fixed cost) and at most CHUNK_BYTES or
# CHUNK_FILES (a worker's memory stays flat, whatever the batch).
TARGET_CHUNKS = 32
MIN_CHUNK_BYTES = 1024 * 1024
CHUNK_BYTES = 16 * 1024 * 1024
CHUNK_FILES = 1000


@dataclass(frozen=True)
class BatchPlan:
    """Files to clean, in chunks, and files whose bytes an earlier file of the batch already has."""

    chunks: tuple[tuple[RawFile, ...], ...]
    duplicates: tuple[tuple[RawFile, RawFile], ...]  # (duplicate, the file it repeats)
    # Files whose bytes an earlier batch of the output directory holds: (file, that batch's id).
    held: tuple[tuple[RawFile, str], ...] = ()

    @property
    def files(self) -> int:
        return sum(len(c) for c in self.chunks) + len(self.duplicates) + len(self.held)

    @property
    def raw_bytes(self) -> int:
        return sum(raw.size for chunk in self.chunks for raw in chunk)


@dataclass(frozen=True)
class ChunkRef:
    """A chunk whose file list is staged on disk (JSON lines): all the flow holds and sends, whatever its size."""

    index: int
    path: str
    files: int
    raw_bytes: int


@dataclass(frozen=True)
class StagedPlan:
    """A batch's plan once its file lists are on disk: chunk references and counts, nothing per file.

    The flow's process keeps only this for the rest of the run, so what it holds
    while the chunks are cleaned does not grow with the number of files (a
    ``BatchPlan`` of 46 000 files is about 28 MB).
    """

    chunks: tuple[ChunkRef, ...]
    duplicates: int  # files whose bytes an earlier file of the batch has
    held: int  # files whose bytes an earlier batch holds

    @property
    def files(self) -> int:
        return sum(chunk.files for chunk in self.chunks) + self.duplicates + self.held

    @property
    def raw_bytes(self) -> int:
        """Of the files to clean."""
        return sum(chunk.raw_bytes for chunk in self.chunks)


def stage_chunks(plan: BatchPlan, folder: Path) -> StagedPlan:
    """Write each chunk's files to ``folder/chunk-NNNNN.jsonl``; the plan's counts and chunk references."""
    folder.mkdir(parents=True, exist_ok=True)
    refs = []
    for index, chunk in enumerate(plan.chunks):
        path = folder / f"chunk-{index:05d}.jsonl"
        # ASCII JSON: a name that is not valid UTF-8 (lone surrogates in ``raw.path``) round-trips as ``\udcXX``.
        path.write_text("".join(json.dumps(asdict(raw)) + "\n" for raw in chunk), encoding="ascii")
        refs.append(ChunkRef(index, str(path), len(chunk), sum(raw.size for raw in chunk)))
    return StagedPlan(tuple(refs), len(plan.duplicates), len(plan.held))


def load_chunk(ref: ChunkRef) -> tuple[RawFile, ...]:
    """The files of a staged chunk, as :func:`stage_chunks` wrote them."""
    with open(ref.path, encoding="utf-8") as lines:
        return tuple(RawFile(**json.loads(line)) for line in lines)


def plan_batch(files: list[RawFile], chunk_bytes: int | None = None, chunk_files: int | None = None,
               held: Mapping[str, str] | None = None,
               held_entries: Mapping[tuple[str, str], str] | None = None) -> BatchPlan:
    """Set aside exact duplicates, then cut the rest into chunks of bounded size, in order.

    ``held`` maps the hashes that earlier batches already hold to those
    batches (``ingest.ledger.held_hashes``); such files are set aside too.
    ``held_entries`` does the same for entries that were never read (a FIFO,
    a link out of the raw directory…): ``(source_path, reason)`` → the batch
    that quarantined that entry for that reason (:func:`recorded_entries`).
    """
    held = held or {}
    held_entries = held_entries or {}
    first_with_hash: dict[str, RawFile] = {}
    unique, duplicates, already = [], [], []
    for raw in files:
        earlier = first_with_hash.get(raw.sha256) if raw.sha256 else None
        entry = (raw.source_path, raw.reason) if raw.reason and not raw.sha256 else None
        if raw.sha256 in held:
            already.append((raw, held[raw.sha256]))
        elif entry is not None and entry in held_entries:
            already.append((raw, held_entries[entry]))
        elif earlier is not None:
            duplicates.append((raw, earlier))
        else:
            unique.append(raw)
            if raw.sha256:
                first_with_hash[raw.sha256] = raw
    chunk_bytes = chunk_bytes or chunk_size_for(sum(raw.size for raw in unique))
    chunks = chunk_files_by_size(unique, chunk_bytes, chunk_files or CHUNK_FILES)
    return BatchPlan(tuple(chunks), tuple(duplicates), tuple(already))


def recorded_entries(out_dir: str | os.PathLike, except_batch: str | None = None) -> dict[tuple[str, str], str]:
    """``(source_path, reason)`` → batch id, of the entries committed batches quarantined without reading them.

    A nightly run sets such an entry aside while it is still in the same state
    (still a FIFO, still a link out of the raw directory, still unreadable),
    so that "nothing new" writes nothing; once it becomes a readable file it
    has a hash and is taken like any other.
    """
    from ingest.ledger import PARTITION_PREFIX, committed_batches
    from ingest.store import read_table

    recorded: dict[tuple[str, str], str] = {}
    for batch_id in sorted(committed_batches(out_dir)):
        if batch_id == except_batch:
            continue
        partition = Path(out_dir) / "quarantine" / f"{PARTITION_PREFIX}{batch_id}"
        for part in sorted(partition.glob("*.parquet")):
            table = read_table(part, columns=["source_path", "source_sha256", "reason"]).to_pylist()
            for row in table:
                if not row["source_sha256"] and row["reason"] != "error":
                    recorded.setdefault((row["source_path"], row["reason"]), batch_id)
    return recorded


def chunk_size_for(total_bytes: int) -> int:
    """Bytes per chunk for a batch of ``total_bytes``.

    >>> [chunk_size_for(n * 1024 * 1024) // 1024 for n in (5, 100, 1000)]
    [1024, 3200, 16384]
    """
    return max(MIN_CHUNK_BYTES, min(CHUNK_BYTES, total_bytes // TARGET_CHUNKS))


def chunk_files_by_size(files: list[RawFile], chunk_bytes: int, chunk_files: int) -> list[tuple[RawFile, ...]]:
    chunks: list[tuple[RawFile, ...]] = []
    current: list[RawFile] = []
    size = 0
    for raw in files:
        if current and (size + raw.size > chunk_bytes or len(current) >= chunk_files):
            chunks.append(tuple(current))
            current, size = [], 0
        current.append(raw)
        size += raw.size
    if current:
        chunks.append(tuple(current))
    return chunks
