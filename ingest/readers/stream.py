"""Containers larger than the in-memory limit, read one item at a time.

A WARC or WARC.gz of a whole crawl, or a JSON-lines export (plain or
compressed), can be far larger than what one page may be. Such a file is not
read into memory: :func:`streamed_items` gives an iterator of its items (warcio
reads a WARC record by record; JSON lines are read line by line, each line at
most the per-file limit), so memory stays bounded by one item whatever the
file's size. Each item is still held to the per-file limit. A JSON array, a
feed or a compressed single page that large cannot be read item by item and
stays ``too_large``.
"""

from __future__ import annotations

import io
import json
import lzma
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import zstandard

from cleaners.errors import Rejected
from ingest.readers.compressed import compression_of, decompressing
from ingest.readers.feeds import each_expanded
from ingest.readers.item import Item
from ingest.readers.jsonitems import DEFAULT_FIELDS, ItemFields, to_item
from ingest.readers.warc import looks_like_warc, warc_records

HEAD_BYTES = 64
SKIP_BLOCK = 1 << 16


def streamable_kind(path: Path) -> str | None:
    """``"warc"`` or ``"jsonl"`` (after decompression, for JSON lines) when the file can be streamed, else None."""
    with open(path, "rb") as source:
        start = source.read(SKIP_BLOCK)
    kind = compression_of(start)
    head = start[:HEAD_BYTES]
    if kind is not None:
        try:
            with decompressing(kind, io.BytesIO(start)) as reader:
                head = reader.read(HEAD_BYTES)
        except (OSError, EOFError, ValueError, lzma.LZMAError, zstandard.ZstdError):
            return None
    if looks_like_warc(head) and kind in (None, "gzip"):
        return "warc"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return "jsonl"
    return None


def streamed_items(path: Path, limit: int, fields: ItemFields = DEFAULT_FIELDS) -> Iterator[Item] | None:
    """The items of a large container, one at a time; None when the file cannot be read item by item."""
    kind = streamable_kind(path)
    if kind == "warc":
        return each_expanded(warc_file_records(path, limit))
    if kind == "jsonl":
        return each_expanded(json_lines_file(path, limit, fields))
    return None


def warc_file_records(path: Path, limit: int) -> Iterator[Item]:
    with open(path, "rb") as source:
        yield from warc_records(source, limit)


def json_lines_file(path: Path, limit: int, fields: ItemFields) -> Iterator[Item]:
    with open(path, "rb") as raw:
        head = raw.read(HEAD_BYTES)
        raw.seek(0)
        kind = compression_of(head)
        source: BinaryIO = decompressing(kind, raw) if kind is not None else raw
        yield from json_lines(source, limit, fields, kind)


def json_lines(source: BinaryIO, limit: int, fields: ItemFields, kind: str | None = None) -> Iterator[Item]:
    """Items of a JSON-lines stream, each line read with a bound of ``limit`` bytes.

    A line longer than the limit, or one that is no JSON, becomes an item with
    its ``problem``; a line holding no page field is skipped, as in a file read
    whole. A stream that holds no item at all is rejected as a ``container``.
    """
    found = 0
    number = 0
    try:
        while True:
            line = source.readline(limit + 1)
            if not line:
                break
            number += 1
            if len(line) > limit and not line.endswith(b"\n"):
                skip_rest_of_line(source)
                found += 1
                yield Item(data=b"", locator=str(number), problem=Rejected(
                    "too_large", f"line {number} holds more than {limit:,} bytes; split it or raise the limit."))
                continue
            if not line.strip():
                continue
            try:
                value = json.loads(line.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError) as error:
                found += 1
                yield Item(data=b"", locator=str(number), problem=Rejected(
                    "container", f"line {number} is not JSON ({error}); the rest of the file is read on."))
                continue
            item = to_item(value, str(number), fields)
            if item is not None:
                found += 1
                yield item
    except (OSError, EOFError, ValueError, lzma.LZMAError, zstandard.ZstdError) as error:
        if not found:
            raise Rejected("container", f"the file is {kind or 'JSON lines'} but cannot be read ({error}); "
                                        "fetch it again.") from error
        return
    if not found:
        raise Rejected("container", f"the file holds {number} JSON line(s) but no item has a page field "
                                    f"({', '.join(fields.body)}); it is data, not pages.")


def skip_rest_of_line(source: BinaryIO) -> None:
    while True:
        block = source.readline(SKIP_BLOCK)
        if not block or block.endswith(b"\n"):
            return
