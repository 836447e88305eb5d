"""The meta line of an article page: the time and byline a page shows near its title.

Chinese pages rarely put time and author in ``<meta>`` tags; they show them in a
line under the heading (``2023年11月5日 14:02 来源：新华网 作者：张三``) and name
the editor at the end (``（责任编辑：李四）``). Pure functions on the page's
visible text (script and style excluded) and its title:

* **time**: a date with a publication label (``发布时间：``, ``发布日期``,
  ``发表于``, ``发布于``, ``时间：``, ``日期：``) in the lines after the title,
  else a bare date right after the title, else the first labelled date of the
  page; a date without a year (``09-30 22:46``) is no date, nor one labelled as
  a user's profile field (``注册时间 2006-3-1``, ``最后登录``: a forum poster's
  sidebar, :data:`~cleaners.structure.byline_labels.PROFILE_DATE_LABELS`);
* **author**: ``作者：``/``记者：``/``撰文：`` after the title, or the reporters of
  a news dateline (``新华社巴黎12月9日电（记者唐霁）``); else the **editor**
  (``责任编辑：``, ``责编：``, ``编辑：``/``|``) anywhere, which the contract lets
  stand in for a missing author;
* ``来源：`` names where the text was first published (an agency, another
  paper, the site itself): neither author nor editor, never read as either.

The rules read labels and shapes, not one site's wording; values are checked by
:func:`cleaners.structure.names.author_name` afterwards. The labels and the
reading loop are :mod:`cleaners.structure.bylines`' (one table for both readers).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from cleaners.chinese import HAN_BASIC
from cleaners.structure.byline_labels import (
    AUTHOR_LABELS,
    EDITOR_LABELS,
    PROFILE_DATE_LABELS,
    REPORTER_LABELS,
    either,
)
from cleaners.structure.bylines import CREDITED, POSTED_AT, REPORTER, first_name, name_list
from cleaners.structure.dates import DATE_TIME, parse_published

AFTER_TITLE_CHARS = 300  # how far under the title the meta line may run
BARE_DATE_CHARS = 120  # an unlabelled date this close after the title is the article's
# A name runs to the next blank or bracket, whole (atomic: never cut short to dodge the check that
# no colon follows, as in ``作者：转载请注明：``, an empty field before the next label).
NAME = r"(?P<name>(?>[^\s:：|｜()（）【】\[\]<>《》]{2,20}(?:[、，,][^\s:：|｜()（）【】\[\]<>《》]{2,10})*))(?!\s*[:：|｜])"
SEPARATOR = r"\s*[:：|｜]\s*"
DATE_LABELS = r"(?:(?:发布|发表|发文|刊发|出版)(?:时间|日期|于)?|时间|日期|published|posted)"
# A labelled date in one pattern: the scan looks for the labels first, not for every number.
LABELLED_DATE = re.compile(DATE_LABELS + r"\s*[:：@]?\s*(?:" + DATE_TIME.pattern + ")", re.I)
# NAME 于 DATE 发布 (a blog's byline): who posted it and when. A subject that is a kind of page item
# (最新推荐文章于 … 发布: when the latest recommended article appeared) names neither.
PAGE_ITEMS = ("文章", "推荐", "内容", "帖子", "动态", "回答", "评论", "资源", "更新")  # all of two characters
PAGE_ITEM = re.compile(rf"(?:{'|'.join(PAGE_ITEMS)})$")
POSTED = r"于\s*(?:" + DATE_TIME.pattern + r")\s*(?:发布|发表)"  # 于 DATE 发布: the end of every match


class Screened:
    """A pattern searched only in texts where ``screen``, a part every match holds, is found: ``POSTED_BY``
    tries a name at every blank of the page, its end (``于 DATE 发布``) starts with one literal character."""

    def __init__(self, pattern: str, screen: str) -> None:
        self.pattern, self.screen = re.compile(pattern), re.compile(screen)

    def search(self, text: str, /) -> re.Match[str] | None:
        return self.pattern.search(text) if self.screen.search(text) else None


POSTED_BY = Screened(r"(?:^|\s)(?P<name>[^\s:：|｜()（）]{2,24})(?<!" + "|".join(PAGE_ITEMS) + r")\s*" + POSTED, POSTED)

# The author's field (作者：X, 文/X). Screened: a page holds a label's last character right before a separator
# (者：, 文/) far less often than it holds 文 or 者, and every match holds one.
AUTHOR = Screened(rf"{either((*AUTHOR_LABELS, f'(?<![{HAN_BASIC}])文'))}{SEPARATOR}{NAME}",
                  "[" + "".join(sorted({label[-1] for label in (*AUTHOR_LABELS, "文")})) + "]" + SEPARATOR)
AUTHOR_SPACED = re.compile(rf"(?<![{HAN_BASIC}])作者\s+{NAME}")  # 《刊名》作者 张三
# 澎湃新闻记者 段彦超 廖艳: reporters' names set apart by blanks, two or three hanzi each.
REPORTERS = re.compile(rf"记者\s+(?P<name>{REPORTER}(?:\s+{REPORTER})*)(?=\s|$)")
# 新华社北京11月5日电（记者张三、李四）, 长江网10月4日讯（记者陈智 整合）
DATELINE = re.compile(rf"[电讯]\s*[（(]\s*{either(REPORTER_LABELS)}\s*(?P<name>[{HAN_BASIC}·]{{2,4}}(?:[、，\s]+[{HAN_BASIC}·]{{2,4}})*?)"
                      r"(?:\s+(?:整合|综合|报道|编译|摄影?|采写))?\s*[）)]")
EDITOR = re.compile(rf"{either(EDITOR_LABELS)}{SEPARATOR}{NAME}")
# The labels of the byline fields a meta line shows: its source, author and editor (the usual of each).
META_BYLINE_LABELS = ("来源", "作者", "记者", "编辑", "责编", "稿源")


@dataclass(frozen=True)
class MetaLine:
    published_at: datetime | None = None
    author: str | None = None
    editor: str | None = None  # the page's editor (责任编辑：X): a ``<meta>`` author that names them is no author


FULL_WIDTH_DIGIT = re.compile("[\uff10-\uff19]")


def normalise(text: str) -> str:
    """Blanks squashed and, where full-width digits occur, full-width forms to ASCII (NFKC): what the
    patterns read (they take ``：`` and ``（`` as they are; NFKC of a whole page is not cheap).

    >>> normalise("发布时间：２０２３年１１月５日　１４:０２")
    '发布时间:2023年11月5日 14:02'
    >>> normalise("来源：新华网\\n\\n  作者：张三")
    '来源：新华网 作者：张三'
    """
    if FULL_WIDTH_DIGIT.search(text):
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


PARENTHESES = {"(": ")", "（": "）"}


def stands_alone(text: str, match: re.Match) -> bool:
    """A date set apart by blanks or bars, not one inside running text (``2019年2月27日下午，佛山…``); or a full
    timestamp, time of day included, alone in parentheses (a blog post's time beside its title:
    ``(2010-08-16 21:34:12)``).

    >>> [stands_alone(t, DATE_TIME.search(t)) for t in ("标题 (2010-08-16 21:34:12) 标签", "标题 (2010-08-16) 标签")]
    [True, False]
    """
    before = text[match.start() - 1:match.start()] if match.start() else " "
    end = max(match.end(group) for group in ("day", "minute", "second") if match.group(group))
    if text[end:end + 1] in ("日", "分", "秒"):
        end += 1
    after = text[end:end + 1] or " "
    if before in PARENTHESES and match.group("minute"):
        return after == PARENTHESES[before]
    return before in " |/" and after in " |/"


# A profile field's label right before a date (its separator included): that date is the user's, not the text's.
PROFILE_LABEL_BEFORE = re.compile(rf"{either(PROFILE_DATE_LABELS)}\s*[:：]?\s*$")
PROFILE_LABEL_CHARS = 8  # how far before a date its label may start


def is_profile_date(text: str, date_start: int) -> bool:
    """The date starting at ``date_start`` is a profile field's (``注册时间：2006-3-1``), not a publication's.

    >>> is_profile_date("注册时间 2006-3-1 发表于 2008-7-9", 5), is_profile_date("注册时间 2006-3-1 发表于 2008-7-9", 20)
    (True, False)
    """
    return PROFILE_LABEL_BEFORE.search(text, max(0, date_start - PROFILE_LABEL_CHARS), date_start) is not None


def dated(text: str, labelled: bool) -> tuple[int, datetime] | None:
    """The first date of ``text`` and where it ends: labelled by a publication word when ``labelled``
    (``发布时间：DATE``, or a blog's ``NAME 于 DATE 发布``), else standing alone.

    >>> dated("最新推荐文章于 2024-05-07 22:12:13 发布 肖老师 于 2024-05-06 15:47:53 发布", True)[1].isoformat()
    '2024-05-06T15:47:53+08:00'
    """
    found: list[tuple[int, int, datetime]] = []
    for match in (LABELLED_DATE if labelled else DATE_TIME).finditer(text):
        if not labelled and not stands_alone(text, match) or is_profile_date(text, match.start("year")):
            continue
        moment = parse_published(match.group(0))
        if moment is not None:
            found.append((match.start(), match.end(), moment))
            break
    posted = POSTED_BY.search(text) if labelled else None
    if posted and (date := DATE_TIME.search(posted.group(0))) and (moment := parse_published(date.group(0))):
        found.append((posted.start(), posted.end(), moment))
    return min(found, key=lambda f: f[0])[1:] if found else None


BYLINE_NEAR = re.compile(rf"^.{{0,30}}?{either((*META_BYLINE_LABELS, '出处'))}\s*[:：|]")


def published_time(text: str, title_ends: list[int]) -> datetime | None:
    """The article's time, from the lines after (a showing of) its title, else the page's first labelled date.

    Under the showings of the title (a list of related articles may show it
    first): a labelled date; else a bare date that a byline follows (the meta
    line: ``2019-12-10 07:57:40 来源：新华网``); else the first bare date right
    after a showing; else the first labelled date of the page.

    >>> published_time("首页 标题在此 2019-08-13 14:07 来源:某报 正文", [7]).isoformat()
    '2019-08-13T14:07:00+08:00'
    >>> published_time("导航 标题 09-30 22:46 正文", [5]) is None
    True
    >>> published_time("标题 2019年2月27日下午,佛山… 发布日期:2019-03-06", [2]).isoformat()
    '2019-03-06T00:00:00+08:00'
    """
    windows = [text[end:end + AFTER_TITLE_CHARS] for end in title_ends]
    bare = [(window, found) for window in windows if (found := dated(window[:BARE_DATE_CHARS], labelled=False))]
    for found in (
        next((f for w in windows if (f := dated(w, labelled=True))), None),
        next((f for w, f in bare if BYLINE_NEAR.match(w[f[0]:])), None),
        bare[0][1] if bare else None,
        dated(text, labelled=True),
    ):
        if found is not None:
            return found[1]
    return None


def byline_author(text: str, title_ends: list[int]) -> str | None:
    """The author or reporters named under the title (or in the news dateline); else the editor.

    >>> byline_author("标题 来源:证券时报网 作者:李在山 正文", [2])
    '李在山'
    >>> byline_author("标题 新华社巴黎12月9日电(记者唐霁)法国9日 责任编辑: 尹世杰", [2])
    '唐霁'
    >>> byline_author("标题 作者: 转载请注明: 正文……(责编:汤诗瑶、丁涛)", [2])
    '汤诗瑶、丁涛'
    >>> byline_author("标题 长江网10月4日讯(记者陈智 整合) 国庆 【编辑:姚昊】", [2])
    '陈智'
    >>> byline_author("标题 正文 本文来源:新京报 责任编辑:杜硕_NB12556", [2])
    '杜硕'
    >>> byline_author("标题 来源:澎湃新闻网 澎湃新闻记者 段彦超 廖艳 7岁小花", [2])
    '段彦超、廖艳'
    >>> byline_author("标题 本报记者 王乐文 方 敏 2024年05月10日06:58", [2])
    '王乐文、方敏'
    >>> byline_author("标题 正文…… (作者:某研究中心研究部部长、研究员徐占忱) 责任编辑:", [2])
    '徐占忱'
    >>> byline_author("标题 最新推荐文章于 2024-05-07 22:12:13 发布 A-肖老师 于 2024-05-06 15:47:53 发布", [2])
    'A-肖老师'
    """
    for start in title_ends or [0]:
        author = first_name(UNDER_TITLE, text[start:start + AFTER_TITLE_CHARS], named)
        if author is not None:
            return author
    return first_name((*ANYWHERE, EDITOR), text, named)


UNDER_TITLE = (CREDITED, AUTHOR, AUTHOR_SPACED, POSTED_BY, DATELINE, REPORTERS)  # tried in this order
# Bylines that name the author wherever they stand (at the foot of the article too), before the editor.
ANYWHERE = (CREDITED, AUTHOR, POSTED_AT, POSTED_BY, DATELINE, REPORTERS)


def named(match: re.Match[str]) -> str | None:
    """The names a byline pattern found, as one value (``None``: a kind of page item, not a name)."""
    if PAGE_ITEM.search(match["name"]):
        return None
    return name_list(match["name"])


MAX_SHOWINGS = 5


def title_ends(text: str, title: str | None) -> list[int]:
    """Where each showing of the title in ``text`` ends (a list of related articles may show it first)."""
    if not title:
        return []
    shown = normalise(title)
    return [m.end() for m in re.finditer(re.escape(shown), text)][:MAX_SHOWINGS]


META_LINE = re.compile(rf"{either(('发布', '发表', *META_BYLINE_LABELS, '时间', '日期'))}\s*[:：|]")
META_LINE_CHARS = 200


def is_meta_line(text: str) -> bool:
    """A short line of labelled fields (time, source, author), as under an article's heading.

    >>> is_meta_line("发布时间：2019-05-18 来源：中国地理学会"), is_meta_line("第一章 总则")
    (True, False)
    """
    line = normalise(text)
    return len(line) <= META_LINE_CHARS and bool(META_LINE.search(line))


def read_meta_line(visible: str, title: str | None) -> MetaLine:
    """Time and author that the page's visible text shows near its title."""
    text = normalise(visible)
    ends = title_ends(text, title)
    return MetaLine(published_time(text, ends), byline_author(text, ends), first_name((EDITOR,), text, named))


SIGNOFF_LINES = 3  # the sign-off date stands on one of the text's last lines
SIGNATURE_CHARS = 40  # the line above it: who signs (a name, an office), not a paragraph


def signoff_date(lines: list[str]) -> datetime | None:
    """The date a letter or notice is signed with, when the text shows no other date.

    A full date alone on one of the last lines, under a short line (the
    signature: ``开源软件志愿者协会`` over ``2005年3月8日``). A text that shows
    another date anywhere gives none: which date is the text's is then not clear.

    >>> signoff_date(["各位会员：", "本会定于下月召开年会。", "某某协会", "2005年3月8日"]).isoformat()
    '2005-03-08T00:00:00+08:00'
    >>> signoff_date(["2004年发布了第一版。", "某某协会", "2005年3月8日"]) is None
    True
    """
    for index in range(len(lines) - 1, max(0, len(lines) - SIGNOFF_LINES) - 1, -1):
        line = normalise(lines[index])
        match = DATE_TIME.fullmatch(line)
        if match is None:
            continue
        above = normalise(lines[index - 1]) if index else ""
        if not above or len(above) > SIGNATURE_CHARS or DATE_TIME.search(above):
            return None
        others = lines[:index] + lines[index + 1:]
        if any(DATE_TIME.search(other) or YEAR_ONLY.search(other) for other in others):
            return None
        return parse_published(match.group(0))
    return None


YEAR_ONLY = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*年")  # a year named in the text: another date
