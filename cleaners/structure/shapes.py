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

from cleaners.chinese import HAN
from cleaners.matching.fold import fold

CJK = HAN
NUMERAL = "一二三四五六七八九十百零〇两"

# A line that ends one of these is complete (ARTIFACTS §6). Checked on the shadow, so ASCII forms suffice.
TERMINAL = "。!?;:…”’」』)】》"
# Sentence ends inside a line.
SENTENCE_END = "。!?…"

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


_CJK_CHAR = re.compile(f"[{CJK}]")
_NOT_CJK = re.compile(f"[^{CJK}]+")


def has_cjk(text: str) -> bool:
    return _CJK_CHAR.search(text) is not None


def cjk_count(text: str) -> int:
    return len(_NOT_CJK.sub("", text))


def is_body_line(line: str) -> bool:
    """A line of running prose: at least 20 hanzi and a sentence end.

    The head of a page is what comes before its first body line, the tail what
    comes after its last; rules that would be risky in running text are limited
    to those regions.
    """
    if len(line) < 20:
        return False
    text = fold(line)
    return any(mark in text for mark in SENTENCE_END) and cjk_count(text) >= 20


def head_and_tail(lines: list[str]) -> tuple[int, int]:
    """Index of the first body line and one past the last (``(len, len)`` when there is none)."""
    first = next((i for i, line in enumerate(lines) if is_body_line(line)), None)
    if first is None:
        return len(lines), len(lines)
    last = next(i for i in range(len(lines) - 1, first - 1, -1) if is_body_line(lines[i]))
    return first, last + 1
