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

A page whose title the markup or a rule already gave keeps it.
"""

from __future__ import annotations

import re

from cleaners.matching.fold import fold
from cleaners.structure.bylines import byline_author, poster_above
from cleaners.structure.chrome import looks_like_title
from cleaners.structure.shapes import (
    crumb_segments,
    is_body_line,
    is_field_line,
    is_heading,
    is_nav_line,
    is_salutation,
)
from cleaners.structure.site_vote import banner_name

# A field that names the title: 标题: X, 主题: X (forum and mail headers).
TITLE_FIELD = re.compile(r"^(?:标\s*题|主\s*题|题\s*目)\s*:\s*(?P<title>\S.{1,80})$")
MENTION = re.compile(r"(?:收藏|分享|打印|下载|推荐)《(?P<title>[^》\n]{2,80})》")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def title_shaped(line: str) -> bool:
    """Short, with hanzi, no sentence inside (a title may end in a question or exclamation mark).

    >>> title_shaped("为什么要学习 Linux？"), title_shaped("今天开会。"), title_shaped("同志们：")
    (True, False, False)
    """
    return looks_like_title(line.strip().rstrip("?？!！"))


def is_subtitle(line: str) -> bool:
    """A subtitle under the title: ``——记…``, ``—访…``.

    >>> is_subtitle("——记优秀共产党员张三"), is_subtitle("安装前需要准备什么")
    (True, False)
    """
    return fold(line.strip()).startswith(("—", "--", "-"))


def is_furniture(line: str, site: str | None = None) -> bool:
    """A head line that is the page's, not the article's: breadcrumb, navigation, fields, a byline, the site's name."""
    text = line.strip()
    if crumb_segments(text) is not None or is_nav_line(text) or is_field_line(text):
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
        if crumbs and len(crumbs) >= 2:
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
    titled = [(k, i, line) for k, (i, line) in enumerate(head) if i not in furniture and title_shaped(line)]
    if not titled:
        return None
    named = named_titles(whole, [line for _, line in head])
    for _, _, line in titled:
        if compact(line) in named:
            return line
    fields = [k for k, (i, line) in enumerate(head)
              if i in furniture and (is_field_line(line) or byline_author(fold(line)) is not None)]
    for n, (k, _, line) in enumerate(titled):
        if k + 1 in fields:
            above = titled[n - 1] if n else None
            return above[2] if above and above[0] == k - 1 and is_subtitle(line) else line
    tops = {i for i, line in head if i in furniture and is_top_furniture(line, site)}
    for k, _, line in titled:
        if (k > 0 and head[k - 1][0] in tops) or (k + 1 < len(head) and is_nav_line(head[k + 1][1])):
            return line
    k, i, line = titled[0]
    nxt = head[k + 1][1] if k + 1 < len(head) else following
    if k == 0 and (is_salutation(nxt) or is_body_line(nxt) or is_heading(nxt)
                   or any(mark in fold(nxt) for mark in "。,:;!?")):
        return line
    return None
