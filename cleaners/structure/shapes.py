"""What a line of a page looks like: heading, salutation, collection header, prose.

Several stages need the same judgements (splitting a collection, rejoining
broken lines, telling the head of a page from its body), so they live here
once. Every predicate takes the line as it stands and judges its
:func:`~cleaners.matching.fold.fold`\\ ed shadow, so Traditional or Simplified text and
either punctuation width are judged alike.
"""

from __future__ import annotations

import re
from re import _parser  # type: ignore[attr-defined]  # the regex parser: private, no stubs

from cleaners.chinese import HAN, HAN_CHAR, TITLE_SEPARATORS
from cleaners.matching.fold import compact, fold
from cleaners.structure.byline_labels import BYLINE_LABELS

NUMERAL = "一二三四五六七八九十百零〇两"

# Words a space parts between hanzi: a row of separate items (buttons, links), not running Chinese prose.
HANZI_SPACE_HANZI = re.compile(f"[{HAN}]\\s+[{HAN}]")
# A line that ends one of these is complete (ARTIFACTS §6). Checked on the shadow, so ASCII forms suffice.
TERMINAL = "。!?;:…”’」』)】》"
# Sentence ends inside a line.
SENTENCE_END = "。!?…"
_SENTENCE_END = re.compile("[" + re.escape(SENTENCE_END) + "]")

ENUMERATED = re.compile(
    rf"^(?:[{NUMERAL}]+[、.]|[(][{NUMERAL}\d]+[)]|\d{{1,2}}[、.](?!\d)|第[{NUMERAL}\d]+[、,:章节部分条]"
    rf"|[{NUMERAL}]+(?:是|要|抓|强化|坚持|着力)|[①-⑳]|[(]?[a-z][).])"
)
# 同志们： / 各位代表、同志们： / 尊敬的各位领导、各位来宾：
SALUTATION = re.compile(
    r"^(?:(?:尊敬的|亲爱的)?(?:各位|全体)?[^\s,:、。!?]{1,12}[、,])*"
    r"(?:尊敬的|亲爱的)?(?:各位|全体)?(?:同志们|朋友们|同事们|同学们|老师们|代表们|女士们、先生们|来宾们|"
    r"代表|领导|来宾|嘉宾|委员)[:]$"
)
# 市委工会工作会议讲话内容篇一 / 2023工会代表大会领导讲话稿【篇1】 / 篇三：… / 第二篇 …
# A title may end in a question or exclamation mark (如何写好年终总结？篇二), never hold one inside.
PART_HEADER = re.compile(
    rf"^(?:[^。!?;\n]{{0,60}}[?!]?(?:篇[{NUMERAL}\d]{{1,3}}|【篇[{NUMERAL}\d]{{1,3}}】|[(]篇[{NUMERAL}\d]{{1,3}}[)])"
    rf"|(?:【?篇[{NUMERAL}\d]{{1,3}}】?|第[{NUMERAL}\d]{{1,3}}篇)(?:[:、 ][^。!?;\n]{{0,60}})?)$"
)
HEADING_MAX = 60
# The longest line PART_HEADER can match (the regex engine's own reckoning): longer lines are not folded.
PART_HEADER_MAX = _parser.parse(PART_HEADER.pattern).getwidth()[1]


def is_salutation(line: str) -> bool:
    """A line that is only a salutation.

    >>> is_salutation("同志們:"), is_salutation("各位代表,同志們："), is_salutation("同志们，今年是关键一年。")
    (True, True, False)
    """
    stripped = line.strip()
    # A salutation ends in a colon: a line whose last character does not fold to one is not folded
    # (folding one character looks it up in the fold table; the converter is asked once per character).
    if not stripped or fold(stripped[-1]) != ":":
        return False
    return bool(SALUTATION.match(fold(stripped)))


def is_part_header(line: str) -> bool:
    """A collection header: a short line naming its 篇.

    >>> is_part_header("市委工會工作會議講話內容篇一"), is_part_header("2023工會代表大會領導講話稿【篇8】")
    (True, True)
    >>> is_part_header("2023工會代表大會領導講話稿【精選8篇】"), is_part_header("他写了一篇")
    (False, False)
    >>> is_part_header("我可以製作或售賣 Debian 的 CD 嗎?篇二"), is_part_header("是嗎?我看過。篇二")
    (True, False)
    """
    stripped = line.strip()
    return len(stripped) <= PART_HEADER_MAX and bool(PART_HEADER.match(fold(stripped)))


def is_heading(line: str) -> bool:
    """An enumerated heading, a salutation or a 篇 header: short, with no sentence break inside.

    >>> is_heading("二、要紧紧围绕中心大局,投身发展“主战场”"), is_heading("一要持续强化理论武装")
    (True, True)
    >>> is_heading("1.國際國內的形勢發展對工會工作帶來了新挑戰。面對發展變化的國際國內形勢")
    False
    """
    stripped = line.strip()
    if not stripped or len(stripped) > HEADING_MAX:  # the shadow is as long as the line
        return False
    text = fold(stripped)
    if "。" in text[:-1]:
        return False
    return bool(ENUMERATED.match(text) or SALUTATION.match(text) or PART_HEADER.match(text))


def ends_complete(line: str) -> bool:
    """The line ends in sentence-final or closing punctuation."""
    text = fold(line.rstrip())
    return bool(text) and text[-1] in TERMINAL


_NOT_HAN = re.compile(f"[^{HAN}]+")


def has_cjk(text: str) -> bool:
    return HAN_CHAR.search(text) is not None


def cjk_count(text: str) -> int:
    return len(_NOT_HAN.sub("", text))


def has_hanzi(text: str, least: int) -> bool:
    """``cjk_count(text) >= least``, counted first in a prefix: a line of prose has them in its first words.

    >>> has_hanzi("一二三 abc 四", 4), has_hanzi("一二三 abc", 4)
    (True, False)
    """
    if len(text) < least:
        return False
    return cjk_count(text[:3 * least]) >= least or (len(text) > 3 * least and cjk_count(text) >= least)


# The stages ask the same questions of a page's lines again and again (chrome, notices, head, reflow,
# site vote): the answers for the lines seen last, up to this many, are remembered. Keyed by the line
# itself, they hold whatever page the line comes from; the cache is emptied when it is full.
LINE_CACHE_MAX = 4096
_BODY_LINES: dict[str, bool] = {}
_PROSE_LINES: dict[str, bool] = {}


def remembered(cache: dict[str, bool], judge, line: str) -> bool:
    """``judge(line)``, asked once for each line while it stays in ``cache``."""
    known = cache.get(line)
    if known is None:
        known = judge(line)
        if len(cache) >= LINE_CACHE_MAX:
            cache.clear()
        cache[line] = known
    return known


def is_body_line(line: str) -> bool:
    """A line of running prose: at least 20 hanzi and a sentence end.

    The head of a page is what comes before its first body line, the tail what
    comes after its last; rules that would be risky in running text are limited
    to those regions.
    """
    if len(line) < 20:
        return False
    return remembered(_BODY_LINES, judged_body_line, line)


def judged_body_line(line: str) -> bool:
    """:func:`is_body_line` of a line of 20 characters or more, judged afresh."""
    text = fold(line)
    return _SENTENCE_END.search(text) is not None and has_hanzi(text, 20)


def head_and_tail(lines: list[str]) -> tuple[int, int]:
    """Index of the first body line and one past the last (``(len, len)`` when there is none)."""
    first = next((i for i, line in enumerate(lines) if is_body_line(line)), None)
    if first is None:
        return len(lines), len(lines)
    last = next(i for i in range(len(lines) - 1, first - 1, -1) if is_body_line(lines[i]))
    return first, last + 1


# The head of a page: what a line there is (banner, breadcrumb, navigation, field line), by its shape.
# A chain of short segments joined by arrows or slashes: 首页 > 新闻 > 正文, 论坛 › 版块, 首页 / 科技.
CRUMB_SEPARATOR = re.compile(r"\s*(?:>>?|›|»|→|/|＞)\s*")
ARROW = re.compile(r">|›|»|→|＞")  # a chain of two is a breadcrumb only with an arrow (甲方/乙方 is none)
CRUMB_LEAD = re.compile(r"^(?:当前位置|您的位置|你的位置|你现在的位置|您现在的位置|所在位置|位置)\s*[:：]\s*")
NAV_SEPARATOR = re.compile(r"\s*[|｜·]\s*")
# Keys of the "key: value" fields that sites print around an article (who, when, where from, how much):
# the byline labels (one table, byline_labels.BYLINE_LABELS) and the other keys a page's fields use.
FIELD_KEY = "|".join((
    *BYLINE_LABELS, "信息来源", "文章来源", "稿件来源", "供稿", "审核", "校对", "发布者", "发布人", "发布单位",
    "发布时间", "发布日期", "发表时间", "发表日期", "更新时间", "更新日期", "上传时间", "上传者", "上传人", "提问者",
    "回答者", "时间", "日期", "浏览", "浏览次数", "阅读", "阅读量", "点击", "点击数", "人气", "字数", "页数", "大小",
    "格式", "分类", "栏目", "标签", "关键词", "关键字", "下载积分", "积分", "资料大小", "资料格式", "文件格式",
    "文件大小", "字号", "字体",
))
FIELD = re.compile(rf"(?:^|[\s|【\[(])(?:{FIELD_KEY})\s*:")
DATE_IN_LINE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
# Any "key: value" pair of a short key: two on a line make it a field line (发信人: X, 信区: Y).
FIELD_PAIR = re.compile(r"(?:^|[\s,|])[^\s\d:,|]{1,6}\s*:\s*[^\s:,|]")
POSTED = re.compile(r"发表于|发布于|posted", re.I)
# A row of counters: 查看: 1523|回复: 12, 阅读 356 | 评论 2.
COUNTERS = re.compile(r"^(?:[^\s\d:|/·]{1,6}\s*[:(]?\s*\d+\s*\)?\s*[次人条]?\s*[|/·]?\s*)+$")


def crumb_segments(line: str) -> list[str] | None:
    """The segments of a breadcrumb line (``首页 > 科技 > 正文``), or ``None`` for any other line.

    >>> crumb_segments("您的位置：首页 / 科技 / 正文")
    ['首页', '科技', '正文']
    >>> crumb_segments("技术交流论坛 › 版块 › Linux 讨论区")
    ['技术交流论坛', '版块', 'Linux 讨论区']
    >>> crumb_segments("2024/05/01"), crumb_segments("甲方/乙方"), crumb_segments("滨江晚报 > 社会新闻")
    (None, None, ['滨江晚报', '社会新闻'])
    """
    text = fold(line.strip())
    lead = CRUMB_LEAD.match(text)
    body = text[lead.end():] if lead else text
    parts = [p.strip() for p in CRUMB_SEPARATOR.split(body)]
    parts = [p for p in parts if p]
    if any(len(p) > 24 or p.isdigit() for p in parts) or any(m in body for m in SENTENCE_END):
        return None
    if len(parts) >= 3 or (lead and parts) or (len(parts) == 2 and ARROW.search(body)):
        return parts
    return None


def is_nav_line(line: str) -> bool:
    """A row of short links: ``网站首页 | 关于我们 | 新闻中心``, ``编辑 | 讨论 | 历史``.

    >>> is_nav_line("网站首页 | 关于我们 | 新闻中心 | 联系我们"), is_nav_line("编辑 | 讨论 | 历史")
    (True, True)
    >>> is_nav_line("只看楼主 收藏 回复"), is_nav_line("Debian 软件包管理入门"), is_nav_line("一、铸魂领航 把稳思想“定盘星”")
    (True, False, False)
    >>> is_nav_line("滨江晚报 > 社会新闻"), is_nav_line("第10期 | 开源简报")
    (False, False)
    """
    text = fold(line.strip())
    parts = [p for p in NAV_SEPARATOR.split(text) if p]
    if len(parts) >= 3 and all(len(p) <= 12 for p in parts):
        return True
    if crumb_segments(text) is not None:
        return False
    words = [w for w in text.split() if re.search(r"\w", w)]  # a toolbar of short words: 只看楼主 收藏 回复
    return len(words) >= 3 and all(len(w) <= 4 for w in words)


# Sentence ends a line may close on past the plain ones (SENTENCE_END), at the edges of a page.
CLOSING_QUOTES = "”’」』\"'"
COLON_SENTENCE_HANZI = 10  # ``具体步骤如下：`` introduces text; ``分享到：`` is a widget label
# Function characters of running text (jusText's stopwords): a short line ending in a colon that holds
# one is a clause (``Debian GNU/Linux 是：``); widget labels name things (``为你推荐：``, ``分享到：``).
FUNCTION_CHARS = re.compile("[的了是在有和也就都而及与着把被这那之其]")
# A section number of several levels before a short heading: 16.1. 作者, 2.3 安装 (a date has a year first).
NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s*[^\d\s.][^。!?]{0,40}$")


def is_sentence(line: str, *, open_ends: bool = False) -> bool:
    """A line that ends a sentence and reads as one (``谢谢大家!``): two hanzi and more before a sentence end.

    Punctuation alone (``……``) is no sentence, nor is a row of separate items,
    words that a space parts between hanzi (``已赞过 已踩过 评价?``): Chinese
    prose runs on without spaces.

    ``open_ends`` also takes the ends a sentence may have at the edges of a page
    (:mod:`~cleaners.structure.edges`): a closing quote after the mark, a
    semicolon, and a colon that introduces what follows (ten hanzi, or a
    function character: ``具体的安装步骤如下面所示：``, not ``分享到：``). Without it
    (:mod:`~cleaners.structure.furniture`, where a recurring line is prose only
    when it plainly is) only ``。!?…`` end one.

    >>> is_sentence("谢谢大家!"), is_sentence("……"), is_sentence("已赞过 已踩过 你对这个回答的评价是?")
    (True, False, False)
    >>> is_sentence("特此通知。", open_ends=True), is_sentence("谢谢大家！", open_ends=True)
    (True, True)
    >>> is_sentence("具体的安装步骤如下面所示：", open_ends=True), is_sentence("分享到：", open_ends=True)
    (True, False)
    >>> is_sentence("Debian GNU/Linux 是：", open_ends=True), is_sentence("为你推荐：", open_ends=True)
    (True, False)
    >>> is_sentence("已赞过 已踩过 你对这个回答的评价是？", open_ends=True), is_sentence("……", open_ends=True)
    (False, False)
    >>> is_sentence("（完）", open_ends=True), is_sentence("他说：“谢谢大家。”", open_ends=True), is_sentence("他说：“谢谢大家。”")
    (False, True, False)
    """
    text = fold(line.strip())
    if open_ends:
        text = text.rstrip(CLOSING_QUOTES)
    if not text or HANZI_SPACE_HANZI.search(text):
        return False
    if text[-1] in SENTENCE_END or (open_ends and text[-1] == ";"):
        return cjk_count(text) >= 2
    return (open_ends and text[-1] == ":"
            and (cjk_count(text) >= COLON_SENTENCE_HANZI or FUNCTION_CHARS.search(text) is not None))


def is_structure(line: str, *, numbered: bool = False) -> bool:
    """A line that is the article's structure: a heading, a salutation, a collection header.

    ``numbered`` also takes a section number of several levels before a short
    heading (``16.1. 作者``), as the edges of a page do; furniture learnt by
    repetition does not (a numbered line recurring across pages may go).

    >>> is_structure("二、要紧紧围绕中心大局"), is_structure("同志们："), is_structure("16.1. 作者")
    (True, True, False)
    >>> is_structure("16.1. 作者", numbered=True), is_structure("2024.06.01 发布", numbered=True)
    (True, False)
    """
    return (is_heading(line) or is_salutation(line) or is_part_header(line)
            or (numbered and NUMBERED_HEADING.match(fold(line.strip())) is not None))


def title_forms(title: str) -> set[str]:
    """The compact forms of the title's line: the title and, for ``标题_栏目_网站`` page titles, its first segment.

    >>> sorted(title_forms("软件包管理 _ 新闻中心_某某网")), title_forms(" ")
    (['软件包管理', '软件包管理_新闻中心_某某网'], set())
    """
    forms = {compact(title)}
    first = TITLE_SEPARATORS.split(title.strip())[0]
    if first and has_cjk(first):
        forms.add(compact(first))
    return {f for f in forms if f}


def is_field_line(line: str) -> bool:
    """A line of the page's fields: a key and a colon (``来源：…``, ``作者:…``), a date, ``发表于``.

    >>> is_field_line("发布时间：2024-06-01 09:30　来源：市政府办公室"), is_field_line("星海日报 2024-05-01 08:00")
    (True, True)
    >>> is_field_line("楼主 penguin_0 发表于 2022-8-1 21:15"), is_field_line("如何选择适合自己的发行版")
    (True, False)
    >>> is_field_line("查看: 1523|回复: 12"), is_field_line("阅读(356) 评论(2)"), is_field_line("第三章 安装")
    (True, True, False)
    >>> is_field_line("发信人: bookworm (书虫), 信区: Reading"), is_field_line("专访: 一位老教师的三十年")
    (True, False)
    """
    text = fold(line.strip())
    return bool(FIELD.search(text) or POSTED.search(text) or COUNTERS.match(text) or len(FIELD_PAIR.findall(text)) >= 2
                or (DATE_IN_LINE.search(text) and len(text) <= 80 and not any(m in text for m in SENTENCE_END)))


def is_prose_line(line: str) -> bool:
    """A line that reads as running text: a body line, or 20 hanzi and more that are no heading.

    Leftover furniture is short (``建议使用IE9以上浏览器浏览本站``); a paragraph that
    the page cut off may have lost its sentence end, not its length.
    """
    if len(line) < 20:  # fewer than 20 hanzi, and no body line (fold keeps the length, strip never adds)
        return False
    return remembered(_PROSE_LINES, judged_prose_line, line)


def judged_prose_line(line: str) -> bool:
    """:func:`is_prose_line` judged afresh."""
    text = fold(line.strip())
    if len(text) < 20:
        return False
    if is_body_line(text):
        return True
    return has_hanzi(text, 20) and not (is_heading(text) or is_field_line(text) or is_nav_line(text))


def last_prose_line(lines: list[str]) -> str | None:
    """The last line of running text, skipping the short lines after it (leftover chrome, a signature)."""
    return next((line.strip() for line in reversed(lines) if is_prose_line(line)), None)
