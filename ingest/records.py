"""Rows of the three datasets, built from cleaned pages. Pure functions."""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from cleaners.chinese import SHANGHAI
from cleaners.errors import Rejected
from cleaners.model import REPAIR_FIELDS, CleanConfig
from cleaners.text.layout import count_text_chars
from cleaners.text.quality import quality_signals

if TYPE_CHECKING:  # the cleaners' pipeline and the container readers: imported where a page is cleaned
    from cleaners.pipeline import CleanedPage
    from ingest.readers.item import Item


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """The package version, with ``+g<commit>`` (and ``.dirty``) when it runs from a git checkout."""
    try:
        version = metadata.version("corpus-pipeline")
    except metadata.PackageNotFoundError:
        version = "0+unknown"
    commit = checkout_commit()
    if commit and "+" not in version:
        return f"{version}+g{commit}"
    return version


def checkout_commit() -> str | None:
    """The short commit of the checkout this code runs from, or None (an installed wheel, no git)."""
    here = Path(__file__).resolve().parent.parent
    if not (here / ".git").exists():
        return None
    try:
        head = subprocess.run(["git", "-C", str(here), "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}.dirty" if dirty else head or None


@dataclass(frozen=True)
class RawFile:
    """One file of a batch: where it is, what it is called in the records, its size and hash."""

    path: str  # absolute path on this machine
    source_path: str  # relative to the raw directory, with '/'
    size: int
    sha256: str
    error: str | None = None  # why it could not be read while planning
    reason: str | None = None  # its quarantine reason then (``unreadable``, ``not_a_file``, ``outside_raw``…)


@dataclass(frozen=True)
class BatchContext:
    """What every row of a batch shares."""

    batch_id: str
    ingested_at: datetime
    config: CleanConfig = CleanConfig()
    # The pipeline_version of every row: asked of git once, where the context is made (the batch's process,
    # run.run_batch), and carried to the chunk workers with it, so they never run git and all rows agree.
    version: str = field(default_factory=pipeline_version)


def record_id(source_sha256: str, part_index: int) -> str:
    """Stable id: the same raw bytes and part always give the same id.

    >>> record_id("ab" * 32, 0) == record_id("ab" * 32, 0) != record_id("ab" * 32, 1)
    True
    """
    return hashlib.sha256(f"{source_sha256}:{part_index}".encode()).hexdigest()[:32]


def item_key(source_sha256: str, item: Item | None) -> str:
    """What record ids hash: the file's hash, and the item's locator inside a container."""
    return source_sha256 if item is None or item.locator is None else f"{source_sha256}@{item.locator}"


def document_rows(cleaned: CleanedPage, raw: RawFile, batch: BatchContext, item: Item | None = None) -> list[dict]:
    """The records of a cleaned page; ``item`` is where a container file held it, and what it said of it."""
    page = cleaned.page
    meta = page.meta
    if item is not None:  # the container's metadata where the page gives none
        from ingest.readers.item import item_names

        title, author = item_names(item, meta.language)
        meta = replace(meta, source_url=meta.source_url or item.source_url, title=meta.title or title,
                       author=meta.author or author, published_at=item.published_at or meta.published_at)
    count = len(page.articles)
    key = item_key(raw.sha256, item)
    rows = []
    for index, article in enumerate(page.articles):
        rows.append(
            {
                "record_id": record_id(key, index),
                "source_path": raw.source_path,
                "source_sha256": raw.sha256,
                "source_format": page.source_format,
                "part_index": index,
                "part_count": count,
                "title": article.title or meta.title,
                "text": article.text,
                "char_count": count_text_chars(article.text),
                "site": meta.site,
                "source_url": article.source_url or meta.source_url,
                "published_at": in_shanghai(article.published_at or meta.published_at),
                "author": article.author or meta.author,
                "encoding": cleaned.decoded.encoding,
                "encoding_confidence": round(float(cleaned.decoded.confidence), 4),
                "original_script": article.original_script or "hans",
                "truncated": meta.truncated,
                "declared_chars": int32_or_none(meta.declared_chars),
                "shown_chars": int32_or_none(meta.shown_chars),
                "omitted_chars": int32_or_none(meta.omitted_chars),
                "outline": list(meta.outline),
                "gaps": [int32_clamped(gap) for gap in article.gaps],
                "redactions": int32_clamped(article.repairs.get("redactions", 0)),
                "repairs": {name: int32_clamped(article.repairs.get(name, 0)) for name in REPAIR_FIELDS},
                "duplicate_of": None if article.duplicate_of is None else record_id(key, article.duplicate_of),
                "source_item": None if item is None else item.locator,
                "fetched_at": None if item is None else item.fetched_at,
                "language": meta.language or "zh",
                "language_confidence": float(meta.language_confidence),
                "quality": quality_signals(article.text),
                "pipeline_version": batch.version,
                "ingested_at": batch.ingested_at,
            }
        )
    return rows


INT32_MAX = 2**31 - 1


def int32_or_none(value: int | None) -> int | None:
    """A number a page states, if an int32 column can hold it; else None (no page declares 2 billion characters).

    >>> int32_or_none(4061), int32_or_none(99999999999), int32_or_none(None)
    (4061, None, None)
    """
    return value if value is not None and -INT32_MAX - 1 <= value <= INT32_MAX else None


def int32_clamped(value: int) -> int:
    """A count as an int32 column holds it: clamped to the range, never failing the write.

    >>> int32_clamped(3), int32_clamped(2**40)
    (3, 2147483647)
    """
    return max(-INT32_MAX - 1, min(INT32_MAX, int(value)))


def in_shanghai(moment: datetime | None) -> datetime | None:
    """A page's time; a naive one is read as Asia/Shanghai local time."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI)


def source_columns(raw: RawFile) -> dict:
    """The columns that name the raw file a quarantine or manifest row is about."""
    return {"source_path": raw.source_path, "source_sha256": raw.sha256, "source_bytes": raw.size}


def quarantine_row(raw: RawFile, batch: BatchContext, rejection: Rejected) -> dict:
    return {
        **source_columns(raw),
        "reason": rejection.reason,
        "detail": rejection.detail,
        "ingested_at": batch.ingested_at,
    }


def manifest_row(raw: RawFile, batch: BatchContext, outcome: str, records: int, items: int = 1) -> dict:
    return {
        **source_columns(raw),
        "outcome": outcome,
        "records": records,
        "items": items,
        "ingested_at": batch.ingested_at,
    }
