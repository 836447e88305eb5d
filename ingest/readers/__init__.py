"""Crawler output to pages: one module per container format, chosen by content.

:func:`read_items` looks at the bytes of a raw file (not its name) and returns
either ``None`` (a plain page: clean it as it is) or the :class:`Item` list a
container holds (WARC records, JSON-lines items, feed items, the page inside a gzip file).
A file that is a container but holds nothing we can read raises
:class:`~cleaners.errors.Rejected` with reason ``container`` and a detail that
names what it is (an Office document, a PDF, a JSON object that is no list of
items, an archive, a feed with no item).

A feed (RSS, Atom, RDF) is a container of its items wherever it is found: a
file, a WARC record, a JSON item, a compressed file (:mod:`.feeds`). A WARC or
JSON-lines file too large to hold in memory is read item by item from its path
(:func:`ingest.readers.stream.streamed_items`).
"""

from __future__ import annotations

from ingest.readers.detect import read_items
from ingest.readers.item import Item

__all__ = ["Item", "read_items"]
