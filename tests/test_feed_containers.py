"""Feeds are containers: an RSS/Atom/RDF file, or a feed inside a WARC record, a JSON item or a
compressed file, gives one page per item with its link, time, author and title (issue 15).

The feeds are written around the real prose of tests/data/prose, in the shapes real
feeds take (GB2312 with an XML declaration, Atom with CDATA, RSS 1.0/RDF with Dublin
Core), and go through ``process_file`` as the chunk task runs it.
"""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaners.chinese import SHANGHAI
from ingest.batch import describe_file
from ingest.chunk import process_file, read_raw
from ingest.readers import read_items
from tests.test_readers import BATCH, PROSE, html_page

UTC8 = timezone(timedelta(hours=8))


def rss(items: list[dict], encoding: str = "utf-8") -> bytes:
    body = "".join(
        f"<item><title>{escape(i['title'])}</title><link>{i['link']}</link><pubDate>{i['date']}</pubDate>"
        f"<dc:creator>{i.get('author', '')}</dc:creator>"
        f"<description>{escape(''.join(f'<p>{p}</p>' for p in i['paras']))}</description></item>"
        for i in items
    )
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n<?xml-stylesheet type="text/xsl" href="/rss.xsl"?>\n'
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>某某网 - 滚动新闻</title>'
            f"<link>https://news.example.cn/</link>{body}</channel></rss>").encode(encoding)


def atom(entries: list[dict]) -> bytes:
    body = "".join(
        f'<entry><title>{escape(e["title"])}</title><link rel="alternate" href="{e["link"]}"/>'
        f'<published>{e["date"]}</published><author><name>{e["author"]}</name></author>'
        f'<content type="html"><![CDATA[{"".join(f"<p>{p}</p>" for p in e["paras"])}]]></content></entry>'
        for e in entries
    )
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>博客</title>'
            f"{body}</feed>").encode()


def rdf(items: list[dict]) -> bytes:
    body = "".join(
        f'<item rdf:about="{i["link"]}"><title>{i["title"]}</title><link>{i["link"]}</link>'
        f'<dc:date>{i["date"]}</dc:date><description>{"".join(i["paras"])}</description></item>'
        for i in items
    )
    return ('<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel rdf:about=\"https://e.cn/\"><title>站</title></channel>{body}</rdf:RDF>").encode()


RSS_ITEMS = [
    {"title": "常见问题解答：定义与概述-新华网", "link": "https://news.example.cn/2023/05/01/a1.html",
     "date": "Mon, 01 May 2023 08:30:00 +0800", "author": "作者：张三", "paras": PROSE[0:3]},
    {"title": "軟體包管理系統_科技頻道_某某網", "link": "https://news.example.cn/2023/05/02/a2.html",
     "date": "Tue, 02 May 2023 01:00:00 GMT", "author": "李四", "paras": PROSE[3:6]},
    {"title": "如何升级系统", "link": "https://news.example.cn/2023/05/03/a3.html",
     "date": "2023-05-03 09:15", "author": "http://news.example.cn", "paras": PROSE[6:8]},
]


def process(path: Path):
    raw, data = read_raw(describe_file(path, path.name), BATCH)
    return process_file(raw, data, BATCH)


def test_an_rss_file_in_gbk_gives_one_record_per_item_with_its_metadata(tmp_path):
    (tmp_path / "news.xml").write_bytes(rss(RSS_ITEMS, "gbk"))
    outcome = process(tmp_path / "news.xml")
    docs = outcome.documents
    assert outcome.quarantine is None
    assert outcome.manifest["items"] == 3 and outcome.manifest["records"] == 3
    assert [d["source_item"] for d in docs] == ["1", "2", "3"]
    assert [d["source_url"] for d in docs] == [i["link"] for i in RSS_ITEMS]
    assert [d["title"] for d in docs] == ["常见问题解答：定义与概述", "软体包管理系统", "如何升级系统"]
    assert [d["author"] for d in docs] == ["张三", "李四", None]
    assert [d["published_at"] for d in docs] == [datetime(2023, 5, 1, 8, 30, tzinfo=UTC8),
                                                 datetime(2023, 5, 2, 9, 0, tzinfo=UTC8),
                                                 datetime(2023, 5, 3, 9, 15, tzinfo=UTC8)]
    assert all(d["published_at"].tzinfo is not None for d in docs)
    assert len({d["record_id"] for d in docs}) == 3
    for doc, item in zip(docs, RSS_ITEMS, strict=True):
        assert doc["language"] == "zh" and doc["encoding"] == "utf-8"
        assert "<" not in doc["text"] and "&lt;" not in doc["text"] and "pubDate" not in doc["text"]
        assert item["paras"][0][:30] in doc["text"] and item["paras"][-1][-20:] in doc["text"]


def test_atom_and_rdf_feeds_are_containers_too(tmp_path):
    entries = [{"title": f"第{i}篇", "link": f"https://blog.example.cn/{i}", "date": f"2023-06-0{i + 1}T10:00:00Z",
                "author": "王五", "paras": PROSE[10 + 2 * i:12 + 2 * i]} for i in range(2)]
    (tmp_path / "atom.xml").write_bytes(atom(entries))
    (tmp_path / "rdf.rdf").write_bytes(rdf(entries))
    for name in ("atom.xml", "rdf.rdf"):
        docs = process(tmp_path / name).documents
        assert [d["source_item"] for d in docs] == ["1", "2"], name
        assert [d["source_url"] for d in docs] == ["https://blog.example.cn/0", "https://blog.example.cn/1"]
        assert docs[1]["published_at"] == datetime(2023, 6, 2, 18, 0, tzinfo=SHANGHAI)
        assert PROSE[12][:30] in docs[1]["text"] and "<" not in docs[1]["text"]
    assert process(tmp_path / "atom.xml").documents[0]["author"] == "王五"


def test_a_feed_with_no_item_is_quarantined_with_a_reason(tmp_path):
    (tmp_path / "empty.xml").write_bytes(rss([]))
    outcome = process(tmp_path / "empty.xml")
    assert outcome.documents == [] and outcome.manifest["outcome"] == "quarantined"
    assert outcome.quarantine["reason"] == "container" and "no item" in outcome.quarantine["detail"]


def test_items_without_content_are_named_in_one_quarantine_row(tmp_path):
    items = [*RSS_ITEMS[:2], {**RSS_ITEMS[2], "paras": []}]
    (tmp_path / "news.xml").write_bytes(rss(items))
    outcome = process(tmp_path / "news.xml")
    assert outcome.manifest["outcome"] == "ingested" and outcome.manifest["items"] == 3
    assert [d["source_item"] for d in outcome.documents] == ["1", "2"]
    assert outcome.quarantine["reason"] == "empty" and "1 of 3 items" in outcome.quarantine["detail"]
    assert "item 3" in outcome.quarantine["detail"]


def test_a_feed_inside_a_warc_record_is_read_item_by_item(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, content_type, payload in [
            ("https://news.example.cn/a.html", "text/html; charset=utf-8", html_page("首页文章", PROSE[20:22]).encode()),
            ("https://news.example.cn/rss.xml", "application/rss+xml; charset=gbk", rss(RSS_ITEMS[:2], "gbk")),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                          http_headers=headers,
                                                          warc_headers_dict={"WARC-Date": "2026-11-20T08:00:00Z"}))
    outcome = process(path)
    docs = outcome.documents
    assert outcome.manifest["items"] == 3 and len(docs) == 3
    page, *feed = docs
    assert page["source_url"] == "https://news.example.cn/a.html" and "/" not in page["source_item"]
    offset = feed[0]["source_item"].split("/")[0]
    assert [d["source_item"] for d in feed] == [f"{offset}/1", f"{offset}/2"] and offset != page["source_item"]
    assert [d["source_url"] for d in feed] == [i["link"] for i in RSS_ITEMS[:2]]
    assert all(d["fetched_at"] == datetime(2026, 11, 20, 8, tzinfo=UTC) for d in docs)
    assert feed[1]["title"] == "软体包管理系统" and PROSE[3][:30] in feed[1]["text"]


def test_a_feed_in_a_json_item_and_a_compressed_feed(tmp_path):
    feed = rss(RSS_ITEMS[:2]).decode()
    lines = [{"url": "https://news.example.cn/rss.xml", "html": feed, "crawled_at": "2026-11-20T01:02:03Z"},
             {"url": "https://news.example.cn/b.html", "text": "\n".join(PROSE[30:32]), "title": "正文条目_某某网"}]
    (tmp_path / "items.jsonl").write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in lines), "utf-8")
    docs = process(tmp_path / "items.jsonl").documents
    assert [d["source_item"] for d in docs] == ["1/1", "1/2", "2"]
    assert [d["source_url"] for d in docs] == [RSS_ITEMS[0]["link"], RSS_ITEMS[1]["link"], lines[1]["url"]]
    assert docs[2]["title"] == "正文条目" and docs[0]["title"] == "常见问题解答：定义与概述"

    (tmp_path / "news.xml.gz").write_bytes(gzip.compress(rss(RSS_ITEMS, "gbk")))
    outcome = process(tmp_path / "news.xml.gz")
    assert [d["source_item"] for d in outcome.documents] == ["1", "2", "3"] and outcome.manifest["items"] == 3


def test_an_html_page_that_mentions_rss_is_no_feed():
    page = html_page("订阅 RSS", PROSE[:2]).replace("<body>", "<body><a href='/rss.xml'>&lt;rss&gt;</a>").encode()
    assert read_items(page, 1 << 20) is None


def test_not_chinese_pages_are_kept_by_default_and_quarantined_when_asked(tmp_path):
    from dataclasses import replace

    from cleaners.model import CleanConfig
    from tests.test_readers import ENGLISH, JAPANESE

    (tmp_path / "english.html").write_text(html_page("About Debian", [ENGLISH]), "utf-8")
    (tmp_path / "japanese.txt").write_text(JAPANESE, "utf-8")
    (tmp_path / "quoting.txt").write_text("\n".join([*PROSE[:4], ENGLISH[:120]]), "utf-8")
    (tmp_path / "news.xml").write_bytes(rss([*RSS_ITEMS[:2], {**RSS_ITEMS[2], "paras": [ENGLISH]}]))
    strict = replace(BATCH, config=CleanConfig(not_chinese="quarantine"))

    def run(name, batch):
        raw, data = read_raw(describe_file(tmp_path / name, name), batch)
        return process_file(raw, data, batch)

    for name, language in (("english.html", "en"), ("japanese.txt", "ja")):
        kept = run(name, BATCH)
        assert kept.quarantine is None and kept.documents[0]["language"] == language
        dropped = run(name, strict)
        assert dropped.documents == [] and dropped.quarantine["reason"] == "not_chinese"
        assert f"'{language}'" in dropped.quarantine["detail"] and dropped.manifest["outcome"] == "quarantined"
    quoting = run("quoting.txt", strict)
    assert quoting.quarantine is None and quoting.documents[0]["language"] == "zh"
    feed = run("news.xml", strict)  # one English item of three: the others are ingested
    assert [d["source_item"] for d in feed.documents] == ["1", "2"]
    assert feed.quarantine["reason"] == "not_chinese" and "item 3" in feed.quarantine["detail"]


def test_the_command_line_passes_not_chinese_to_the_flow():
    from flows.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["ingest", "raw"]).not_chinese == "keep"
    assert parser.parse_args(["nightly", "--not-chinese", "quarantine"]).not_chinese == "quarantine"
    with pytest.raises(SystemExit):
        parser.parse_args(["ingest", "raw", "--not-chinese", "drop"])


def test_a_batch_of_feeds_and_a_large_warc_end_to_end(tmp_path):
    """raw directory → run_batch → Parquet: the feed's items are records, the manifest counts them,
    and a WARC over the limit is streamed, with --not-chinese quarantining the English item."""
    import pyarrow.dataset as ds

    from cleaners.model import CleanConfig
    from ingest.run import run_batch, serial_chunks
    from tests.test_readers import ENGLISH
    from tests.test_streaming import pages, write_warc

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "news.xml").write_bytes(rss([*RSS_ITEMS, {**RSS_ITEMS[0], "link": "https://e.cn/en", "paras": [ENGLISH]}]))
    (raw / "empty.rss").write_bytes(rss([]))
    write_warc(raw / "crawl.warc.gz", pages(30))
    summary = run_batch(raw, tmp_path / "out", "feeds", False, serial_chunks,
                        config=CleanConfig(max_bytes=8 * 1024, not_chinese="quarantine"))
    assert summary.committed
    docs = ds.dataset(tmp_path / "out" / "documents", partitioning="hive").to_table().to_pylist()
    manifest = {r["source_path"]: r for r in
                ds.dataset(tmp_path / "out" / "manifest", partitioning="hive").to_table().to_pylist()}
    quarantine = {r["source_path"]: r for r in
                  ds.dataset(tmp_path / "out" / "quarantine", partitioning="hive").to_table().to_pylist()}
    feed = sorted((d for d in docs if d["source_path"] == "news.xml"), key=lambda d: d["source_item"])
    assert [d["source_item"] for d in feed] == ["1", "2", "3"]
    assert [d["source_url"] for d in feed] == [i["link"] for i in RSS_ITEMS]
    assert (manifest["news.xml"]["items"], manifest["news.xml"]["records"]) == (4, 3)
    assert quarantine["news.xml"]["reason"] == "not_chinese"
    assert manifest["empty.rss"]["outcome"] == "quarantined" and quarantine["empty.rss"]["reason"] == "container"
    assert (manifest["crawl.warc.gz"]["items"], manifest["crawl.warc.gz"]["records"]) == (30, 30)
    assert sum(1 for d in docs if d["source_path"] == "crawl.warc.gz") == 30
