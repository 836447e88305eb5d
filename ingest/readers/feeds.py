"""RSS, Atom and RDF feeds as containers: each item (entry) is a page of its own.

A feed file, or a feed found inside another container (a WARC record, a JSON
item, a compressed file), gives one :class:`Item` per feed item: its content
(usually escaped HTML) as the page, its link as ``source_url``, its
``pubDate``/``published`` as ``published_at``, its author and title. The
locator is the item's 1-based position, after the container's own locator
(``"<WARC offset>/3"``) when the feed sat inside one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from cleaners.decode.encoding import decode_bytes
from cleaners.errors import Rejected
from cleaners.structure.feed import FeedItem, feed_items, feed_time, looks_like_feed
from cleaners.structure.html import PREAMBLE_WINDOW, markup_start
from ingest.readers.item import Item

XML_ENCODING = re.compile(rb"<\?xml[^>]*\bencoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)
# Content that is an HTML fragment rather than plain text.
SOME_TAG = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>", re.I)


def feed_start(head: str) -> int | None:
    """Where the feed starts in ``head`` (after a BOM, declarations, comments, wrapper lines), or None."""
    start = markup_start(head)
    if start is None:
        return None
    return start if looks_like_feed(head[start:]) else None


def looks_like_feed_bytes(data: bytes) -> bool:
    """The bytes hold an RSS, Atom or RDF feed (recognised on their ASCII markup, whatever the encoding).

    >>> looks_like_feed_bytes(b'<?xml version="1.0" encoding="gbk"?><rss version="2.0"><channel/></rss>')
    True
    >>> looks_like_feed_bytes(b'<html><body>rss</body></html>')
    False
    """
    head = data[:PREAMBLE_WINDOW].lstrip(b"\xef\xbb\xbf").decode("latin-1")
    return feed_start(head) is not None


def xml_encoding(data: bytes) -> str | None:
    """The encoding an XML declaration names (``<?xml … encoding="gb2312"?>``)."""
    found = XML_ENCODING.search(data[:1024])
    return found.group(1).decode("ascii") if found else None


def item_page(entry: FeedItem) -> bytes:
    """The bytes of an item's page: its HTML fragment inside a document, or its plain text."""
    content = entry.html_or_text.strip()
    if SOME_TAG.search(content):
        return f"<html><body>{content}</body></html>".encode()
    return content.encode()


def feed_file_items(data: bytes, within: Item | None = None) -> list[Item]:
    """The items of a feed. ``within`` is the container item the feed came in (its locator, fetch time, URL).

    A feed that holds no item is rejected as a ``container`` with a detail that says so.
    """
    hint = (within.declared_charset if within is not None else None) or xml_encoding(data)
    text = decode_bytes(data, hint=hint).text
    start = feed_start(text[:PREAMBLE_WINDOW]) or 0
    entries = feed_items(text[start:])
    if not entries:
        raise Rejected("container", "the file is an RSS/Atom feed with no item (no <item> or <entry>); "
                                    "nothing to ingest until the feed lists articles.")
    prefix = f"{within.locator}/" if within is not None and within.locator else ""
    base = within or Item(data=b"")
    return [
        replace(base, data=item_page(entry), locator=f"{prefix}{number}",
                source_url=entry.link or base.source_url, title=entry.title or None,
                author=entry.author, published_at=feed_time(entry.published), declared_charset="utf-8")
        for number, entry in enumerate(entries, 1)
    ]


def expand_feeds(items: list[Item]) -> list[Item]:
    """The items of a container with every feed among them replaced by the feed's own items."""
    return list(each_expanded(items))


def each_expanded(items: Iterable[Item]) -> Iterator[Item]:
    """:func:`expand_feeds` one item at a time, for streamed containers.

    An embedded feed with no item is kept as it is, for the cleaner to quarantine with its reason.
    """
    for item in items:
        if item.problem is None and looks_like_feed_bytes(item.data):
            try:
                yield from feed_file_items(item.data, item)
                continue
            except Rejected:
                pass
        yield item
