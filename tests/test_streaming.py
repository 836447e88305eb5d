"""Containers larger than the in-memory limit are read item by item (issue 15 item 4).

The limit is lowered to a few kilobytes so that a WARC.gz or JSON-lines file of
real prose pages is "large": it must be read from its path one item at a time,
each item still held to the limit, and its records written as they come.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaners.chinese import HAN_BASIC
from cleaners.model import CleanConfig
from ingest.batch import describe_file
from ingest.chunk import clean_chunk, process_file, read_raw
from ingest.readers.stream import streamed_items
from ingest.store import new_staging_dir
from tests.test_readers import BATCH, PROSE, html_page

LIMIT = 8 * 1024
SMALL = replace(BATCH, config=CleanConfig(max_bytes=LIMIT))


def hanzi(text: str) -> str:
    return re.sub(f"[^{HAN_BASIC}]", "", text)


def pages(count: int) -> list[str]:
    return [html_page(f"第{i}篇", PROSE[(2 * i) % 60:(2 * i) % 60 + 2]) for i in range(count)]


def write_warc(path: Path, htmls: list[str]) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for i, html in enumerate(htmls):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://news.example.cn/{i}.html", "response",
                                                          payload=io.BytesIO(html.encode()), http_headers=headers,
                                                          warc_headers_dict={"WARC-Date": "2026-11-20T08:00:00Z"}))


def process(path: Path, batch=SMALL):
    raw, data = read_raw(describe_file(path, path.name), batch)
    assert data is None  # larger than the limit: never read whole
    return process_file(raw, data, batch)


def test_a_warc_gz_larger_than_the_limit_is_read_record_by_record(tmp_path):
    htmls = [*pages(40), html_page("太长的一页", PROSE[:80])]  # the last record alone exceeds the limit
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, htmls)
    assert path.stat().st_size > 4 * LIMIT and len(htmls[-1].encode()) > LIMIT
    stream = streamed_items(path, LIMIT)
    assert isinstance(stream, Iterator)
    outcome = process(path)
    docs = outcome.documents
    assert outcome.manifest["items"] == 41 and outcome.manifest["records"] == len(docs) == 40
    assert [d["source_url"] for d in docs] == [f"https://news.example.cn/{i}.html" for i in range(40)]
    assert len({d["source_item"] for d in docs}) == 40
    assert all(hanzi(PROSE[(2 * i) % 60])[:20] in hanzi(d["text"]) and "<" not in d["text"] for i, d in enumerate(docs))
    assert outcome.quarantine["reason"] == "too_large" and "1 of 41 items" in outcome.quarantine["detail"]


def test_a_cut_off_warc_gz_gives_the_records_before_the_cut(tmp_path):
    path = tmp_path / "cut.warc.gz"
    write_warc(path, pages(30))
    path.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])
    docs = process(path).documents
    assert 10 <= len(docs) < 30


def test_json_lines_larger_than_the_limit_plain_and_zstd(tmp_path):
    lines = [json.dumps({"url": f"https://blog.example.cn/{i}", "text": "\n".join(PROSE[i:i + 2]),
                         "title": f"第{i}篇_某某博客"}, ensure_ascii=False) for i in range(30)]
    lines.insert(5, "{not json")
    lines.insert(9, json.dumps({"url": "https://blog.example.cn/huge", "text": "\n".join(PROSE[:80])},
                               ensure_ascii=False))
    data = ("\n".join(lines) + "\n").encode()
    (tmp_path / "items.jsonl").write_bytes(data)
    (tmp_path / "items.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(data))
    (tmp_path / "items.jsonl.gz").write_bytes(gzip.compress(data))
    for name in ("items.jsonl", "items.jsonl.zst", "items.jsonl.gz"):
        outcome = process(tmp_path / name)
        docs = outcome.documents
        assert outcome.manifest["items"] == 32 and len(docs) == 30, name
        assert [d["source_item"] for d in docs][:6] == ["1", "2", "3", "4", "5", "7"]
        assert docs[3]["title"] == "第3篇" and hanzi(PROSE[29])[:20] in hanzi(docs[-1]["text"])
        detail = outcome.quarantine["detail"]
        assert "2 of 32 items" in detail and "item 6: container" in detail and "item 10: too_large" in detail


def test_what_cannot_be_streamed_stays_too_large(tmp_path):
    array = json.dumps([{"url": f"https://e.cn/{i}", "text": PROSE[i]} for i in range(40)], ensure_ascii=False)
    (tmp_path / "items.json").write_text(array, "utf-8")
    (tmp_path / "page.html").write_text(html_page("长页", PROSE[:80]), "utf-8")
    (tmp_path / "data.jsonl").write_text("\n".join(json.dumps({"n": i, "v": "x" * 400}) for i in range(40)), "utf-8")
    for name, reason in (("items.json", "too_large"), ("page.html", "too_large"), ("data.jsonl", "container")):
        outcome = process(tmp_path / name)
        assert outcome.documents == [] and outcome.quarantine["reason"] == reason, name


def test_a_chunk_writes_a_streamed_containers_records_as_they_come(tmp_path):
    path = tmp_path / "raw" / "crawl.warc.gz"
    path.parent.mkdir()
    write_warc(path, pages(40))
    staging = new_staging_dir(tmp_path / "out", "t")
    result = clean_chunk((describe_file(path, "crawl.warc.gz"),), 0, SMALL, staging)
    assert result.records == 40 and result.outcomes["ingested"] == 1
    table = pq.read_table(staging / "documents" / "part-00000.parquet")
    assert table.num_rows == 40 and len(set(table.column("record_id").to_pylist())) == 40
    manifest = pq.read_table(staging / "manifest" / "part-00000.parquet").to_pylist()
    assert (manifest[0]["items"], manifest[0]["records"]) == (40, 40)
    assert result.stages["extract_html"]["markup_chars_removed"] > 0


def test_a_stream_that_fails_midway_keeps_what_it_gave():
    from ingest.chunk import process_items
    from ingest.readers.item import Item
    from ingest.records import RawFile

    def broken():
        for i in range(2):
            yield Item(data="\n".join(PROSE[i:i + 2]).encode(), locator=str(i + 1))
        raise ValueError("simulated: the reader lost its place")

    raw = RawFile("/nowhere", "x.jsonl", 1, "ab" * 32)
    outcome = process_items(raw, broken(), SMALL, write=None)
    assert len(outcome.documents) == 2 and outcome.manifest["outcome"] == "ingested"
    assert outcome.quarantine["reason"] == "error" and "item after 2" in outcome.quarantine["detail"]
