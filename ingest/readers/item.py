"""One page found inside a container file, with what the container says about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from cleaners.errors import Rejected
from cleaners.structure.names import article_title, author_name, simplified


@dataclass(frozen=True)
class Item:
    """The raw bytes of one page and its provenance.

    ``locator`` is the ``source_item`` of its records: the WARC record offset,
    the JSON-lines line number (1-based), the index in a JSON array. The
    metadata fields are used where the page itself gives none.
    """

    data: bytes
    locator: str | None = None
    source_url: str | None = None
    fetched_at: datetime | None = None
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    declared_charset: str | None = None
    # Why the item could not even be read (a streamed line that is no JSON, or too long): it is
    # counted and quarantined with the container's other failed items, never cleaned.
    problem: Rejected | None = None


def item_names(item: Item, language: str | None) -> tuple[str | None, str | None]:
    """The item's title and author as records carry them: no site suffix, names only, Simplified on a
    Chinese page (:mod:`cleaners.structure.names`, as for the page's own).

    >>> item_names(Item(b"", title="國務院常務會議-新華網", author="作者：張三"), "zh")
    ('国务院常务会议', '张三')
    >>> item_names(Item(b"", title="東京の天気 | 日本気象協会"), "ja")
    ('東京の天気', None)
    """
    title, author = article_title(item.title), author_name(item.author)
    if language in (None, "zh"):
        return simplified(title), simplified(author)
    return title, author


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time (``Z`` allowed) or epoch seconds; None when it is neither.

    >>> parse_time("2026-11-21T08:00:00Z").isoformat()
    '2026-11-21T08:00:00+00:00'
    >>> parse_time("yesterday") is None
    True
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def as_utc(moment: datetime | None) -> datetime | None:
    """A fetch time in UTC; a naive one is read as UTC (WARC and crawlers write UTC)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
