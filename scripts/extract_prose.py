"""Extract the test prose: paragraphs of the Chinese Debian FAQ, grouped into documents.

Source: Debian package ``debian-faq-zh-cn`` (``debian-faq.zh-cn.txt.gz``). The
text is hard-wrapped at ~70 columns; lines of a paragraph are joined (a space
only between two ASCII characters). Paragraphs that are mostly Chinese are kept
and grouped into documents of at least ``MIN_DOC`` characters, one document a
block, blocks separated by a blank line. Used by tests/test_mojibake_roundtrip.py.

    /work/main/.venv/bin/python scripts/extract_prose.py PATH/debian-faq.zh-cn.txt.gz
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

from cleaners.chinese import HAN_BASIC

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "prose" / "debian-faq-zh-cn.txt"
MIN_DOC = 90
HAN = re.compile(f"[{HAN_BASIC}]")


def paragraphs(text: str):
    block: list[str] = []
    for line in text.splitlines() + [""]:
        stripped = line.strip()
        if stripped:
            block.append(stripped)
            continue
        if block:
            yield join(block)
            block = []


def join(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        sep = " " if out[-1].isascii() and line[0].isascii() else ""
        out += sep + line
    return out


def main(path: str) -> int:
    text = gzip.open(path, "rt", encoding="utf-8").read()
    text = text.replace("\xa0", " ")
    kept = [p for p in paragraphs(text) if len(p) >= 20 and len(HAN.findall(p)) >= 0.5 * len(p)]
    docs, current = [], []
    for p in kept:
        current.append(p)
        if sum(map(len, current)) >= MIN_DOC:
            docs.append("\n".join(current))
            current = []
    OUT.write_text("\n\n".join(docs) + "\n", encoding="utf-8")
    print(f"{len(kept)} paragraphs, {len(docs)} documents, {OUT.stat().st_size} bytes -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
