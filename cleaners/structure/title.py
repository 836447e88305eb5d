"""The article's title, found in the head of the page the way a person finds it.

The head is what comes before the first line of prose. Banners, breadcrumbs,
navigation rows and field lines (source, author, time) are page furniture and
never the title. Among the other title-shaped lines, the evidence, strongest first:

1. the page names the title itself: a ``标题：X`` field, ``收藏《X》``, ``分享《X》``, or the last link of the
   breadcrumb (``首页 > 通知 > X``);
2. the line right above the field line (the title stands over its date and byline), or
   the line above that when it is a subtitle (``——记…``);
3. the first line right under the banner or breadcrumb (the title comes where the
   page's top furniture ends), or right over a toolbar (编辑 | 讨论 | 历史); a line under a
   field line is none (fields stand under the title);
4. the first line, when prose, a salutation or a heading follows it (a page with no furniture).

Never the title, whatever its place: a field whose key a qualifier opens (``文章标签：…``), a
pointer to elsewhere (``点击进入…>>``), a numbered section of the article (``16.1. 作者``); by
position alone (3. and 4.) neither a menu word of fewer than four characters nor a line right over
the page's furniture (the channel's name over ``位置：首页 > 新闻动态``). What a cleaned record keeps
over its prose must give no title when the record is cleaned again (issue 12, item 7).

A page whose title the markup or a rule already gave keeps it.
"""

from __future__ import annotations

import re

from cleaners.matching.fold import compact, fold
from cleaners.structure.bylines import WIDGET_MAX, byline_author, name_over_date, poster_above
from cleaners.structure.chrome import is_section_label, looks_like_title, opens_article
from cleaners.structure.shapes import (
    FIELD_KEY,
    crumb_segments,
    is_field_line,
    is_nav_line,
)
from cleaners.structure.site_vote import banner_name

# A field that names the title: 标题: X, 主题: X (forum and mail headers).
TITLE_FIELD = re.compile(r"^(?:标\s*题|主\s*题|题\s*目)\s*:\s*(?P<title>\S.{1,80})$")
# A field whose key a qualifier opens (文章标签：…, 新闻来源：…, 本文关键词：…): still the page's field.
QUALIFIED_FIELD = re.compile(rf"^[^\s:]{{0,4}}(?:{FIELD_KEY})于?\s*:")
# A link that points elsewhere (点击进入“X”>>, 更多精彩 »): the page's, never the article's title.
POINTER = re.compile(r"^(?:点击|点此)(?:进入|查看|阅读|这里|下载|了解)|(?:>>|»|→|【详细】|\[详细\])\s*$")
# A numbered section of a document (1.1. …, 16.2 …): a heading inside the article, not its title.
SECTION_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?\s")
# The weakest evidence (a position alone) names no title of fewer characters: those are menu words (行情, 专题).
MIN_PLACED_TITLE = 4
MENTION = re.compile(r"(?:收藏|分享|打印|下载|推荐)《(?P<title>[^》\n]{2,80})》")


def title_shaped(line: str) -> bool:
    """Short, with hanzi, no sentence inside (a title may end in a question or exclamation mark).

    >>> title_shaped("为什么要学习 Linux？"), title_shaped("今天开会。"), title_shaped("同志们：")
    (True, False, False)
    """
    return looks_like_title(line.strip().rstrip("?？!！")) and not SECTION_NUMBER.match(line.strip())


def never_title(line: str, site: str | None = None) -> bool:
    """A line no evidence makes the title: the page's furniture, or a numbered section heading of the article.

    >>> never_title("16.1. 作者"), never_title("来源：新华社"), never_title("安装前需要准备什么")
    (True, True, False)
    """
    return is_furniture(line, site) or bool(SECTION_NUMBER.match(line.strip()))


def is_subtitle(line: str) -> bool:
    """A subtitle under the title: ``——记…``, ``—访…``.

    >>> is_subtitle("——记优秀共产党员张三"), is_subtitle("安装前需要准备什么")
    (True, False)
    """
    return fold(line.strip()).startswith(("—", "--", "-"))


def is_labelled_field(line: str) -> bool:
    """A field line, or a field whose key a qualifier opens (文档页数：10页, 文章标签：…)."""
    return is_field_line(line) or bool(QUALIFIED_FIELD.match(fold(line.strip())))


def is_furniture(line: str, site: str | None = None) -> bool:
    """A head line that is the page's, not the article's: breadcrumb, navigation, fields, a byline, the site's name.

    >>> is_furniture("文章标签：linux 运维"), is_furniture("本文关键词:工会 讲话"), is_furniture("专访：一位老教师的三十年")
    (True, True, False)
    >>> is_furniture("来源于：东区办事处"), is_furniture("点击进入“文艺星青年”>>"), is_furniture("点评：一场迟到的胜利")
    (True, True, False)
    >>> is_furniture("进入新时代的工会工作")
    False
    """
    text = line.strip()
    if crumb_segments(text) is not None or is_nav_line(text) or is_labelled_field(text) or POINTER.search(fold(text)):
        return True
    if byline_author(fold(text)) is not None:
        return True
    name = banner_name(fold(text))
    return name is not None or bool(site and compact(site) in compact(text) and len(compact(text)) <= len(site) + 8)


def is_top_furniture(line: str, site: str | None = None) -> bool:
    """What stands above a title: the site's banner, a breadcrumb (not a field line, which stands below it)."""
    text = line.strip()
    return crumb_segments(text) is not None or banner_name(fold(text)) is not None or bool(
        site and compact(site) in compact(text) and len(compact(text)) <= len(site) + 8)


def named_titles(text: str, head: list[str]) -> set[str]:
    """Titles the page names for itself: ``收藏《X》`` mentions and breadcrumb tails."""
    named = {compact(m["title"]) for m in MENTION.finditer(fold(text))}
    for line in head:
        crumbs = crumb_segments(line)
        if crumbs and len(crumbs) >= 3:  # 首页 > 栏目 > X: with two segments the tail is the channel (首页 > 新闻动态)
            named.add(compact(crumbs[-1]))
    return named


def find_title(lines: list[str], first_body: int, whole: str, site: str | None = None) -> str | None:
    """The title line of the head (``lines[:first_body]``), or ``None`` when no line has the evidence."""
    head = [(i, line.strip()) for i, line in enumerate(lines[:first_body]) if line.strip()]
    stated = next((m["title"].strip() for _, line in head if (m := TITLE_FIELD.match(fold(line)))), None)
    if stated:
        return next(line[len(line) - len(stated):] for _, line in head if fold(line).endswith(stated))
    following = next((line for line in lines[first_body:] if line.strip()), "")
    furniture = {i for i, line in head if is_furniture(line, site)}
    furniture |= {i for (i, line), (_, below) in zip(head, head[1:], strict=False) if poster_above(line, below)}
    bylines = {i for k, ((i, line), (_, below)) in enumerate(zip(head, head[1:], strict=False))
               if name_over_date([a for _, a in head[max(0, k - 3):k]], line, below)}
    furniture |= bylines
    titled = [(k, i, line) for k, (i, line) in enumerate(head) if i not in furniture and title_shaped(line)]
    if not titled:
        return None
    named = named_titles(whole, [line for _, line in head])
    for _, _, line in titled:
        if compact(line) in named:
            return line
    fields = [k for k, (i, line) in enumerate(head)
              if i in bylines or (i in furniture and (is_labelled_field(line) or byline_author(fold(line)) is not None))]
    for n, (k, _, line) in enumerate(titled):
        if k + 1 in fields or (k + 2 in fields and len(compact(head[k + 1][1])) <= WIDGET_MAX and len(compact(line)) > WIDGET_MAX):
            above = titled[n - 1] if n else None
            return above[2] if above and above[0] == k - 1 and is_subtitle(line) else line
    for k, _, line in titled:
        if k + 1 < len(head) and is_section_label(head[k + 1][1]) and len(compact(line)) >= MIN_PLACED_TITLE:
            return line  # the title over the label that introduces the body (内容简介, 文档简介)
    tops = {i for i, line in head if i in furniture and is_top_furniture(line, site)}
    titled = [(k, i, line) for k, i, line in titled if len(compact(line)) >= MIN_PLACED_TITLE]
    if not titled:
        return None
    for k, _, line in titled:
        if (k > 0 and head[k - 1][0] in tops) or (k + 1 < len(head) and is_nav_line(head[k + 1][1])):
            return line
    k, i, line = titled[0]
    if k + 1 < len(head) and head[k + 1][0] in furniture:
        return None  # a line over the page's furniture (位置：首页 > 新闻动态) is the channel, not a title over prose
    nxt = head[k + 1][1] if k + 1 < len(head) else following
    if k == 0 and opens_article(nxt):
        return line
    return None
