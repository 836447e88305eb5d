"""Cleaning one chunk of raw files into staged Parquet parts.

Every file of the chunk ends up as document rows or a quarantine row, and as
one manifest row; an exception while cleaning one file quarantines that file
(reason ``error``) and never stops the others.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cleaners.errors import Rejected
from cleaners.model import REPAIR_FIELDS
from cleaners.pipeline import clean_bytes, too_large_detail
from ingest.records import BatchContext, RawFile, document_rows, manifest_row, quarantine_row
from ingest.store import write_part


@dataclass
class ChunkResult:
    index: int
    manifest: list[dict] = field(default_factory=list)
    records: int = 0
    quarantined: Counter = field(default_factory=Counter)  # by reason
    repairs: Counter = field(default_factory=Counter)
    raw_bytes: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class FileOutcome:
    documents: list[dict]
    quarantine: dict | None
    manifest: dict


def process_file(raw: RawFile, data: bytes | None, batch: BatchContext) -> FileOutcome:
    """One raw file to its rows. ``data`` is None when the file was not read (too large, unreadable)."""
    try:
        if raw.error is not None:
            raise Rejected("error", f"the file could not be read: {raw.error}.")
        if data is None or raw.size > batch.config.max_bytes:
            raise Rejected("too_large", too_large_detail(raw.size, batch.config))
        cleaned = clean_bytes(data, batch.config)
        documents = document_rows(cleaned, raw, batch)
    except Rejected as rejection:
        return FileOutcome([], quarantine_row(raw, batch, rejection), manifest_row(raw, batch, "quarantined", 0))
    except Exception as error:  # a bug or an input we did not foresee: quarantine it, keep the batch going
        rejection = Rejected("error", f"cleaning failed with {type(error).__name__}: {error}; "
                                      "this is a pipeline bug, please report it with the file.")
        return FileOutcome([], quarantine_row(raw, batch, rejection), manifest_row(raw, batch, "quarantined", 0))
    return FileOutcome(documents, None, manifest_row(raw, batch, "ingested", len(documents)))


def read_raw(raw: RawFile, batch: BatchContext) -> tuple[RawFile, bytes | None]:
    """Read a file for cleaning; a read error is kept on the RawFile for the quarantine row."""
    if raw.error is not None or raw.size > batch.config.max_bytes:
        return raw, None
    try:
        return raw, Path(raw.path).read_bytes()
    except OSError as error:
        return RawFile(raw.path, raw.source_path, raw.size, raw.sha256, f"{type(error).__name__}: {error}"), None


def clean_chunk(files: tuple[RawFile, ...], index: int, batch: BatchContext, staging: Path) -> ChunkResult:
    """Clean the files of chunk ``index`` and write its parts into ``staging``."""
    started = time.perf_counter()
    result = ChunkResult(index)
    documents, quarantine = [], []
    for listed in files:
        raw, data = read_raw(listed, batch)
        outcome = process_file(raw, data, batch)
        documents.extend(outcome.documents)
        result.manifest.append(outcome.manifest)
        result.raw_bytes += raw.size
        if outcome.quarantine is not None:
            quarantine.append(outcome.quarantine)
            result.quarantined[outcome.quarantine["reason"]] += 1
        for row in outcome.documents:
            result.repairs.update({k: row["repairs"][k] for k in REPAIR_FIELDS})
    result.records = len(documents)
    part = f"part-{index:05d}"
    write_part(staging, "documents", part, documents)
    write_part(staging, "quarantine", part, quarantine)
    result.seconds = time.perf_counter() - started
    return result
