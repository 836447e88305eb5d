"""WARC and WARC.gz (warcio): ``response`` and ``resource`` records with an HTML or text payload."""

from __future__ import annotations

import errno
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from cleaners.errors import Rejected
from ingest.readers.item import Item, as_utc, parse_time

PAGE_TYPES = re.compile(r"^\s*(text/html|application/xhtml\+xml|text/plain"
                        r"|application/(?:rss|atom|rdf)\+xml|application/xml|text/xml)\b", re.I)
CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def is_transient_io(error: OSError) -> bool:
    """An I/O error of the disk, not of the file's content (the chunk is retried for it)."""
    return error.errno in (errno.EIO, errno.ETIMEDOUT, errno.ESTALE, errno.EAGAIN)


def looks_like_warc(data: bytes) -> bool:
    return data.startswith(b"WARC/")


def page_type(record) -> str | None:
    """The Content-Type of the page a record carries (its HTTP header for a response)."""
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode()
        if not status or not status.startswith("2"):
            return None
        return record.http_headers.get_header("Content-Type")
    return record.rec_headers.get_header("Content-Type")


def charset_of(content_type: str | None) -> str | None:
    """The charset a Content-Type declares.

    >>> charset_of('text/html; charset=GB2312')
    'GB2312'
    """
    found = CHARSET.search(content_type or "")
    return found.group(1) if found else None


def warc_items(data: bytes, limit: int) -> list[Item]:
    """The pages of a WARC file (plain or gzip-compressed record by record); the record offset locates each."""
    return list(warc_records(io.BytesIO(data), limit))


def warc_records(source: BinaryIO, limit: int) -> Iterator[Item]:
    """The pages of a WARC stream, one record at a time (warcio reads a WARC.gz member by member).

    A payload larger than ``limit`` is cut at ``limit + 1`` bytes and left to
    the cleaner's size check, as a loose page of that size would be. A stream
    that breaks off after some records ends there; one that yields no record
    is rejected as a ``container``.
    """
    found = 0
    stream = ArchiveIterator(source)
    try:
        for record in stream:
            if record.rec_type not in ("response", "resource"):
                continue
            content_type = page_type(record)
            if content_type is None or not PAGE_TYPES.match(content_type):
                continue
            payload = record.content_stream().read(limit + 1)
            offset = stream.get_record_offset()  # after reading: warcio skips the rest of the record here
            headers = record.rec_headers
            found += 1
            yield Item(
                data=payload,
                locator=str(offset),
                source_url=headers.get_header("WARC-Target-URI"),
                fetched_at=as_utc(parse_time(headers.get_header("WARC-Date"))),
                declared_charset=charset_of(content_type),
            )
    except (ArchiveLoadFailed, ValueError, EOFError, OSError) as error:
        if isinstance(error, OSError) and is_transient_io(error):
            raise
        if not found:
            raise Rejected("container", f"the file starts as a WARC but cannot be read ({error}); "
                                        "check that it was written completely.") from error
