"""Rows of the three datasets, built from cleaned pages. Pure functions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import metadata
from zoneinfo import ZoneInfo

from cleaners.errors import Rejected
from cleaners.model import REPAIR_FIELDS, CleanConfig
from cleaners.pipeline import CleanedPage
from cleaners.text.layout import count_text_chars

SHANGHAI = ZoneInfo("Asia/Shanghai")


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    try:
        return metadata.version("corpus-pipeline")
    except metadata.PackageNotFoundError:
        return "0+unknown"


@dataclass(frozen=True)
class RawFile:
    """One file of a batch: where it is, what it is called in the records, its size and hash."""

    path: str  # absolute path on this machine
    source_path: str  # relative to the raw directory, with '/'
    size: int
    sha256: str
    error: str | None = None  # why it could not be read while planning


@dataclass(frozen=True)
class BatchContext:
    """What every row of a batch shares."""

    batch_id: str
    ingested_at: datetime
    config: CleanConfig = CleanConfig()
    version: str = ""

    @property
    def pipeline_version(self) -> str:
        return self.version or pipeline_version()


def record_id(source_sha256: str, part_index: int) -> str:
    """Stable id: the same raw bytes and part always give the same id.

    >>> record_id("ab" * 32, 0) == record_id("ab" * 32, 0) != record_id("ab" * 32, 1)
    True
    """
    return hashlib.sha256(f"{source_sha256}:{part_index}".encode()).hexdigest()[:32]


def document_rows(cleaned: CleanedPage, raw: RawFile, batch: BatchContext) -> list[dict]:
    page = cleaned.page
    meta = page.meta
    count = len(page.articles)
    rows = []
    for index, article in enumerate(page.articles):
        rows.append(
            {
                "record_id": record_id(raw.sha256, index),
                "batch_id": batch.batch_id,
                "source_path": raw.source_path,
                "source_sha256": raw.sha256,
                "source_format": page.source_format,
                "part_index": index,
                "part_count": count,
                "title": article.title or meta.title,
                "text": article.text,
                "char_count": count_text_chars(article.text),
                "site": meta.site,
                "source_url": meta.source_url,
                "published_at": in_shanghai(meta.published_at),
                "author": meta.author,
                "encoding": cleaned.decoded.encoding,
                "encoding_confidence": round(float(cleaned.decoded.confidence), 4),
                "original_script": article.original_script or "hans",
                "truncated": meta.truncated,
                "declared_chars": meta.declared_chars,
                "shown_chars": meta.shown_chars,
                "omitted_chars": meta.omitted_chars,
                "outline": list(meta.outline),
                "gaps": list(article.gaps),
                "redactions": article.repairs.get("redactions", 0),
                "repairs": {name: int(article.repairs.get(name, 0)) for name in REPAIR_FIELDS},
                "duplicate_of": None if article.duplicate_of is None else record_id(raw.sha256, article.duplicate_of),
                "pipeline_version": batch.pipeline_version,
                "ingested_at": batch.ingested_at,
            }
        )
    return rows


def in_shanghai(moment: datetime | None) -> datetime | None:
    """A page's time; a naive one is read as Asia/Shanghai local time."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI)


def quarantine_row(raw: RawFile, batch: BatchContext, rejection: Rejected) -> dict:
    return {
        "source_path": raw.source_path,
        "source_sha256": raw.sha256,
        "source_bytes": raw.size,
        "batch_id": batch.batch_id,
        "reason": rejection.reason,
        "detail": rejection.detail,
        "ingested_at": batch.ingested_at,
    }


def manifest_row(raw: RawFile, batch: BatchContext, outcome: str, records: int) -> dict:
    return {
        "source_path": raw.source_path,
        "source_sha256": raw.sha256,
        "source_bytes": raw.size,
        "batch_id": batch.batch_id,
        "outcome": outcome,
        "records": records,
        "ingested_at": batch.ingested_at,
    }
