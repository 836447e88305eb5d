"""A container's declared charset is evidence for decoding, never an order (issue 15 item 3).

Short GBK and Big5 texts are ambiguous: their bytes are often valid in both (and
sometimes in UTF-8, EUC-KR or EUC-JP), and the detector guesses. The texts here
are the words of the real prose in tests/data/prose, encoded by the codec itself
(Big5 after OpenCC's s2t): the declared charset must give every one back, and a
declaration the bytes do not bear out must change nothing.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

import pytest
from opencc import OpenCC
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaners.chinese import HAN_BASIC
from cleaners.decode.encoding import decode_bytes
from tests.test_readers import BATCH, PROSE

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def words() -> list[str]:
    text = (ROOT / "tests/data/prose/debian-faq-zh-cn.txt").read_text("utf-8")
    return list(dict.fromkeys(re.findall(f"[{HAN_BASIC}]{{2,8}}", text)))[:1200]


def encoded(codec: str) -> list[tuple[str, bytes]]:
    convert = OpenCC("s2t.json").convert if codec == "big5" else str
    pairs = []
    for word in words():
        text = convert(word)
        try:
            pairs.append((text, text.encode(codec)))
        except UnicodeEncodeError:
            continue
    return pairs


@pytest.mark.parametrize("codec", ["gbk", "big5"])
def test_the_declared_charset_settles_every_ambiguous_short_text(codec):
    pairs = encoded(codec)
    misread = [(text, raw) for text, raw in pairs if decode_bytes(raw).text != text]
    assert len(misread) >= 5  # the detector alone does get short texts wrong
    assert [text for text, raw in misread if decode_bytes(raw, hint=codec).text != text] == []
    assert [text for text, raw in pairs if decode_bytes(raw, hint=codec).text != text] == []


def test_a_declaration_the_bytes_do_not_bear_out_changes_nothing():
    page = "\n".join(PROSE[:6])
    gbk = page.encode("gbk")
    assert decode_bytes(gbk, hint="big5").encoding == "gb18030"  # invalid in Big5: never trusted
    assert decode_bytes(gbk, hint="ISO-8859-1").encoding == "gb18030"  # a server's default, not the truth
    assert decode_bytes(gbk, hint="x-no-such-codec").encoding == "gb18030"
    assert decode_bytes(page.encode(), hint="gbk").encoding == "utf-8"  # long UTF-8 stays UTF-8
    traditional = []
    for line in map(OpenCC("s2t.json").convert, PROSE):
        try:
            traditional.append(line.encode("big5"))
        except UnicodeEncodeError:
            continue
    assert len(traditional) >= 6
    assert decode_bytes(b"\n".join(traditional[:6]), hint="gb2312").encoding == "big5"


def test_a_warc_responses_content_type_charset_reaches_decoding(tmp_path):
    from ingest.batch import describe_file
    from ingest.chunk import process_file, read_raw

    misread = [(text, raw) for text, raw in encoded("big5") if decode_bytes(raw).text != text][:3]
    path = tmp_path / "crawl.warc"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=False)
        for i, (_, raw) in enumerate(misread):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/plain; charset=Big5")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://tw.example.org/{i}", "response",
                                                          payload=io.BytesIO(raw), http_headers=headers))
    raw_file, data = read_raw(describe_file(path, path.name), BATCH)
    docs = process_file(raw_file, data, BATCH).documents
    assert [d["encoding"] for d in docs] == ["big5"] * len(misread)
    simplify = OpenCC("t2s.json").convert
    assert [d["text"] for d in docs] == [simplify(text) for text, _ in misread]
