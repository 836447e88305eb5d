"""JSON lines and JSON arrays of scraped items: ``{"url": …, "html": …}`` or ``{"url": …, "text": …}``.

Which keys hold the page and its metadata is a mapping (:class:`ItemFields`);
the default knows the names Scrapy, trafilatura and most spiders write.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from cleaners.errors import Rejected
from ingest.readers.item import Item, as_utc, parse_time


@dataclass(frozen=True)
class ItemFields:
    """The keys to look for, first found wins."""

    body: tuple[str, ...] = ("html", "content", "text", "raw_content", "body")
    url: tuple[str, ...] = ("url", "source_url", "link", "uri")
    title: tuple[str, ...] = ("title", "headline")
    published: tuple[str, ...] = ("date", "published", "published_at", "pubdate", "date_published")
    author: tuple[str, ...] = ("author", "authors", "byline")
    fetched: tuple[str, ...] = ("fetched_at", "fetch_time", "crawled_at", "crawl_time", "timestamp")


DEFAULT_FIELDS = ItemFields()


def looks_like_json(data: bytes) -> bool:
    """Starts with ``{`` or ``[`` (after a BOM and blanks)."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def first(item: dict, keys: tuple[str, ...]) -> object:
    for key in keys:
        value = item.get(key)
        if value not in (None, "", []):
            return value
    return None


def text_of(value: object) -> str | None:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if isinstance(v, (str, int, float)))
    return value.strip() or None if isinstance(value, str) else None


def to_item(value: object, locator: str, fields: ItemFields) -> Item | None:
    """One JSON value to an item, or None when it holds no page text."""
    if not isinstance(value, dict):
        return None
    body = first(value, fields.body)
    if not isinstance(body, str) or not body.strip():
        return None
    return Item(
        data=body.encode("utf-8"),
        locator=locator,
        source_url=text_of(first(value, fields.url)),
        fetched_at=as_utc(parse_time(first(value, fields.fetched))),
        title=text_of(first(value, fields.title)),
        author=text_of(first(value, fields.author)),
        published_at=parse_time(first(value, fields.published)),
        declared_charset="utf-8",
    )


def parse_json_values(text: str) -> list[tuple[str, object]] | None:
    """``(locator, value)`` of a JSON document or of JSON lines; None when the text is neither."""
    try:
        whole = json.loads(text)
    except ValueError:
        whole = None
    else:
        if isinstance(whole, list):
            return [(str(i), v) for i, v in enumerate(whole)]
        return [("0", whole)]
    values = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                values.append((str(number), json.loads(line)))
            except ValueError:
                return None
    return values


def json_items(data: bytes, fields: ItemFields = DEFAULT_FIELDS) -> list[Item] | None:
    """The items of a JSON or JSON-lines file; None when the bytes are no JSON (a page that starts with ``[``).

    JSON that holds no item with page text is a container we cannot read.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    values = parse_json_values(text)
    if values is None:
        return None
    items = [item for locator, value in values if (item := to_item(value, locator, fields)) is not None]
    if not items:
        keys = ", ".join(fields.body)
        raise Rejected("container", f"the file is JSON ({len(values)} value(s)) but no item has a page field "
                                    f"({keys}); it is data, not pages: map its fields or leave it out.")
    return items
