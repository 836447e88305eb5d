"""Stage ``strip_chrome``: the site's furniture leaves the text; what it says becomes metadata.

Chrome is everything on a page that is not the article: breadcrumbs, the
time/editor/source lines, share and print buttons, previous/next links,
related-document lists, copyright and ICP footers, promotion tails, editors'
"下面是小编整理的…仅供参考" sentences. The rules are the ``[[chrome]]`` tables of
the site profiles that match the page, then the generic ones (see
:mod:`cleaners.matching.rules` and ``data/chrome.toml``). A rule removes a line or a
sentence, never a paragraph of prose. Then the page's edge goes by shape and position
(:mod:`cleaners.structure.edges`): the head above the title, what is not the article's below it, the
tail past the article's own closing lines, bar rows between paragraphs.

Metadata comes from what the rules capture (time, author, editor, URL, title)
and from the profile (the site's name). Then:

* the page title: a title line at the top of the page (short, no sentence
  punctuation, followed by a salutation, a heading or a line with sentence
  punctuation) when no rule captured one; every line of the head that repeats the title is removed;
* ``truncated``: a page with a promotion that sells the text (``联系老师``,
  ``定制代笔``, ``下载文档`` …: a ``truncates`` chrome rule), or whose text, once
  its chrome is gone, ends in the middle of a sentence, is incomplete even if no
  notice says so. A follow-us promotion (``扫码关注``) says nothing about that.

Counts: ``chrome_removed`` per removed line or sentence (a repair counter).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache

from cleaners.chinese import HAN, TITLE_SEPARATORS
from cleaners.matching.fold import compact, fold
from cleaners.matching.rules import apply_rules, generic_rules, rules_of_kind, variables
from cleaners.model import Article, CleanConfig, Metadata, Page, StageReport, TextChange, frozen_counts
from cleaners.stage import run_on_articles
from cleaners.structure.collection import PAGE_HEAD_END
from cleaners.structure.edges import strip_edges
from cleaners.structure.metadata import with_captures
from cleaners.structure.shapes import (
    ENUMERATED,
    has_cjk,
    head_and_tail,
    is_body_line,
    is_heading,
    is_part_header,
    is_salutation,
    last_prose_line,
    title_forms,
)
from cleaners.structure.site import page_profiles

TITLE_MAX = 60
# ``资料编号：880000``, ``文档页数：10页``: a short key and a number (with its unit) is a field, not a title;
# nor are two fields or more on one line (``资料大小：32KB　资料格式：DOC``).
NUMBER_FIELD = re.compile(f"^[{HAN}]{{1,8}}:\\s*[0-9A-Za-z._/-]+\\s*[{HAN}]?$")
FIELDS = re.compile(f"^[{HAN}]{{1,8}}:\\s*\\S[^:]*?\\s+[{HAN}]{{1,8}}:\\s*\\S")
PAGE_TALK_MAX = 400  # characters: an intro paragraph, not an article's
MID_SENTENCE_END = re.compile(f"[{HAN},、“(]$")


def strip_chrome(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """Remove chrome from every article; capture the page's metadata; find its title."""
    page, profiles = page_profiles(page)
    rules = rules_of_kind(profiles, "chrome")
    generic = tuple(r for r in generic_rules() if r.kind == "chrome")
    site_rules = rules[:len(rules) - len(generic)]

    def fix(index: int, article: Article, meta: Metadata) -> tuple[TextChange, Metadata]:
        # The site's own rules first; then whole paragraphs of page talk; then the generic rules.
        own = apply_rules(article.text, site_rules)
        text, talk = without_page_talk(own.text, rules, head=index == 0, tail=index == len(page.articles) - 1)
        outcome = apply_rules(text, generic)
        outcome.removals[:0], outcome.captures[:0] = own.removals, own.captures
        outcome.truncated = outcome.truncated or own.truncated
        meta = with_captures(meta, outcome.captures)
        if outcome.truncated and not meta.truncated:
            meta = replace(meta, truncated=True)
        removed = [f"{r.rule}: {r.text[:80]}" for r in own.removals] + [f"page talk: {line[:80]}" for line in talk]
        removed += [f"{r.rule}: {r.text[:80]}" for r in outcome.removals[len(own.removals):]]
        count = len(talk) + sum(r.items for r in outcome.removals)
        text, edges = strip_edges(outcome.text, (article.title, meta.title), head=index == 0,
                                  tail=index == len(page.articles) - 1, site=meta.site)
        removed += [f"page edge: {line[:80]}" for line in edges]
        count += len(edges)
        if index == 0:
            meta, text, title_removed = take_title(meta, text)
            removed += [f"title: {line}" for line in title_removed]
            count += len(title_removed)
            text, head_removed = without_page_head(text)
            removed += [f"page head: {line[:80]}" for line in head_removed]
            count += len(head_removed)
        return TextChange(text, frozen_counts({"chrome_removed": count}), tuple(removed)), meta

    page, report = run_on_articles("strip_chrome", page, fix)
    meta = page.meta
    if not meta.truncated and ends_mid_sentence(list(page.articles)):
        meta = replace(meta, truncated=True)
        report = replace(report, examples=(*report.examples, "truncated: the text ends mid-sentence"))
    return replace(page, meta=meta), report


def without_page_talk(text: str, rules, head: bool = True, tail: bool = True) -> tuple[str, list[str]]:
    """Remove whole the paragraphs in which the site talks about the page (``paragraph`` rules).

    An SEO intro is a paragraph of filler around one ``以下是小编整理的…`` sentence; cutting
    that sentence alone leaves the filler. The page talks about itself at its top and its
    bottom: a paragraph goes whole only before the page's first paragraph of prose (``head``:
    this is the page's first article) or after its last (``tail``: its last article), and
    only up to ``PAGE_TALK_MAX`` characters. Elsewhere (the intro of one part of a
    collection, glued to a sentence of the speech, ARTIFACTS §4) the rule cuts the sentence
    alone. A removed paragraph leaves an empty line, as a removed line does.
    """
    talking = [rule for rule in rules if rule.paragraph]
    if not talking or not (head or tail):
        return text, []
    folded = fold(text)
    places = []
    for rule in talking:
        if rule.needles is not None and not any(n in folded for n in rule.needles):
            continue
        places += [match.start() for match in rule.pattern.finditer(folded)]
    if not places:
        return text, []
    starts = [m.start() for m in re.finditer(r"^", text, re.MULTILINE)]
    hit = {bisect_right(starts, place) - 1 for place in places}
    lines = text.split("\n")
    prose = [i for i, line in enumerate(lines) if i not in hit and is_body_line(line.strip())]
    first, last = (prose[0], prose[-1]) if prose else (len(lines), -1)
    removed = []
    for i in sorted(hit):
        placed = (head and i < first) or (tail and i > last)
        if placed and lines[i].strip() and len(lines[i].strip()) <= PAGE_TALK_MAX:
            removed.append(lines[i].strip())
            lines[i] = ""
    return ("\n".join(lines), removed) if removed else (text, [])


def without_page_head(text: str) -> tuple[str, list[str]]:
    """The first article of a collection without the page's head block above its header.

    The block (``PAGE_HEAD_END`` marks its end) has given the page's metadata;
    what the rules left of it (a site's intro, a notice about the page) is not
    the first article's. Its lines leave empty lines behind, as removed lines do.
    """
    lines = text.split("\n")
    if PAGE_HEAD_END not in lines:
        return text, []
    end = lines.index(PAGE_HEAD_END)
    removed = [line.strip() for line in lines[:end] if line.strip()]
    return "\n".join([""] * end + lines[end + 1:]), removed


def column_and_title(line: str) -> str:
    """The last segment of a head line ``栏目|标题`` (a column's name before the title, 棱镜|…), compacted."""
    parts = TITLE_SEPARATORS.split(line.strip())
    return compact(parts[-1]) if len(parts) == 2 and has_cjk(parts[-1]) else ""


def looks_like_title(line: str) -> bool:
    """Short, with hanzi, no sentence punctuation, not a heading or salutation.

    >>> looks_like_title("在全县工会工作先进单位(个人)表彰大会上的讲话")
    True
    >>> looks_like_title("同志们:"), looks_like_title("二、要紧紧围绕中心大局"), looks_like_title("今天开会。")
    (False, False, False)

    A field of a key and a number is no title either: left above the prose of a
    cleaned record, it would be taken as the title when the record is cleaned again
    (issue 12, item 7). ``专访：一位工程师的十年`` still is one.

    >>> looks_like_title("资料编号：880000"), looks_like_title("文档页数：10页"), looks_like_title("专访：一位工程师的十年")
    (False, False, True)
    >>> looks_like_title("资料大小：32KB　资料格式：DOC"), looks_like_title("转载自：某技术社区　原文链接：https://a.cn/1")
    (False, False)
    """
    text = fold(line.strip())
    if not text or len(text) > TITLE_MAX or not has_cjk(text):
        return False
    if any(mark in text for mark in "。!?;") or text.endswith(":") or NUMBER_FIELD.match(text) or FIELDS.match(text):
        return False
    return not (is_heading(text) or is_salutation(text) or is_part_header(text) or ENUMERATED.match(text))


def is_section_label(line: str) -> bool:
    """A short label alone on its line that introduces the body of a document page (``文档简介``, ``内容摘要``, ``正文``).

    >>> is_section_label("文档简介"), is_section_label("【内容摘要】"), is_section_label("摘 要："), is_section_label("简介一下")
    (True, True, True, False)
    """
    return bool(section_label_pattern().fullmatch(fold(line.strip())))


@lru_cache(maxsize=1)
def section_label_pattern() -> re.Pattern[str]:
    return re.compile(rf"[【\[]?\s*(?:{variables()['SECTION_LABEL']})\s*[】\]]?\s*:?")


def opens_article(line: str) -> bool:
    """The line under a title opens the article: a salutation, prose, a heading, a line with punctuation,
    or a label introducing the body (``内容简介``)."""
    return (is_salutation(line) or is_body_line(line) or is_heading(line) or is_section_label(line)
            or any(mark in fold(line) for mark in "。,:;!?"))


def is_title_above(line: str, following: str, site: str | None) -> bool:
    """The first line of a page is its title: it looks like one, is not the site's furniture, and the
    line under it opens the article (:func:`opens_article`)."""
    from cleaners.structure.title import never_title  # here: the title module reads this one's shapes

    return looks_like_title(line) and not never_title(line, site) and not never_title(following, site) \
        and opens_article(following)


def take_title(meta: Metadata, text: str) -> tuple[Metadata, str, list[str]]:
    """Find the page title at the top of the text if no rule named one; drop head lines repeating it."""
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if meta.title is None and filled:
        first = filled[0]
        following = lines[filled[1]] if len(filled) > 1 else ""
        if is_title_above(lines[first], following, meta.site):
            meta = replace(meta, title=lines[first].strip())
    if meta.title is None:
        return meta, text, []
    forms = title_forms(meta.title)
    head, _ = head_and_tail(lines)
    removed = []
    for i in range(min(head, len(lines))):
        if lines[i].strip() and (compact(lines[i]) in forms or column_and_title(lines[i]) in forms):
            removed.append(lines[i].strip())
            lines[i] = ""
    return meta, "\n".join(lines) if removed else text, removed


def ends_mid_sentence(articles: list[Article]) -> bool:
    """The last line of prose of the page stops in the middle of a sentence.

    The line is the last one that reads as running text (:func:`~cleaners.structure.shapes.last_prose_line`):
    leftover chrome after it (a footer, a widget label) is short and says nothing about the article.
    """
    if not articles:
        return False
    last = last_prose_line(articles[-1].text.split("\n"))
    if last is None:
        return False
    return not is_heading(last) and bool(MID_SENTENCE_END.search(fold(last)))
