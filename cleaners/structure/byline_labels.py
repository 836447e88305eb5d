"""The labels of byline fields, by what they name: one table for every reader of bylines.

:mod:`cleaners.structure.bylines` (a page's lines) and :mod:`cleaners.structure.metaline`
(the line under an HTML title) build their patterns from these tables, and
:mod:`cleaners.structure.shapes` the byline keys of a field line (``FIELD_KEY``).
**A new byline label** is a word in one of the tables here. The labels are
Simplified: every reader matches them against the folded shadow or Simplified text.
"""

from __future__ import annotations

from collections.abc import Iterable

AUTHOR_LABELS = ("作者", "记者", "撰文", "撰稿")  # the author: who wrote it, or the paper's reporter
REPORTER_LABELS = ("记者", "通讯员")  # the reporters a news dateline names: 新华社北京3月1日电（记者 王五）
POSTER_LABELS = ("原作者", "发信人", "发帖人", "楼主")  # who posted it: a repost's author, a forum's poster
EDITOR_LABELS = ("责任编辑", "责编", "编辑", "小编")  # who put it on the page: the author only when none is named
SOURCE_LABELS = ("来源", "稿源", "出处")  # where the text was first published: never an author or editor
# Fields of a user's profile (a forum poster's sidebar, a blog's author card): their dates are when the user
# joined, last logged in or was online, never when the text was published (注册时间 2006-3-1 beside 发表于 2008-7-9).
# Not byline labels: a date reader skips a date they label.
PROFILE_DATE_LABELS = ("注册时间", "注册日期", "注册于", "注册", "加入时间", "加入日期", "加入于", "最后登录", "上次登录",
                       "登录时间", "最后访问", "上次访问", "在线时间", "最后活动", "出生日期", "生日")
# Every byline label once, in the order of the tables.
BYLINE_LABELS = tuple(dict.fromkeys((*AUTHOR_LABELS, *REPORTER_LABELS, *POSTER_LABELS, *EDITOR_LABELS,
                                     *SOURCE_LABELS)))


def either(labels: Iterable[str]) -> str:
    """One regex group matching any of ``labels``, in their order.

    >>> either(EDITOR_LABELS)
    '(?:责任编辑|责编|编辑|小编)'
    """
    return "(?:" + "|".join(labels) + ")"
