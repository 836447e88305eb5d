"""Where a page left text out: a mark while the stages run, offsets in the record.

A ``gap`` notice (``……(省略762字)……``, ``……略……``) stands for text the page does
not show. The notice is removed, the words on both sides are kept as they are,
on separate lines, and the place is remembered: :func:`gap_mark` leaves a line
holding only :data:`GAP_MARK` (a Unicode noncharacter, which no page carries),
framed by blank lines so no stage joins it to the prose. The last stage,
:func:`record_gaps`, takes the mark lines out and turns them into the
character offsets of the ``gaps`` column: the offset where the text after the
gap starts (the length of the text for a gap at the end).
"""

from __future__ import annotations

from dataclasses import replace

from cleaners.model import CleanConfig, Page, StageReport, frozen_counts

GAP_MARK = "\ufdd0"
GAP_LINE = f"\n\n{GAP_MARK}\n\n"


def gap_offsets(text: str) -> tuple[str, tuple[int, ...]]:
    """The text without its mark lines, and the offset each mark stood at.

    >>> gap_offsets("甲。\\n\\ufdd0\\n乙。")
    ('甲。\\n乙。', (3,))
    >>> gap_offsets("甲。\\n\\ufdd0")
    ('甲。', (2,))
    """
    if GAP_MARK not in text:
        return text, ()
    kept: list[str] = []
    gaps: list[int] = []
    length = 0  # length of "\n".join(kept)
    for line in text.split("\n"):
        if line.strip() == GAP_MARK:
            offset = length + 1 if kept else 0
            gaps.append(offset)
            continue
        line = line.replace(GAP_MARK, "")
        length += len(line) + (1 if kept else 0)
        kept.append(line)
    out = "\n".join(kept)
    # A gap at the very end points just past the text, never beyond it.
    return out, tuple(sorted({min(g, len(out)) for g in gaps}))


def with_gap_marks(text: str, gaps: tuple[int, ...] | list[int]) -> str:
    """A record's text with its gaps marked again: what to clean when a record is cleaned once more.

    A record's gaps are part of what it says: without them, an unfinished line
    before a gap looks like a hard line break and would be joined to the text
    after the gap.

    >>> gap_offsets(with_gap_marks("甲\\n乙。", (2,)))
    ('甲\\n乙。', (2,))
    """
    out: list[str] = []
    last = 0
    for offset in sorted(gaps):
        before = text[last:offset].rstrip("\n")
        out.append(f"{before}\n{GAP_MARK}\n" if before or out else f"{GAP_MARK}\n")
        last = offset
    out.append(text[last:])
    return "".join(out)


def record_gaps(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """Stage: remove the gap marks of every article and record their offsets in ``gaps``."""
    articles = []
    total = 0
    for article in page.articles:
        text, gaps = gap_offsets(article.text)
        total += len(gaps)
        title = None if article.title is None else article.title.replace(GAP_MARK, "").strip() or None
        articles.append(replace(article, text=text, gaps=gaps, title=title) if gaps or text != article.text
                        or title != article.title else article)
    meta = page.meta
    if meta.title and GAP_MARK in meta.title:
        meta = replace(meta, title=meta.title.replace(GAP_MARK, "").strip() or None)
    report = StageReport("record_gaps", frozen_counts({"gaps_recorded": total}))
    return replace(page, meta=meta, articles=tuple(articles)), report
