"""Stage ``reflow_lines``: rejoin lines that a scraper broke around removed links.

When a scraper drops the links of a page, their anchor texts end up on lines
of their own, or the text breaks where a link was (ARTIFACTS §6)::

    …担当实干,在⏎乡村振兴、⏎疫情防控等中心工作…        (000: hard breaks)
    …要推動《。⏎勞動合同。⏎法》的貫徹實施…              (002: a 。 appended to each text node)

Two rules, in this order, with the rule that worked on the samples:

* **anchor fragment**: a line of at most 6 characters that ends in ``。`` or
  ``”`` and has no punctuation inside, between two lines of text that are not
  headings, is joined with both; the ``。`` that ends the line before it and the
  one that ends it go. A fragment that ends in ``”`` without its opening ``“``
  lost its head: the sentence end before it stays.
  A few one-word sentences (``谢谢。``, ``好。``) are never fragments.
  The rule deletes ``。``, so it fires only on pages that show the damage
  (:func:`shows_link_damage`): a ``。`` right after an opening mark (``《。``),
  which no writer puts there, or the appended ``。`` twice (two fragments each
  after a line ending in ``。``). A poem or a dialogue of short sentences is
  not that damage, and keeps every ``。``.
* **hard break**: a line that does not end in sentence-final or closing
  punctuation or a comma (list items and verse end lines in ``，``; none of the
  breaks of the samples does), looks like prose (a ``,、。`` inside, or ending in ``、“的和``,
  or, once the page's running text has begun, more than 25 characters), holds
  hanzi, stops at a hanzi or ``、“`` (not after a Latin word, a number, a
  bracket or a footnote mark), holds no date in digits and is not a heading, is joined with the next line unless that one is
  a heading, or begins a block of its own (:func:`continues_prose`). A photo caption and a short
  subheading between a finished paragraph and a whole one stand alone (:func:`stands_alone`): a
  cleaned record holds them, and cleaning it again must not join them.

Headings are enumerated, salutation or 篇 lines of at most 40 characters
(:func:`cleaners.structure.shapes.is_heading`), so outline items, section headings and
salutations are never merged into prose. Blank lines are dropped first (the
final tidy would drop them anyway): whether a page is double-spaced must not
change how its lines are joined, or cleaning a cleaned page would join more.
Where text is missing, the notice stage left a gap mark line
(:mod:`cleaners.structure.gaps`): the text on each side of it is reflowed on
its own, so an unfinished half-sentence before a gap is kept and never joined
to the text after it.
Only plain-text pages are reflowed: in HTML the block structure says where
paragraphs end. Counts: ``breaks_joined``, one per line break removed.
"""

from __future__ import annotations

import re

from cleaners.matching.fold import fold
from cleaners.model import Article, CleanConfig, Metadata, Page, StageReport, TextChange, frozen_counts
from cleaners.stage import MAX_EXAMPLES, run_on_articles
from cleaners.structure.gaps import GAP_MARK
from cleaners.structure.shapes import ends_complete, has_cjk, is_body_line, is_heading

FRAGMENT_MAX = 6
INNER_PUNCTUATION = set(",.;:!?、。“”‘’()《》〈〉「」『』【】…—·")
NOT_FRAGMENTS = {"谢谢。", "谢谢大家。", "好。", "是。", "对。", "完。", "散会。", "再见。", "同意。", "通过。"}
PROSE_ENDINGS = ("、", "“", "的", "和")


def is_fragment(lines: list[str], k: int) -> bool:
    """Line ``k`` is a link's anchor text stranded between two lines of text."""
    if k == 0 or k + 1 >= len(lines):
        return False
    text = fold(lines[k].strip())
    if not (2 <= len(text) <= FRAGMENT_MAX) or text[-1] not in "。”" or text in NOT_FRAGMENTS:
        return False
    if any(c in INNER_PUNCTUATION for c in text[:-1]) or not has_cjk(text):
        return False
    neighbours = (lines[k - 1].strip(), lines[k + 1].strip())
    return all(neighbours) and not any(is_heading(n) for n in neighbours)


def lost_its_head(fragment: str) -> bool:
    text = fragment.strip()
    return text.endswith("”") and "“" not in text


OPENER_THEN_STOP = re.compile(r"[《“‘(（【「〈]。\s*$")


def shows_link_damage(lines: list[str]) -> bool:
    """The page's text nodes got a ``。`` appended: an opening mark followed by ``。``, or two fragments after a ``。``.

    >>> shows_link_damage(["各級工會要推動《。", "勞動合同。", "法》的貫徹實施。"])
    True
    >>> shows_link_damage(["静夜思", "床前明月光，", "疑是地上霜。", "举头望明月，", "低头思故乡。", "这首诗人人会背。"])
    False
    """
    if any(OPENER_THEN_STOP.search(line) for line in lines):
        return True
    after_stop = [k for k in range(len(lines)) if is_fragment(lines, k) and fold(lines[k - 1].rstrip()).endswith("。")]
    return len(after_stop) >= 2


def join_fragments(lines: list[str], damaged: bool | None = None) -> tuple[list[str], int, list[str]]:
    """Rule (A): join anchor fragments with the lines around them, on a page that shows the damage.

    ``damaged``: whether the page shows it (None: judged on ``lines`` alone).
    """
    fragments = {k for k in range(len(lines)) if is_fragment(lines, k)}
    if not fragments or not (shows_link_damage(lines) if damaged is None else damaged):
        return lines, 0, []
    out: list[str] = []
    joined = 0
    examples: list[str] = []
    for k, line in enumerate(lines):
        if k - 1 in fragments or k in fragments:
            previous = out.pop()
            if k in fragments and not lost_its_head(line):
                previous = previous.rstrip().removesuffix("。")
            piece = line.strip()
            if k in fragments:
                piece = piece.removesuffix("。")
            out.append(previous.rstrip() + piece)
            joined += 1
            if len(examples) < MAX_EXAMPLES and k in fragments:
                examples.append(f"…{previous.strip()[-8:]}⏎{line.strip()}⏎{lines[k + 1].strip()[:8]}…")
        else:
            out.append(line)
    return out, joined, examples


def breaks_prose(line: str, in_body: bool) -> bool:
    """Rule (B)'s test for the line before a break.

    Length alone counts as a sign of prose only from the page's first line of
    running text on: above it sit titles and subtitles, long but never broken.
    """
    text = fold(line.strip())
    if not text or not has_cjk(text) or ends_complete(text) or text.endswith(",") or is_heading(text):
        return False
    if FOOTNOTE_AFTER_END.search(text) or not is_chinese_end(text[-1]) or NUMERIC_DATE.search(text):
        return False
    return (len(text) > 25 and in_body) or any(c in text for c in ",。、") or text.endswith(PROSE_ENDINGS)


# Where a line stops, a footnote reference may follow its sentence end: ``…本身。[7]``.
FOOTNOTE_AFTER_END = re.compile(r"[。!?;:…”’」』)】》]\s*(?:\[\d{1,3}\]|\(\d{1,3}\)|[①-⑳])+$")
# A date or time in digits: a dateline or a field line, not a sentence cut by a link.
NUMERIC_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|(?<!\d)\d{1,2}:\d{2}(?!\d)")


def is_chinese_end(char: str) -> bool:
    """A sentence cut by a removed link stops at a hanzi or at 、“ (never after a Latin word, a number or a bracket)."""
    return has_cjk(char) or char in PROSE_ENDINGS


# A line that opens a block of its own: a bracketed label (【免责声明】, [编者按]) or a short key and a
# colon (医院地址：…, 划重点：).
OPENS_BLOCK = re.compile(r"^(?:[【\[〖〔][^】\]〗〕\n]{1,10}[】\]〗〕]|[^\s,。:;!?、“”()]{1,6}:)")


def continues_prose(line: str) -> bool:
    """The line after a break can be the rest of a sentence: Chinese from its first characters, no heading,
    no block of its own.

    What a cleaned record holds must read the same when it is cleaned again: a command on a line of its
    own (``lsb_release -a``) or a labelled block after a paragraph that ends without punctuation is no
    hard break (issue 12, item 7).

    >>> continues_prose("调研、线上问卷等方式"), continues_prose("lsb_release -a"), continues_prose("【免责声明】本文仅代表作者")
    (True, False, False)
    """
    text = fold(line.strip())
    return (has_cjk(text[:8]) and not is_heading(text) and not OPENS_BLOCK.match(text)
            and not (len(text) <= 40 and NUMERIC_DATE.search(text)))


# A photo's credit closes its caption (…周斌摄, 小花母亲供图, 视频截图): the caption is a block of its own.
PHOTO_CREDIT = re.compile(r"(?:摄|摄影|供图|截图|图片|图)$")
HEADING_MAX = 30  # a subheading between paragraphs is short
PARAGRAPH_MIN = 40  # …and the paragraph under it is not


def stands_alone(before: str | None, line: str, after: str) -> bool:
    """A line that is a block of its own, not a sentence broken at its end: a photo caption, or a short
    subheading (no sentence inside) between a finished paragraph and a whole paragraph.

    A record's text holds such lines; read again, they must not be joined to the paragraph under them
    (issue 12, item 7). A line broken by link damage inside a paragraph has a sentence before it in the
    same line, or a fragment after it.

    >>> stands_alone("上一段。", "雨游黄鹤楼照样开心。城市摄影队周斌摄", "据报道，……")
    True
    >>> stands_alone("上一段。", "2018年进口继续扩大，突破3000亿美元", "魏少军指出，全球每生产3块集成电路就有2块运到中国来，由此产生的贸易逆差创下历史新高。")
    True
    >>> stands_alone("上一段。", "清大局、服务大局。主导产业提质增效、农业", "农村现代化、文旅融合高质量发展等重点工作，推动了各项工作落实落地见到实效。")
    False
    """
    text = fold(line.strip())
    if PHOTO_CREDIT.search(text):
        return True
    rest = fold(after.strip())
    return (before is not None and ends_complete(fold(before.strip())) and len(text) <= HEADING_MAX
            and not any(mark in text for mark in "。!?;") and not text.endswith(PROSE_ENDINGS)
            and len(rest) >= PARAGRAPH_MIN and ends_complete(rest))


def join_hard_breaks(lines: list[str]) -> tuple[list[str], int, list[str]]:
    """Rule (B): join a prose line that stops mid-sentence with the line after it."""
    out: list[str] = []
    joined = 0
    examples: list[str] = []
    in_body = False
    for line in lines:
        # The line before the break is in the body when a body line came before the break: the first line
        # of running text does not make the field line above it prose (索引号：…　成文日期：2023年1月8日).
        if (out and out[-1].strip() and line.strip() and breaks_prose(out[-1], in_body) and continues_prose(line)
                and not stands_alone(out[-2] if len(out) > 1 else None, out[-1], line)):
            if len(examples) < MAX_EXAMPLES:
                examples.append(f"…{out[-1].strip()[-8:]}⏎{line.strip()[:8]}…")
            out[-1] = out[-1].rstrip() + line.strip()
            joined += 1
        else:
            out.append(line)
        in_body = in_body or is_body_line(line)
    return out, joined, examples


def reflow_text(text: str, damaged: bool | None = None) -> tuple[str, int, list[str]]:
    """Both rules on one article's text.

    >>> reflow_text("担当实干,在\\n乡村振兴、\\n疫情防控等中心工作中发挥了主力军作用。")[:2]
    ('担当实干,在乡村振兴、疫情防控等中心工作中发挥了主力军作用。', 2)
    >>> reflow_text("各級工會要牢固樹立維權觀。要推動《。\\n勞動合同。\\n法》的貫徹實施。")[0]
    '各級工會要牢固樹立維權觀。要推動《勞動合同法》的貫徹實施。'
    """
    if GAP_MARK in text:
        return reflow_around_gaps(text, damaged)
    return reflow_piece(text, damaged)


def reflow_piece(text: str, damaged: bool | None = None) -> tuple[str, int, list[str]]:
    """Both rules on a stretch of text with no gap in it."""
    lines = [line for line in text.split("\n") if line.strip()]
    lines, fragments, examples = join_fragments(lines, damaged)
    lines, breaks, more = join_hard_breaks(lines)
    return "\n".join(lines), fragments + breaks, examples + more


def reflow_around_gaps(text: str, damaged: bool | None = None) -> tuple[str, int, list[str]]:
    """Reflow the text on each side of every gap mark line apart: nothing is joined across a gap."""
    pieces, joined, examples = [], 0, []
    for piece in re.split(f"\n[ \t]*{GAP_MARK}[ \t]*(?=\n|$)|^[ \t]*{GAP_MARK}[ \t]*\n", text):
        out, count, found = reflow_piece(piece, damaged)
        pieces.append(out)
        joined += count
        examples += found
    return f"\n{GAP_MARK}\n".join(pieces), joined, examples


def reflow_lines(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """Rejoin broken lines in every article of a plain-text page."""
    if page.source_format != "text":
        return page, StageReport("reflow_lines")

    # The evidence of link damage is the page's: every article of a collection was damaged alike.
    damaged = shows_link_damage([line for a in page.articles for line in a.text.split("\n") if line.strip()])

    def fix(index: int, article: Article, meta: Metadata) -> tuple[TextChange, Metadata]:
        text, joined, examples = reflow_text(article.text, damaged)
        return TextChange(text, frozen_counts({"breaks_joined": joined}), tuple(examples)), meta

    return run_on_articles("reflow_lines", page, fix)
