"""Who wrote the article: bylines and post headers, read where a person looks for them.

Authors (``author``): ``作者：X``, ``文/X``, ``撰文：X``, ``记者 X`` (a news byline,
with or without a colon), ``X 报道``, a forum post header (``楼主 X 发表于 …``,
``X 发表于 DATE``, or the name alone on the line above ``发表于 DATE``/``1楼 DATE``) and a blog meta line (``作者：X | DATE | 阅读(N)``). Editors
(``编辑：``, ``责任编辑：``, ``小编``, ``发布者``) are not authors: the contract's
``author`` takes an editor only when the page names no author, which the
chrome captures do (:func:`~cleaners.structure.metadata.with_captures`); so an
editor's line read here never hides the author's. Uploaders, askers and
reviewers (``上传者``, ``提问者``, ``审核``) are no authors at all.

Only lines that are no prose are read (the head and tail of a page, its
field lines); every name goes through :func:`~cleaners.structure.names.author_name`
(no URLs, markup, sites or software) and comes out Simplified.

This module also holds the reading loop every reader of bylines shares
(:func:`first_name`); the labels are :mod:`cleaners.structure.byline_labels`'.
:mod:`cleaners.structure.metaline`, which reads the line under an HTML page's
title, builds its patterns from the same labels and reads with the same loop.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Protocol

from cleaners.chinese import HAN_BASIC
from cleaners.matching.fold import fold
from cleaners.structure.byline_labels import AUTHOR_LABELS, POSTER_LABELS, REPORTER_LABELS, either
from cleaners.structure.dates import DATE_TIME
from cleaners.structure.names import author_name, simplified
from cleaners.structure.shapes import cjk_count, is_body_line


class Searches(Protocol):
    """A compiled pattern, or anything searched like one (``metaline.Screened``)."""

    def search(self, text: str, /) -> re.Match[str] | None: ...


def first_name(patterns: Iterable[Searches], text: str, read: Callable[[re.Match[str]], str | None]) -> str | None:
    """The first name ``read`` takes from a match in ``text``, the patterns tried in order (each at its first match).

    ``read`` checks and shapes the match's name (``None``: no name, try the next pattern).

    >>> first_name([re.compile(r"作者:(?P<name>\\S+)")], "来源:本站 作者:林间", lambda m: m["name"])
    '林间'
    """
    for pattern in patterns:
        match = pattern.search(text)
        if match and (name := read(match)) is not None:
            return name
    return None


# A reporter's name: two or three hanzi, or two set apart to the width of three (方 敏).
# A role word after the reporters (通讯员 李华, 摄影 张帆, 实习生 …) ends their names.
BYLINE_ROLES = ("通讯员", "实习生", "摄影", "摄", "编辑", "校对", "报道", "整合", "综合", "编译", "采写", "供图")
REPORTER = rf"(?!{either(BYLINE_ROLES)})(?:[{HAN_BASIC}]{{2,3}}|[{HAN_BASIC}]\s[{HAN_BASIC}](?![{HAN_BASIC}]))"
# 作者：…研究员徐占忱: an author field that gives the author's posts first; the name follows the last rank word.
RANKS = "研究员|副研究员|教授|副教授|讲师|博士|博士后|院长|所长|主任|部长|会长|理事长|书记|主编|首席专家|专家|学者|分析师|经济学家"
CREDITED = re.compile(rf"作者\s*[:：]\s*[^()（）\n]{{0,80}}?(?:{RANKS})\s*(?P<name>[{HAN_BASIC}·]{{2,4}})(?=\s*[)）]|\s|$)")
# posted @ DATE NAME (a blog's foot line): the poster follows the time.
POSTED_AT = re.compile(r"posted\s*@\s*(?:" + DATE_TIME.pattern + r")\s+(?P<name>[^\s:：|｜()（）]{2,24})", re.I)
# A staff code after an editor's name (``杨倩_NF4425``): the name is the part before.
STAFF_CODE = re.compile(r"_[A-Za-z]{0,4}\d{2,}$")


def name_list(found: str) -> str:
    """Names as one value: a staff code dropped (``杨倩_NF4425``), names set apart by blanks joined with 、
    (the contract's form for several authors). Two single hanzi in a row are one name set out to the width
    of three (``方 敏``).

    >>> name_list("杨倩_NF4425"), name_list("段彦超 廖艳"), name_list("王乐文 方 敏")
    ('杨倩', '段彦超、廖艳', '王乐文、方敏')
    """
    parts: list[str] = []
    for part in found.split():
        if len(part) == 1 and parts and len(parts[-1]) == 1:
            parts[-1] += part
        else:
            parts.append(part)
    return "、".join(STAFF_CODE.sub("", part) for part in parts)


# A name in a byline: no blanks, no field punctuation; at most 24 characters.
NAME = r"[^\s|/:,;()\[\]【】<>\"“”。!?]{1,24}"
LABEL = either((r"作\s*者", *AUTHOR_LABELS, *REPORTER_LABELS, *POSTER_LABELS))  # 作 者: labels spaced out
BYLINES = (
    CREDITED,  # 作者：…研究员徐占忱
    # 作者：X, 作 者: X, 撰文：X, 原作者：X, 记者：X, 通讯员：X, 楼主: X
    re.compile(rf"(?:^|[\s|【\[(]){LABEL}\s*:\s*(?P<name>{NAME})"),
    # 作者 小林 between separators (a blog meta line without colons)
    re.compile(rf"(?:^|[\s|·])作者\s+(?P<name>{NAME})(?=\s*(?:[|·]|$))"),
    # 文/X, 文｜X
    re.compile(rf"(?:^|[\s|【\[(])文\s*[/|]\s*(?P<name>{NAME})"),
    # 记者 王乐文 方 敏, 中青报·中青网记者 魏其濛 (a news byline without a colon): the names follow after a blank
    re.compile(rf"(?:^|\s)[^\s\d:|]{{0,8}}?记者\s+(?P<names>{REPORTER}(?:\s+{REPORTER})*)(?=\s|$)"),
    POSTED_AT,  # posted @ 2024-05-09 14:45 NAME
    re.compile(r"(?:^|\s)[^\s\d:|]{0,8}?记者\s+(?P<name>[^\s\d|/:,;()]{2,12})(?=\s|$)"),
    # 楼主 NAME 发表于 …, NAME 发表于 DATE (a forum post header)
    re.compile(rf"(?:^|\s)(?:楼主|作者|发帖人)?\s*(?P<name>{NAME})\s+发表于\s*[\d(]"),
    # 陈晓东 报道 / 记者陈晓东报道
    re.compile(r"^(?:本报|本台|本网)?(?:记者)?\s*(?P<name>[^\s\d|/:,;()]{2,12})\s*(?:报道|摄)$"),
)
LINK = re.compile(r"https?:|www\.", re.I)  # a name that is the start of a link is none
FIELD_WORDS = re.compile(r"^(?:楼主|作者|发表|回复|引用|只看|发表于|时间|日期|来源|编辑)$")


# 本报讯（记者 张三 通讯员 李四）… / 新华社北京3月1日电（记者 王五）: the byline that opens a news story.
LEAD_BYLINE = re.compile(r"^[^\s。!?(]{0,30}(?:讯|电)\s*\(\s*(?:[^\s()]{0,6}记者|作者|文)\s*:?\s*(?P<name>[^\s(),、]{2,12})")
# （记者 张三 报道）/（文/张三）closing a story.
CLOSING_BYLINE = re.compile(r"^\(\s*(?:记者|文\s*/|作者\s*:?)\s*(?P<name>[^\s(),、/]{2,12})\s*(?:报道|摄)?\s*\)$")


# A post header that names nobody: the poster's name is the line above it (发表于 2021-5-6 08:12, 1楼 2020-03-04).
BARE_POST_HEADER = re.compile(r"^(?:发表于|发布于|楼主|\d{1,5}\s*楼|#\d{1,5})\s*[^\s]*\s*(?:19|20)\d{2}")
USER_NAME = re.compile(r"^[^\s:,;()\[\]【】<>|/。!?]{2,16}$")
USER_NAME_MAX_HANZI = 4  # longer hanzi lines above a post header are titles


def poster_above(line: str, header: str) -> str | None:
    """The poster's name when ``line`` stands alone above a bare post header ``header``.

    >>> poster_above("tux_lover", "发表于 2021-5-6 08:12:33"), poster_above("小白兔兔", "1楼 2020-03-04 12:00")
    ('tux_lover', '小白兔兔')
    >>> poster_above("工会代表大会发言稿1", "发表于 2021-9-1 10:05"), poster_above("老猫", "今天天气很好")
    (None, None)
    """
    text, below = fold(line.strip()), fold(header.strip())
    if not BARE_POST_HEADER.match(below) or not USER_NAME.match(text) or cjk_count(text) > USER_NAME_MAX_HANZI:
        return None
    return author_name(text)


# A line that shows only when the text was posted (a year is optional on self-media pages: 02-17 08:40), maybe
# followed by a widget word (· 关注, | 举报): the meta line a byline's name stands over.
MONTH_DAY = r"\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
CLOCK = r"\s+\d{1,2}:\d{2}(?::\d{2})?"
DATE_ONLY_LINE = re.compile(rf"^(?:(?:19|20)\d{{2}}\s*[-/.年]\s*{MONTH_DAY}(?:{CLOCK})?|{MONTH_DAY}{CLOCK})"
                            r"(?:\s*[·|]?\s*[^\s\d·|]{1,6}){0,2}$")  # a day without a year shows its time
WIDGET_MAX = 3  # a line this short between the title and the byline is a widget word (举报, 关注), not a title


def name_over_date(above: list[str], line: str, below: str) -> str | None:
    """The author's name when ``line`` is a short name alone over a date line and a title stands above it.

    Self-media pages show ``TITLE`` / ``举报`` / ``NAME`` / ``DATE · 关注``: the name over the date is the
    byline, not the title. ``above`` are the filled lines above ``line`` (a widget word among them is passed).

    >>> name_over_date(["如何选择适合自己的发行版", "举报"], "林间小舟", "2024-03-05 10:21 · 关注")
    '林间小舟'
    >>> name_over_date(["获取技术支持的几种途径"], "山水老张", "02-17 08:40")
    '山水老张'
    >>> name_over_date([], "年度总结", "2024-01-02"), name_over_date(["首页"], "年度总结", "2024-01-02")
    (None, None)
    >>> name_over_date(["选择朗读音色", "0"], "2x", "1.5x")  # a player's speed menu, no date
    
    """
    from cleaners.structure.chrome import looks_like_title  # here: chrome's shapes read this module's bylines

    text, date = fold(line.strip()), fold(below.strip())
    if not DATE_ONLY_LINE.match(date) or not USER_NAME.match(text) or cjk_count(text) > USER_NAME_MAX_HANZI:
        return None
    filled = [fold(a.strip()) for a in above if a.strip()]
    while filled and len(filled[-1]) <= WIDGET_MAX:
        filled.pop()
    if not filled or not looks_like_title(filled[-1]) or cjk_count(filled[-1]) <= cjk_count(text):
        return None
    return author_name(text)


def author_of_page(lines: list[str], site: str | None = None, lead: str = "") -> str | None:
    """The first author a byline of the page names (Simplified), or ``None``.

    ``lines`` are the head and tail of the page; ``lead`` is its first line of
    prose, which may open with a news byline (``本报讯（记者 张三）``).
    """
    opening = LEAD_BYLINE.match(fold(lead.strip()))
    if opening and (name := author_name(opening["name"], site)):
        return simplified(name)
    for line in lines:
        text = fold(line.strip())
        if not text or len(text) > 160 or is_body_line(text):
            continue
        name = byline_author(text, site)
        if name:
            return simplified(name)
    filled = [line for line in lines if line.strip()]
    for k, (line, below) in enumerate(zip(filled, filled[1:], strict=False)):
        name = poster_above(line, below) or name_over_date(filled[max(0, k - 3):k], line, below)
        if name:
            return simplified(name)
    return None


def byline_author(text: str, site: str | None = None) -> str | None:
    """The author a (folded) line names as a byline, or ``None``.

    >>> byline_author("2023年11月1日 14:02 来源:南方视点网 记者 陈晓东")
    '陈晓东'
    >>> byline_author("楼主 penguin_0 发表于 2022-8-1 21:15"), byline_author("作者:林间 | 2021-04-10 | 阅读(100)")
    ('penguin_0', '林间')
    >>> byline_author("(记者 王芳 报道)"), byline_author("本报记者 王乐文 方 敏"), byline_author("中青报·中青网记者 魏晓东")
    ('王芳', '王乐文、方敏', '魏晓东')
    >>> byline_author("作者:某研究中心研究部部长,研究员徐占忱"), byline_author("posted @ 2024-05-09 14:45 好看的hk 阅读(430)")
    ('徐占忱', '好看的hk')
    >>> byline_author("责任编辑:刘洋"), byline_author("发表于 2021-9-1 10:05"), byline_author("提问者:小白0")
    (None, None, None)
    """

    def checked(match: re.Match[str]) -> str | None:
        group = "names" if match.groupdict().get("names") else "name"
        if FIELD_WORDS.match(match[group]) or LINK.match(text, match.start(group)):
            return None
        return author_name(name_list(match[group]) if group == "names" else match[group], site) or None

    return first_name((*BYLINES, CLOSING_BYLINE), text, checked)
