"""Crawler output: WARC, JSON lines, compressed pages, Office/PDF, other languages, quality signals.

Pages are built from the real Chinese prose in tests/data/prose and wrapped in
containers by the libraries that write them (warcio, gzip); the batch goes
through ``process_file`` as the chunk task runs it.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import threading
import zipfile
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaners.errors import Rejected
from cleaners.model import CleanConfig
from cleaners.text.language import detect_language
from cleaners.text.quality import QUALITY_FIELDS, quality_signals
from ingest.batch import describe_file
from ingest.chunk import process_file, read_raw
from ingest.readers import read_items
from ingest.readers.compressed import decompress_bounded
from ingest.records import BatchContext

ROOT = Path(__file__).resolve().parent.parent
PROSE = [line.strip() for line in (ROOT / "tests/data/prose/debian-faq-zh-cn.txt").read_text("utf-8").splitlines()
         if len(line.strip()) > 60 and "http" not in line]
BATCH = BatchContext("t", datetime(2026, 1, 1, tzinfo=UTC), version="0")
ENGLISH = ("The Debian project is an association of individuals who have made common cause to create a free "
           "operating system. This operating system is called Debian. Most of the software in Debian is free "
           "software, and the project keeps a social contract with the community that uses it every day.")
JAPANESE = ("東京は日本の首都であり、世界でも有数の大都市です。多くの人々がこの街で働き、暮らしています。"
            "東京の交通機関はとても便利で、電車や地下鉄が網の目のように走っています。")


def html_page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"
            f"<nav><a href='/'>首页</a></nav><article><h1>{title}</h1>{body}</article></body></html>")


def write_warc(path: Path, pages: list[tuple[str, str, str]], gzipped: bool = True) -> None:
    """(url, date, html) per response record, plus a request record that must be skipped."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzipped)
        for url, date, html in pages:
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                                                          warc_headers_dict={"WARC-Date": date}))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                                          http_headers=headers, warc_headers_dict={"WARC-Date": date}))


def outcomes(raw_dir: Path, batch: BatchContext = BATCH) -> dict[str, object]:
    result = {}
    for path in sorted(raw_dir.rglob("*")):
        raw, data = read_raw(describe_file(path, path.relative_to(raw_dir).as_posix()), batch)
        result[path.name] = process_file(raw, data, batch)
    return result


@pytest.fixture
def crawl(tmp_path: Path) -> dict[str, object]:
    raw = tmp_path / "raw"
    raw.mkdir()
    pages = [(f"https://news.example.cn/a/{i}.html", f"2026-11-2{i}T08:00:0{i}Z",
              html_page(f"第{i}篇", PROSE[3 * i:3 * i + 3])) for i in range(3)]
    write_warc(raw / "crawl.warc.gz", pages)
    items = [{"url": "https://blog.example.cn/1", "html": html_page("网页条目", PROSE[10:12]), "crawled_at": "2026-11-20T01:02:03Z"},
             {"url": "https://blog.example.cn/2", "text": "\n".join(PROSE[12:14]), "title": "文本条目"}]
    (raw / "items.jsonl").write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", "utf-8")
    (raw / "page.gz").write_bytes(gzip.compress("\n".join(PROSE[14:17]).encode("gb18030")))
    (raw / "english.html").write_text(html_page("About Debian", [ENGLISH]), "utf-8")
    (raw / "japanese.txt").write_text(JAPANESE, "utf-8")
    return outcomes(raw)


def test_a_gzipped_warc_gives_one_record_per_response_with_its_url_and_fetch_time(crawl):
    outcome = crawl["crawl.warc.gz"]
    docs = outcome.documents
    assert outcome.manifest["items"] == 3 and outcome.manifest["records"] == len(docs) == 3
    assert [d["source_url"] for d in docs] == [f"https://news.example.cn/a/{i}.html" for i in range(3)]
    assert [d["fetched_at"] for d in docs] == [datetime(2026, 11, 20 + i, 8, 0, i, tzinfo=UTC) for i in range(3)]
    assert len({d["source_item"] for d in docs}) == 3 and len({d["record_id"] for d in docs}) == 3
    for i, doc in enumerate(docs):
        assert doc["language"] == "zh" and "<" not in doc["text"] and "WARC" not in doc["text"]
        assert PROSE[3 * i][:20] in doc["text"]


def test_json_lines_mixing_html_and_text_items(crawl):
    docs = crawl["items.jsonl"].documents
    assert [d["source_item"] for d in docs] == ["1", "2"]
    assert [d["source_url"] for d in docs] == ["https://blog.example.cn/1", "https://blog.example.cn/2"]
    assert docs[0]["fetched_at"] == datetime(2026, 11, 20, 1, 2, 3, tzinfo=UTC) and docs[1]["fetched_at"] is None
    assert docs[1]["title"] == "文本条目"
    for doc in docs:
        assert "<p>" not in doc["text"] and '"url"' not in doc["text"] and "{" not in doc["text"]
    assert PROSE[10][:20] in docs[0]["text"] and PROSE[12][:20] in docs[1]["text"]


def test_a_gzip_compressed_gb18030_page(crawl):
    (doc,) = crawl["page.gz"].documents
    assert doc["encoding"] == "gb18030" and doc["language"] == "zh" and doc["source_item"] is None
    assert PROSE[14][:20] in doc["text"]


def test_other_languages_are_kept_untouched_by_chinese_stages(crawl):
    (english,) = crawl["english.html"].documents
    assert english["language"] == "en" and "free operating system." in english["text"]  # no full-width stop
    (japanese,) = crawl["japanese.txt"].documents
    assert japanese["language"] == "ja"
    assert japanese["text"] == JAPANESE and "東京" in japanese["text"] and japanese["repairs"]["t2s_changed"] == 0


def test_a_chinese_page_quoting_english_stays_chinese():
    assert detect_language("\n".join(PROSE[:4]) + "\n" + ENGLISH[:120]).code == "zh"
    assert detect_language(ENGLISH).code == "en"


@pytest.mark.parametrize("name,data,named", [
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "Office"),
])
def test_pdf_and_office_files_are_quarantined_by_name(tmp_path, name, data, named):
    (tmp_path / name).write_bytes(data)
    outcome = outcomes(tmp_path)[name]
    assert outcome.quarantine["reason"] == "container" and named in outcome.quarantine["detail"]


def test_a_docx_is_quarantined_as_a_word_document(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", f"<w:document><w:t>{PROSE[0]}</w:t></w:document>")
    (tmp_path / "letter.bin").write_bytes(buffer.getvalue())  # recognised by content, not name
    outcome = outcomes(tmp_path)["letter.bin"]
    assert outcome.quarantine["reason"] == "container" and "Word" in outcome.quarantine["detail"]


@pytest.mark.parametrize("value", [{"count": 3, "rows": [1, 2]}, [{"id": 1}, {"id": 2}]])
def test_json_that_holds_no_pages_is_quarantined_not_ingested_as_text(tmp_path, value):
    (tmp_path / "data.json").write_text(json.dumps(value), "utf-8")
    outcome = outcomes(tmp_path)["data.json"]
    assert outcome.documents == [] and outcome.quarantine["reason"] == "container"
    assert "html, content, text" in outcome.quarantine["detail"]


def test_a_page_that_merely_starts_with_a_bracket_is_a_page(tmp_path):
    (tmp_path / "p.txt").write_text("[转载]" + "\n".join(PROSE[:2]), "utf-8")
    assert outcomes(tmp_path)["p.txt"].documents


@pytest.mark.parametrize("compress,kind", [(gzip.compress, "gzip"), (bz2.compress, "bzip2"),
                                           (lzma.compress, "xz"), (zstandard.compress, "zstd")])
def test_every_compression_round_trips_and_a_bomb_stops_at_the_limit(compress, kind):
    page = "\n".join(PROSE[:3]).encode()
    assert decompress_bounded(compress(page), kind, 1 << 20) == page
    with pytest.raises(Rejected) as bomb:
        decompress_bounded(compress(bytes(8 << 20)), kind, 1 << 20)
    assert bomb.value.reason == "too_large"


def test_a_bomb_file_is_quarantined_as_too_large(tmp_path):
    (tmp_path / "bomb.gz").write_bytes(gzip.compress(bytes(4 << 20)))
    batch = BatchContext("t", BATCH.ingested_at, CleanConfig(max_bytes=1 << 20), version="0")
    assert outcomes(tmp_path, batch)["bomb.gz"].quarantine["reason"] == "too_large"


def test_a_compressed_json_lines_file_is_read_as_items():
    lines = "\n".join(json.dumps({"url": f"u{i}", "text": PROSE[i]}, ensure_ascii=False) for i in range(2))
    items = read_items(gzip.compress(lines.encode()), 1 << 20)
    assert [i.locator for i in items] == ["1", "2"] and items[1].source_url == "u1"


def test_quality_signals_follow_their_definitions():
    clean = quality_signals("\n".join(PROSE[:6]))
    assert set(clean) == set(QUALITY_FIELDS)
    assert clean["hanzi_share"] > 0.5 and clean["dup_line_share"] == 0 and clean["dup_ngram_share"] < 0.2
    spam = quality_signals("\n".join([PROSE[0]] * 4 + ["• 12345 …"]))
    assert spam["dup_line_share"] == 0.8 and spam["dup_ngram_share"] > 0.7 and spam["bullet_share"] == 0.2
    assert quality_signals("") == dict.fromkeys(QUALITY_FIELDS, 0.0)


def test_a_real_warc_captured_from_a_local_server_is_ingested(tmp_path):
    import http.client

    from warcio.capture_http import capture_http  # patches http.client while it is active

    handler = partial(SimpleHTTPRequestHandler, directory=str(ROOT / "raw/samples"))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    names = sorted(p.name for p in (ROOT / "raw/samples").iterdir())
    raw = tmp_path / "raw"
    raw.mkdir()
    try:
        with capture_http(str(raw / "samples.warc.gz")):
            for name in names:
                connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
                connection.request("GET", f"/{name}")
                assert connection.getresponse().read()
                connection.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    outcome = outcomes(raw)["samples.warc.gz"]
    assert outcome.manifest["items"] == len(names) and outcome.manifest["outcome"] == "ingested"
    assert len({d["source_item"] for d in outcome.documents}) == len(names)
    assert all(d["source_url"] for d in outcome.documents)
    assert all(d["fetched_at"] is not None and d["language"] == "zh" for d in outcome.documents)


def test_container_rows_round_trip_through_parquet(crawl, tmp_path):
    import pyarrow.parquet as pq

    from ingest.store import new_staging_dir, write_part

    staging = new_staging_dir(tmp_path / "out", "t")
    documents = [d for outcome in crawl.values() for d in outcome.documents]
    manifest = [outcome.manifest for outcome in crawl.values()]
    table = pq.read_table(write_part(staging, "documents", "part-00000", documents))
    back = {r["record_id"]: r for r in table.to_pylist()}
    for doc in documents:
        row = back[doc["record_id"]]
        assert (row["source_item"], row["fetched_at"], row["language"]) == \
               (doc["source_item"], doc["fetched_at"], doc["language"])
        assert set(row["quality"]) == set(QUALITY_FIELDS)
    items = {r["source_path"]: r["items"] for r in pq.read_table(write_part(staging, "manifest", "p", manifest)).to_pylist()}
    assert items == {"crawl.warc.gz": 3, "items.jsonl": 2, "page.gz": 1, "english.html": 1, "japanese.txt": 1}


def test_the_pipeline_version_names_the_commit_of_a_checkout():
    import subprocess

    from ingest.records import checkout_commit, pipeline_version

    if not (ROOT / ".git").exists():
        assert checkout_commit() is None
        return
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert checkout_commit().split(".")[0] == head and f"+g{head}" in pipeline_version()


def test_inspect_shows_each_item_of_a_container(tmp_path, capsys):
    from flows.cli import main

    write_warc(tmp_path / "c.warc.gz", [(f"https://x.example.cn/{i}", "2026-11-20T08:00:00Z",
                                         html_page(f"第{i}篇", PROSE[i:i + 2])) for i in range(2)])
    assert main(["inspect", str(tmp_path / "c.warc.gz")]) == 0
    out = capsys.readouterr().out
    assert out.count("== item ") == 2 and "url='https://x.example.cn/1'" in out and "language: zh" in out


@pytest.mark.parametrize("text,code", [
    ("東京は日本の首都です。", "ja"),
    ("서울은 한국의 수도입니다.", "ko"),
    ("我の日常：" + PROSE[0], "zh"),  # a stylistic の in a Chinese page is not Japanese
])
def test_script_evidence_decides_cjk_languages(text, code):
    assert detect_language(text).code == code
