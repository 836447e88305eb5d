"""Which reader a raw file needs, decided by its content (magic numbers and structure), not its name."""

from __future__ import annotations

import zlib

from cleaners.errors import Rejected
from ingest.readers.compressed import compression_of, decompress_bounded
from ingest.readers.feeds import expand_feeds, feed_file_items, looks_like_feed_bytes
from ingest.readers.item import Item
from ingest.readers.jsonitems import DEFAULT_FIELDS, ItemFields, json_items, looks_like_json
from ingest.readers.office import document_kind, reject_document
from ingest.readers.warc import looks_like_warc, warc_items

MAX_NESTING = 2  # a .json.gz holds JSON; a gzip inside a gzip is as far as we go


def read_items(data: bytes, limit: int, fields: ItemFields = DEFAULT_FIELDS, depth: int = 0) -> list[Item] | None:
    """The pages a raw file holds: None for a plain page, else the items of its container.

    A compressed plain page comes back as one item without a locator. A feed
    is a container of its items, read as such wherever it is found (a file, a
    WARC record, a JSON item, a compressed file).
    """
    if looks_like_warc(data):
        return expand_feeds(warc_items(data, limit))
    kind = compression_of(data)
    if kind is not None:
        if depth >= MAX_NESTING:
            raise Rejected("container", f"the file is {kind}-compressed {depth + 1} times over; unpack it first.")
        if kind == "gzip" and looks_like_warc(decompress_bounded_head(data)):
            return expand_feeds(warc_items(data, limit))  # warcio reads a WARC.gz record by record
        inner = decompress_bounded(data, kind, limit)
        return read_items(inner, limit, fields, depth + 1) or [Item(data=inner)]
    document = document_kind(data)
    if document is not None:
        raise reject_document(document)
    if looks_like_json(data):
        items = json_items(data, fields)
        return None if items is None else expand_feeds(items)
    if looks_like_feed_bytes(data):
        return feed_file_items(data)
    return None


def decompress_bounded_head(data: bytes, size: int = 16) -> bytes:
    """The first bytes of a gzip stream, to recognise a WARC.gz without inflating it."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, size)
    except zlib.error:
        return b""
