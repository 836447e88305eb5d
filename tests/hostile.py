"""A raw directory of hostile inputs, built at test time (FIFOs, sockets, links cannot be committed).

Each kind is a function that creates its entries under ``raw`` (and, for the
links out of it, the targets beside it) and returns what the batch must make
of each: ``source_path → (manifest outcome, quarantine reason or None)``.
Pages are real prose (the samples, the Debian FAQ) damaged by the mechanism of
each kind, never typed-in mojibake.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import socket
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import zstandard

from tests.batches import PNG
from tests.encoded import encoded_samples, simplified_speech

Expected = dict[str, tuple[str, str | None]]
INGESTED: tuple[str, None] = ("ingested", None)
KINDS: dict[str, Callable[[Path], Expected]] = {}
JAPANESE = ("東京は日本の首都であり、世界でも有数の大都市です。多くの人々がこの街で働き、暮らしています。"
            "春には桜が咲き、秋には紅葉が美しい季節になります。\n") * 4
KOREAN = "안녕하세요 세계. 오늘은 날씨가 좋네요. 서울은 한국의 수도입니다.\n" * 6
# The size limit of the hostile batch: small, so that huge files, bombs and long lines stay cheap to build.
LIMIT = 256 * 1024
LINE_LIMIT = 64 * 1024
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + bytes(200)


def kind(function: Callable[[Path], Expected]) -> Callable[[Path], Expected]:
    KINDS[function.__name__] = function
    return function


def speech() -> str:
    return simplified_speech()


def write(raw: Path, name: str | bytes, data: bytes) -> Path:
    path = Path(os.fsdecode(os.path.join(os.fsencode(raw), os.fsencode(name))))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def html_page(body: str, title: str = "通知") -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body>{body}</body></html>").encode()


def paragraphs_html(text: str) -> str:
    return "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


# --- bytes that hold no page -------------------------------------------------------------------

@kind
def empty(raw: Path) -> Expected:
    write(raw, "empty.txt", b"")
    return {"empty.txt": ("quarantined", "empty")}


@kind
def whitespace_only(raw: Path) -> Expected:
    write(raw, "blank.txt", b" \r\n\t\n\xe3\x80\x80\n")  # an ideographic space among the blanks
    return {"blank.txt": ("quarantined", "empty")}


@kind
def lone_byte(raw: Path) -> Expected:
    write(raw, "lone-byte.txt", b"\xff")
    return {"lone-byte.txt": ("quarantined", "undecodable")}


@kind
def binary_files(raw: Path) -> Expected:
    write(raw, "logo.png", PNG + bytes(64))
    write(raw, "tool", ELF)
    return {"logo.png": ("quarantined", "binary"), "tool": ("quarantined", "binary")}


@kind
def archives_and_documents(raw: Path) -> Expected:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", speech())
    write(raw, "pages.zip", buffer.getvalue())
    write(raw, "report.pdf", b"%PDF-1.7\n" + bytes(100))
    return {"pages.zip": ("quarantined", "container"), "report.pdf": ("quarantined", "container")}


# --- encodings ---------------------------------------------------------------------------------

@kind
def nul_laden_utf8(raw: Path) -> Expected:
    data = speech().encode()
    write(raw, "nul.txt", data[:300] + b"\x00" + data[300:900] + b"\x00\x00" + data[900:])
    return {"nul.txt": INGESTED}


@kind
def utf16(raw: Path) -> Expected:
    samples = encoded_samples()
    write(raw, "utf16-bom.txt", samples["utf-16-bom"][0])
    write(raw, "utf16-le.txt", samples["utf-16-le-no-bom"][0])
    return {"utf16-bom.txt": INGESTED, "utf16-le.txt": INGESTED}


@kind
def other_cjk_encodings(raw: Path) -> Expected:
    write(raw, "shift-jis.txt", JAPANESE.encode("shift_jis"))
    write(raw, "euc-jp.txt", JAPANESE.encode("euc_jp"))
    write(raw, "euc-kr.txt", KOREAN.encode("euc_kr"))
    return {"shift-jis.txt": INGESTED, "euc-jp.txt": INGESTED, "euc-kr.txt": INGESTED}


@kind
def chinese_encodings(raw: Path) -> Expected:
    samples = encoded_samples()
    write(raw, "big5.txt", samples["big5"][0])
    chars = [char.encode("gbk") for char in speech()]
    wide = [i for i, char in enumerate(chars) if len(char) == 2]
    for at in wide[50::150][:3]:  # a few pairs whose trail byte was damaged in transit
        chars[at] = chars[at][:1] + b"\xff"
    write(raw, "gbk-bad-pairs.txt", b"".join(chars))
    return {"big5.txt": INGESTED, "gbk-bad-pairs.txt": INGESTED}


@kind
def mojibake_only(raw: Path) -> Expected:
    # The speech's UTF-8 bytes read as GBK and saved again: 古文码 from end to end, which the repairs read back.
    garbled = speech().encode().decode("gbk", errors="replace").encode("utf-8")
    write(raw, "mojibake.txt", garbled)
    return {"mojibake.txt": INGESTED}


# --- containers --------------------------------------------------------------------------------

@kind
def compressed(raw: Path) -> Expected:
    page = speech().encode()
    write(raw, "page.txt.gz", gzipped(page + b"\n\xe6\x9d\xa5\xe6\xba\x90: gz"))
    write(raw, "page.txt.bz2", bz2.compress(page + b"\nbz2"))
    write(raw, "page.txt.xz", lzma.compress(page + b"\nxz"))
    write(raw, "page.txt.zst", zstandard.ZstdCompressor().compress(page + b"\nzst"))
    write(raw, "nested.txt.gz.gz", gzipped(gzipped(page + b"\nnested")))
    write(raw, "thrice.gz", gzipped(gzipped(gzipped(page))))
    return {"page.txt.gz": INGESTED, "page.txt.bz2": INGESTED, "page.txt.xz": INGESTED, "page.txt.zst": INGESTED,
            "nested.txt.gz.gz": INGESTED, "thrice.gz": ("quarantined", "container")}


@kind
def truncated_gzip(raw: Path) -> Expected:
    whole = gzipped(speech().encode() + b"\ntruncated")
    write(raw, "truncated.gz", whole[: len(whole) // 2])
    return {"truncated.gz": ("quarantined", "container")}


@kind
def gzip_bomb(raw: Path) -> Expected:
    bomb = gzipped(b"\x00" * (64 * LIMIT))  # 16 MiB of zeros in a few KB
    assert len(bomb) < LIMIT // 8
    write(raw, "bomb.gz", bomb)
    return {"bomb.gz": ("quarantined", "too_large")}


@kind
def bad_warc(raw: Path) -> Expected:
    write(raw, "broken.warc", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999999999\r\n\r\n<html>")
    return {"broken.warc": ("quarantined", "container")}  # warcio trips over it: the chunk says container


@kind
def json_items_with_bad_lines(raw: Path) -> Expected:
    lines = [f'{{"url": "https://example.cn/{i}", "text": "{line}"}}'
             for i, line in enumerate(speech().splitlines()[:4]) if line.strip()]
    write(raw, "items.jsonl", "\n".join([*lines[:2], '{"url": "https://example.cn/x", "text": ', *lines[2:]]).encode())
    return {"items.jsonl": INGESTED}


@kind
def json_not_items(raw: Path) -> Expected:
    write(raw, "config.json", b'{"version": 3, "sites": ["a", "b"], "depth": 2}')
    return {"config.json": ("quarantined", "container")}


@kind
def feed_without_items(raw: Path) -> Expected:
    write(raw, "feed.xml", '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>新闻</title>'
                           '<link>https://example.cn/</link><description>频道</description></channel></rss>'.encode())
    return {"feed.xml": ("quarantined", "container")}  # a feed with no item


# --- structure and size ------------------------------------------------------------------------

@kind
def deep_html(raw: Path) -> Expected:
    write(raw, "deep.html", html_page("<div>" * 1000 + paragraphs_html(speech()) + "</div>" * 1000))
    return {"deep.html": ("quarantined", "too_complex")}


@kind
def scripts_only(raw: Path) -> Expected:
    write(raw, "scripts.html", html_page("<script>var a = 1; function f() { return a + 1; }</script>" * 20
                                         + "<style>p { color: red }</style>"))
    return {"scripts.html": ("quarantined", "no_text")}


@kind
def markup_only(raw: Path) -> Expected:
    write(raw, "markup.html", html_page("<div><span></span><ul><li></li></ul><table><tr><td></td></tr></table></div>"
                                        * 30))
    return {"markup.html": ("quarantined", "no_text")}


@kind
def huge_file(raw: Path) -> Expected:
    text = speech().encode()
    write(raw, "huge.txt", text * (2 * LIMIT // len(text) + 1))
    return {"huge.txt": ("quarantined", "too_large")}


@kind
def huge_single_line(raw: Path) -> Expected:
    line = "".join(speech().split()).encode()
    write(raw, "one-line.txt", line * (2 * LINE_LIMIT // len(line) + 1))  # within the file limit, not the line's
    write(raw, "long-lines.txt", b"\n".join([line * (LINE_LIMIT // len(line))] * 3))  # each line within it
    return {"one-line.txt": ("quarantined", "too_large"), "long-lines.txt": INGESTED}


@kind
def int32_overflow_notice(raw: Path) -> Expected:
    text = speech()
    write(raw, "overflow.txt", f"{text}\n(全文共99999999999字，当前仅显示4294967296字)\n".encode())
    return {"overflow.txt": INGESTED}


# --- names -------------------------------------------------------------------------------------

@kind
def non_utf8_name(raw: Path) -> Expected:
    write(raw, "国".encode("gbk") + b"-page.txt", speech().encode("gb18030") + b"\n\xb9\xfa")
    return {"\\xb9\\xfa-page.txt": INGESTED}


@kind
def name_with_newline(raw: Path) -> Expected:
    write(raw, "two\nlines.txt", (speech() + "\n换行").encode())
    return {"two\nlines.txt": INGESTED}


@kind
def very_long_name(raw: Path) -> Expected:
    name = "长" * 80 + ".txt"  # 244 bytes, near the 255 a name may have
    write(raw, name, (speech() + "\n长名").encode())
    return {name: INGESTED}


@kind
def hidden_file(raw: Path) -> Expected:
    write(raw, ".hidden.txt", (speech() + "\n隐藏").encode())
    return {".hidden.txt": INGESTED}


@kind
def exact_duplicate(raw: Path) -> Expected:
    data = (speech() + "\n副本").encode()
    write(raw, "copy-a.txt", data)
    write(raw, "copy-b.txt", data)
    return {"copy-a.txt": INGESTED, "copy-b.txt": ("duplicate", None)}


# --- entries that are not regular files --------------------------------------------------------

@kind
def fifo(raw: Path) -> Expected:
    os.mkfifo(raw / "pipe")
    return {"pipe": ("quarantined", "not_a_file")}


@kind
def unix_socket(raw: Path) -> Expected:
    here = os.getcwd()
    os.chdir(raw)  # a socket's path is limited to 108 bytes: bind it by its short relative name
    try:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind("socket")
        server.close()  # the socket file stays
    finally:
        os.chdir(here)
    return {"socket": ("quarantined", "not_a_file")}


@kind
def link_to_dev_zero(raw: Path) -> Expected:
    os.symlink("/dev/zero", raw / "zero")
    return {"zero": ("quarantined", "outside_raw")}


@kind
def link_out_of_raw(raw: Path) -> Expected:
    secret = raw.parent / "secret.txt"
    secret.write_bytes((speech() + "\n机密").encode())
    os.symlink(secret, raw / "secret-link.txt")
    os.symlink("../secret.txt", raw / "relative-secret.txt")
    return {"secret-link.txt": ("quarantined", "outside_raw"), "relative-secret.txt": ("quarantined", "outside_raw")}


@kind
def link_loop(raw: Path) -> Expected:
    os.symlink("loop-b", raw / "loop-a")
    os.symlink("loop-a", raw / "loop-b")
    os.symlink("self", raw / "self")
    return {"loop-a": ("quarantined", "unreadable"), "loop-b": ("quarantined", "unreadable"),
            "self": ("quarantined", "unreadable")}


@kind
def dangling_link(raw: Path) -> Expected:
    os.symlink("nowhere.txt", raw / "dangling.txt")
    return {"dangling.txt": ("quarantined", "unreadable")}


@kind
def links_inside_raw(raw: Path) -> Expected:
    write(raw, "inside/target.txt", (speech() + "\n链接").encode())
    os.symlink("inside/target.txt", raw / "link-to-file.txt")
    os.mkfifo(raw / "inside" / "pipe-target")
    os.symlink("inside/pipe-target", raw / "link-to-pipe")
    os.symlink("inside", raw / "link-to-dir")
    return {"inside/target.txt": INGESTED, "link-to-file.txt": ("duplicate", None),
            "inside/pipe-target": ("quarantined", "not_a_file"), "link-to-pipe": ("quarantined", "not_a_file"),
            "link-to-dir": ("quarantined", "not_a_file")}


@kind
def link_to_directory_outside(raw: Path) -> Expected:
    outside = raw.parent / "elsewhere"
    write(outside, "page.txt", (speech() + "\n别处").encode())
    os.symlink(outside, raw / "elsewhere")
    return {"elsewhere": ("quarantined", "outside_raw")}


@kind
def empty_directory(raw: Path) -> Expected:
    (raw / "nothing" / "at" / "all").mkdir(parents=True)
    return {}


@kind
def deep_directories(raw: Path) -> Expected:
    name = "/".join(["d"] * 60) + "/deep.txt"
    write(raw, name, (speech() + "\n深目录").encode())
    return {name: INGESTED}


def as_root() -> bool:
    return os.geteuid() == 0


@kind
def unreadable_file(raw: Path) -> Expected:
    # Mode 000 stops every user but root (CAP_DAC_OVERRIDE reads it anyway): as root the file is simply ingested.
    path = write(raw, "forbidden.txt", (speech() + "\n禁止").encode())
    path.chmod(0)
    return {"forbidden.txt": INGESTED if as_root() else ("quarantined", "unreadable")}


@kind
def unreadable_directory(raw: Path) -> Expected:
    write(raw, "locked/inside.txt", (speech() + "\n锁").encode())
    (raw / "locked").chmod(0)
    if as_root():
        return {"locked/inside.txt": INGESTED}
    return {"locked/": ("quarantined", "unreadable")}


def build(raw: Path) -> Expected:
    """Every kind under ``raw``; what the batch must make of each entry."""
    raw.mkdir(parents=True, exist_ok=True)
    expected: Expected = {}
    for make in KINDS.values():
        expected.update(make(raw))
    return expected


def restore_permissions(raw: Path) -> None:
    """Let pytest remove the tree again."""
    (raw / "locked").chmod(stat.S_IRWXU)
    (raw / "forbidden.txt").chmod(stat.S_IRUSR | stat.S_IWUSR)
