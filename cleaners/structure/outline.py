"""Stage ``extract_outline``: a ``目录/提纲`` preamble becomes ``Metadata.outline``.

Some sites put an auto-extracted table of contents above the article::

    目录/提纲:……
    一是服务中心更加有力
    …
    三要增强争先创优意识
    ……

or, framed as a block of its own::

    〖内容导航〗              本文大纲：
    （一）软件包从哪里来      1. 为什么要读这份文档
    （二）版本如何选择        2. 文档的组织方式
    〖正文开始〗              ————————

The items repeat the article's headings (and list those of the hidden part of
a paywalled article), so they are useful metadata but not text. The preamble is
a header line near the top of the page that names an outline (目录, 提纲, 大纲,
导读, 导航, 内容提要 …, bare or in brackets, after 本文/文章); it ends at a
closing marker: a line of dots or of a rule (``……``, ``-----``, ``————``) or a
short bracketed marker line (``〖正文开始〗``, ``【正文】``, ``[/目录]``). Without
a closing marker only the enumerated headings that follow the header are taken.
Counts: ``outline_items``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from cleaners.matching.fold import fold
from cleaners.model import CleanConfig, Page, StageReport, frozen_counts
from cleaners.stage import MAX_EXAMPLES
from cleaners.structure.shapes import ENUMERATED, head_and_tail

OUTLINE_WORDS = r"(?:目录/提纲|目录|提纲|大纲|内容提要|提要|要点|导读|内容导航|导航)"
OPEN, CLOSE = r"[(\[【〖〔<「]", r"[)\]】〗〕>」]"
OUTLINE_HEAD = re.compile(
    rf"^(?:{OPEN}\s*)?(?:本文|文章|全文|内容)?{OUTLINE_WORDS}(?:\s*{CLOSE})?\s*:?\s*(?:…+|\.{{3,}}|-+|—+)?$")
OUTLINE_END = re.compile(rf"^(?:…+|\.{{3,}}|。{{3,}}|[-—─=_~*]{{3,}}|—{{2,}}|{OPEN}[^()\[\]【】〖〗〔〕<>「」]{{1,10}}{CLOSE})$")
MAX_ITEMS = 80
ITEM_MAX = 60


def find_outline(lines: list[str]) -> tuple[int, int, list[str]] | None:
    """``(first line, one past the last line, items)`` of the outline preamble, or None."""
    head, _ = head_and_tail(lines)
    for start in range(min(head, len(lines))):
        if not OUTLINE_HEAD.match(fold(lines[start].strip())):
            continue
        items: list[str] = []
        for end in range(start + 1, min(len(lines), start + 2 + MAX_ITEMS)):
            text = lines[end].strip()
            if OUTLINE_END.match(fold(text)):
                return start, end + 1, items
            if text and len(text) <= ITEM_MAX and "。" not in fold(text)[:-1]:
                items.append(text)
            elif text:
                break
        enumerated = []
        end = start + 1
        while end < len(lines):
            text = lines[end].strip()
            if text and not ENUMERATED.match(fold(text)):
                break
            if text:
                enumerated.append(text)
            end += 1
        if enumerated:
            return start, end, enumerated
    return None


def extract_outline(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """Move the outline preamble of the page's first article into the metadata."""
    if not page.articles or page.meta.outline:
        return page, StageReport("extract_outline")
    first = page.articles[0]
    lines = first.text.split("\n")
    found = find_outline(lines)
    if found is None:
        return page, StageReport("extract_outline")
    start, end, items = found
    text = "\n".join(lines[:start] + [""] + lines[end:])
    meta = replace(page.meta, outline=tuple(items))
    report = StageReport(
        "extract_outline",
        frozen_counts({"outline_items": len(items)}),
        tuple(f"outline: {item}" for item in items[:MAX_EXAMPLES]),
    )
    articles = (replace(first, text=text), *page.articles[1:])
    return replace(page, meta=meta, articles=articles), report
