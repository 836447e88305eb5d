"""RSS, Atom and RDF feeds: one item per article, never a dump of tags.

:func:`feed_items` is pure (text in, items out) so the container readers can
call it on a feed found inside a WARC or JSONL record too. The XML is parsed by
lxml with entity resolution, DTD loading and network access off, in recover
mode (real feeds are often not well formed). An item's ``html_or_text`` is its
content (``content:encoded``, Atom ``content``, else ``description`` /
``summary``) as the feed gives it: usually escaped HTML, to be extracted as an
HTML fragment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

FEED_START = re.compile(
    r"\A(?:\ufeff)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?[^>]*\?>\s*)*<(?:rss|feed|rdf:RDF)\b", re.I | re.S
)
PARSER_OPTIONS = {"recover": True, "resolve_entities": False, "no_network": True, "load_dtd": False,
                  "huge_tree": False, "remove_comments": True}


@dataclass(frozen=True)
class FeedItem:
    title: str | None
    link: str | None
    published: str | None
    author: str | None
    html_or_text: str


def looks_like_feed(text: str) -> bool:
    """An RSS, Atom or RDF document (after a BOM, an XML declaration, comments or stylesheet PIs).

    >>> looks_like_feed('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>')
    True
    >>> looks_like_feed('<html><body>rss</body></html>')
    False
    """
    return bool(FEED_START.match(text[:4096]))


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child(node: etree._Element, *names: str) -> etree._Element | None:
    for name in names:
        for child in node:
            if _local(child.tag) == name:
                return child
    return None


def _text(node: etree._Element | None) -> str | None:
    if node is None:
        return None
    value = " ".join("".join(node.itertext()).split())
    return value or None


def _link(item: etree._Element) -> str | None:
    for child in item:
        if _local(child.tag) != "link":
            continue
        href = child.get("href")
        if href and child.get("rel", "alternate") == "alternate":
            return href.strip()
        if _text(child):
            return _text(child)
    guid = _child(item, "guid")
    text = _text(guid)
    return text if text and text.startswith("http") else None


def _author(item: etree._Element) -> str | None:
    node = _child(item, "creator", "author")
    if node is None:
        return None
    name = _child(node, "name")
    return _text(name if name is not None else node)


def _content(item: etree._Element) -> str:
    node = _child(item, "encoded", "content", "description", "summary")
    if node is None:
        return ""
    if len(node):  # inline XHTML content (Atom type="xhtml")
        return "".join(etree.tostring(child, encoding="unicode") for child in node)
    return (node.text or "").strip()


def feed_items(text: str) -> list[FeedItem]:
    """The items of a feed, in order; ``[]`` when the text is no feed or has no item.

    >>> rss = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>站</title>'
    ...        '<item><title>标题</title><link>http://e.cn/1</link><pubDate>Mon, 01 May 2023 08:00:00 +0800</pubDate>'
    ...        '<description>&lt;p&gt;正文&lt;/p&gt;</description></item></channel></rss>')
    >>> feed_items(rss)[0]
    FeedItem(title='标题', link='http://e.cn/1', published='Mon, 01 May 2023 08:00:00 +0800', author=None, html_or_text='<p>正文</p>')
    """
    body = re.sub(r"\A\ufeff?\s*<\?xml[^>]*\?>", "", text, count=1)  # lxml refuses a str with an encoding declaration
    try:
        root = etree.fromstring(body.strip().encode("utf-8"), etree.XMLParser(encoding="utf-8", **PARSER_OPTIONS))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    items = [node for node in root.iter() if _local(node.tag) in ("item", "entry")]
    return [
        FeedItem(
            title=_text(_child(item, "title")),
            link=_link(item),
            published=_text(_child(item, "pubdate", "published", "date", "issued", "updated")),
            author=_author(item),
            html_or_text=_content(item),
        )
        for item in items
    ]


def feed_time(value: str | None):
    """An item's time: ISO 8601 or a Chinese date (Asia/Shanghai when it names no zone), else RFC 822.

    >>> feed_time("2023-05-01T08:00:00Z").isoformat(), feed_time("Mon, 01 May 2023 08:00:00 +0800").isoformat()
    ('2023-05-01T16:00:00+08:00', '2023-05-01T08:00:00+08:00')
    """
    from cleaners.structure.dates import parse_published

    if not value:
        return None
    return parse_published(value) or rfc822_time(value)


def rfc822_time(value: str | None):
    """An RSS ``pubDate`` (RFC 822: ``Mon, 01 May 2023 08:00:00 +0800``) as an aware datetime, else ``None``.

    >>> rfc822_time("Mon, 01 May 2023 08:00:00 +0800").isoformat()
    '2023-05-01T08:00:00+08:00'
    """
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment is not None and moment.tzinfo is not None else None
