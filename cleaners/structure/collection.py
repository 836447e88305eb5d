"""Stage ``split_collection``: a page that holds several articles becomes several articles.

Sites of model texts put many speeches on one page. A page is a collection
when it has at least two 篇 headers (``市委工会工作会议讲话内容篇一``,
``2023工会代表大会领导讲话稿【篇1】``) or at least two salutation lines
(``同志们:``). A new article starts (ARTIFACTS §5):

* at a 篇 header;
* at a salutation line, when the article being read already has its own
  salutation and some body (a speech has one salutation, at its top);
* after a closing line (``同志们,…`` / ``预祝…成功`` / ``谢谢大家``), at a line
  whose first sentence opens a meeting (``…召开…``, ``今天…会议``), for speeches
  that a site pasted in without header or salutation.

Whatever precedes the first article (the page's head: title, time, blurb) stays
with the first article, where the chrome stage reads the page's metadata from
it. When the first article opens with its own header, the block above that
header belongs to the page, not to the article: a :data:`PAGE_HEAD_END` line
marks where it ends, and the chrome stage removes whatever of it its rules
left (``cleaners.structure.chrome.without_page_head``). A header leaves the
text and becomes the article's title; an article without a header gets a title
of its own from its first sentence. ``part_index``/``part_count`` of the records
are the articles' positions.

Counts already on the page (stages before this one ran on the whole page) are
handed to the parts in proportion to their length, largest remainder first, so
that the parts add up to exactly what those stages reported. Counts of this
stage and of every later stage belong to the part where the change happened.
Counts: ``parts``; ``chrome_removed`` per header line removed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from cleaners.matching.fold import fold
from cleaners.model import Article, CleanConfig, Page, StageReport, frozen_counts
from cleaners.stage import MAX_EXAMPLES
from cleaners.structure.shapes import SENTENCE_END, is_part_header, is_salutation

MIN_PART_CHARS = 200
# A line of its own after the page's head block in the first article (a Unicode noncharacter, as GAP_MARK).
PAGE_HEAD_END = "\ufdd1"
CLOSING = re.compile(r"^(?:(?:各位[^,:、\s]{1,10}[、,])*同志们,|.*(?:谢谢大家|谢谢!|预祝.{0,30}(?:成功|圆满)))")
OPENING = re.compile(r"召开|开幕|隆重举行|(?:今天|这次|本次)[^。]{0,20}会议")
TITLE_MAX = 30
CLAUSE = re.compile(r"[,;、:]")


@dataclass
class Part:
    start: int  # first line (the header's, when it has one)
    header: str | None = None
    saluted: bool = False
    body_chars: int = 0
    lines: list[str] = field(default_factory=list)


def is_collection(lines: list[str]) -> bool:
    headers = sum(1 for line in lines if is_part_header(line))
    salutations = sum(1 for line in lines if is_salutation(line))
    return headers >= 2 or salutations >= 2


def opens_meeting(line: str) -> bool:
    folded = fold(line.strip())
    first = re.split(f"[{SENTENCE_END}]", folded, maxsplit=1)[0]
    return bool(OPENING.search(first))


def find_parts(lines: list[str]) -> list[Part]:
    """The articles of a collection, each with its lines (headers left out); [] if it is not one."""
    if not is_collection(lines):
        return []
    preamble: list[str] = []
    parts: list[Part] = []
    previous = ""
    for i, line in enumerate(lines):
        stripped = line.strip()
        current = parts[-1] if parts else None
        if not stripped:
            (current.lines if current else preamble).append(line)
            continue
        if is_part_header(stripped):
            parts.append(Part(i, header=stripped))
        elif is_salutation(stripped):
            if current is None or (current.saluted and current.body_chars >= MIN_PART_CHARS):
                parts.append(Part(i))
            parts[-1].saluted = True
            parts[-1].lines.append(line)
        elif (current is not None and current.body_chars >= MIN_PART_CHARS
              and CLOSING.match(fold(previous)) and opens_meeting(stripped)):
            parts.append(Part(i, lines=[line], body_chars=len(stripped)))
        elif current is None:
            preamble.append(line)
        else:
            current.lines.append(line)
            current.body_chars += len(stripped)
        previous = stripped
    if len(parts) < 2:
        return []
    owned = parts[0].header is not None and any(line.strip() for line in preamble)
    parts[0].lines = preamble + ([PAGE_HEAD_END] if owned else []) + parts[0].lines
    return parts


def own_title(lines: list[str]) -> str | None:
    """A title for an article without a header: its first sentence, cut at a clause if long.

    >>> own_title(["同志們:", "市委召開工會工作會議,目的是為了深入貫徹落實省委工會工作會議精神。"])
    '市委召開工會工作會議'
    """
    for line in lines:
        stripped = line.strip()
        if not stripped or is_salutation(stripped):
            continue
        folded = fold(stripped)
        end = min((folded.find(m) for m in SENTENCE_END if m in folded), default=len(folded))
        sentence, folded_sentence = stripped[:end], folded[:end]
        if len(sentence) <= TITLE_MAX:
            return sentence
        cuts = [m.start() for m in CLAUSE.finditer(folded_sentence[: TITLE_MAX + 1]) if m.start() >= 8]
        if cuts:
            first_cut = cuts[0]
            return sentence[:first_cut]
        return sentence[:TITLE_MAX] + "…"
    return None


def distribute(counts, weights: list[int]) -> list[Counter]:
    """Split each count over the parts in proportion to ``weights``; the shares add up exactly.

    >>> [dict(c) for c in distribute({"pinyin_removed": 10}, [1, 1, 1])]
    [{'pinyin_removed': 4}, {'pinyin_removed': 3}, {'pinyin_removed': 3}]
    """
    shares: list[Counter[str]] = [Counter() for _ in weights]
    total = sum(weights) or 1
    for key, count in counts.items():
        exact = [count * w / total for w in weights]
        floors = [int(x) for x in exact]
        left = count - sum(floors)
        order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
        for i in order[:left]:
            floors[i] += 1
        for i, share in enumerate(floors):
            if share:
                shares[i][key] = share
    return shares


def split_collection(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """Split a one-article page that is a collection into its articles."""
    if len(page.articles) != 1:
        return page, StageReport("split_collection")
    whole = page.articles[0]
    parts = find_parts(whole.text.split("\n"))
    if not parts:
        return page, StageReport("split_collection")
    texts = ["\n".join(part.lines) for part in parts]
    inherited = distribute(whole.repairs, [len(t) - (len(PAGE_HEAD_END) + 1) * (PAGE_HEAD_END in t) for t in texts])
    articles = []
    for part, text, share in zip(parts, texts, inherited, strict=False):
        title = part.header or own_title(part.lines)
        article = Article(text=text, title=title, original_script=whole.original_script)
        articles.append(article.counted(share).counted({"chrome_removed": 1 if part.header else 0}))
    headers = sum(1 for part in parts if part.header)
    report = StageReport(
        "split_collection",
        frozen_counts({"parts": len(parts), "chrome_removed": headers}),
        tuple(f"part {i + 1}: {a.title}" for i, a in enumerate(articles[:MAX_EXAMPLES])),
    )
    return replace(page, articles=tuple(articles)), report
