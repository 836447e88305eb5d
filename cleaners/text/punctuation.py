"""Half-width ``, : ; ? ! ( )`` in Chinese prose become full-width (ARTIFACTS §8).

The sites forced ``，：；？！（）`` to ASCII. A mark goes back to full width when
its nearest non-space neighbour on either side is Chinese (a Han character or
Chinese punctuation); ASCII stays where it belongs: between digits (``03:53:59``,
``4?28``), inside URLs and e-mail addresses, between Latin words or numbers
(``Hello, world``, ``9.2%``), emoticons (``:-)``), unless the number or word itself sits in
Chinese on both sides (``占30%,20xx年`` → ``占30%，20xx年``). A bracket pair takes the width its outside
neighbours call for: full width when it holds Chinese or follows a Chinese character
(``(b型)`` → ``（b型）``, ``安装(Linux)系统`` → ``安装（Linux）系统``); ASCII after an ASCII token
(``ls(1)``, ``POSIX (IEEE 1003.1)``) and around a bare URL. Spaces beside a mark made full
width go (``说: 支持`` → ``说：支持``).

A space between two hanzi in a line of running prose (punctuated, no heading) is what a removed link
leaves behind (``理顺工作的组织 领导 关系``, ARTIFACTS §6); it goes. Spaces
beside Latin words and numbers stay (``安装 Python 环境``), and so do those of
headings and other short lines (``一、铸魂领航 把稳思想“定盘星”``).

Runs after the mojibake repair, which has already turned every ``?`` that was
damage into characters, so the ``?`` left beside Chinese are real questions.

>>> normalize_punctuation("時間:2023-11-12 03:53:59,小編:zdfb", CleanConfig()).text
'時間：2023-11-12 03:53:59，小編：zdfb'
>>> normalize_punctuation("怎么準備?看一下吧!保稅物流中心(b型)", CleanConfig()).text
'怎么準備？看一下吧！保稅物流中心（b型）'
>>> normalize_punctuation("首席执行官(CEO)说: 支持 POSIX (IEEE 1003.1) 标准 :-)", CleanConfig()).text
'首席执行官（CEO）说：支持 POSIX (IEEE 1003.1) 标准 :-)'
>>> normalize_punctuation("要注意理顺工作的组织 领导 关系，在安装(Linux)系统前安装 Python 环境,见 ls(1)。", CleanConfig()).text
'要注意理顺工作的组织领导关系，在安装（Linux）系统前安装 Python 环境，见 ls(1)。'
"""

from __future__ import annotations

import re
from collections.abc import Set

from cleaners.chinese import CJK_SYMBOLS, FULL_WIDTH_FORMS, HAN, HAN_CHAR, PROSE_PUNCTUATION
from cleaners.matching.fold import fold
from cleaners.model import CleanConfig, TextChange, frozen_counts
from cleaners.stage import MAX_EXAMPLES
from cleaners.structure.shapes import is_heading

FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
CHINESE = re.compile(f"[{CJK_SYMBOLS}{HAN}{FULL_WIDTH_FORMS}{PROSE_PUNCTUATION}\ufffd]")
# Tokens whose ASCII punctuation belongs to them: URLs, e-mail addresses, emoticons (``:-)``, ``:)``);
# each alternative with a cheap test of a line that it needs to pass to match there at all.
# Scanning a line with only the alternatives that can match finds exactly the tokens PROTECTED
# finds, without the e-mail part's leading [\w.+-]+ rescanning every run of hanzi (they are \w)
# at each of its characters.
PROTECTED_PARTS = (
    (lambda line: "://" in line, r"(?:https?|ftp)://[!-~]*[\w/]"),
    (lambda line: "www." in line, r"www\.[\w.-]*\w"),
    (lambda line: "@" in line, r"[\w.+-]+@[\w-]+\.[\w.-]*\w"),
    (re.compile(r"[:;]-?[()]").search, r"(?<![^\W_])[:;]-?[()](?![^\W_])"),
)
PROTECTED = re.compile("|".join(pattern for _, pattern in PROTECTED_PARTS))
_PROTECTED_OF: dict[tuple[str, ...], re.Pattern[str]] = {}


def protected_tokens(line: str) -> list[tuple[int, int]]:
    """The spans PROTECTED finds in ``line``."""
    parts = tuple(pattern for can_match, pattern in PROTECTED_PARTS if can_match(line))
    if not parts:
        return []
    pattern = _PROTECTED_OF.get(parts)
    if pattern is None:
        pattern = _PROTECTED_OF[parts] = re.compile("|".join(parts))
    return [m.span() for m in pattern.finditer(line)]
# What a bracket may hold and stay ASCII: Latin words, numbers, ASCII punctuation ((CEO), (IEEE 1003.1)).
ASCII_ONLY = re.compile(r"[ -~]*[A-Za-z0-9][ -~]*")
# What ``name(N)`` and ``f(x)`` hold: a manual section, an argument, nothing much.
NAME_ARGUMENT = re.compile(r"\d[0-9a-z]*|[A-Za-z_]\w?|")
RUN = 12  # how far a number or word beside a mark may reach back to the Chinese around it
SPACES = " \t"
MARK = re.compile(r"[,:;?!()]")
BRACKET = re.compile(r"[()（）]")
# The marks this stage writes: they never count as the Chinese beside another mark,
# so that a second run decides exactly as the first.
OWN_MARKS = frozenset("，：；？！（）,:;?!()")
# A ``, : ; ? !`` right beside a Chinese character (``is_chinese``) that is not a digit
# (full-width ０-９ are Chinese punctuation to CHINESE): :func:`chinese_mark` makes such a
# mark full width whatever else is on the line, so a line of plain prose is decided in one scan.
# (The mark comes first in these patterns, so that the engine jumps from mark to mark.)
_BESIDE = rf"{CHINESE.pattern}(?<![０-９，：；？！（）])"
MARK_NOT_BESIDE_CHINESE = re.compile(rf"[,:;?!](?<!{_BESIDE}[,:;?!])(?!{_BESIDE})")
MARK_BY_SPACE = re.compile(r"[,:;?!](?:(?<=[ \t].)|(?=[ \t]))")
# A bracket pair with no bracket inside and a Chinese character (not a bracket) among what it holds:
# :func:`chinese_bracket` makes it full width whatever stands around it. (The look-ahead's Chinese
# character lies before the pair's ``)``: the class it skips over takes no bracket.)
CHINESE_PAIR = re.compile(rf"\((?=[^()（）]*?{CHINESE.pattern})[^()（）]*\)")
BRACKET_BY_SPACE = re.compile(r"[ \t][()]|[()][ \t]")
MARK_AND_SPACES = re.compile(r"[ \t]*([,:;?!])[ \t]*")
SPACE_BETWEEN_HAN = re.compile(f"(?<=[{HAN}])[ \u00a0]+(?=[{HAN}])")


def normalize_punctuation(text: str, config: CleanConfig) -> TextChange:
    """Make the ASCII ``,:;?!()`` of Chinese prose full width, line by line; drop spaces between hanzi of prose (:func:`without_spaces_between_han`)."""
    if not MARK.search(text) and not SPACE_BETWEEN_HAN.search(text):
        return TextChange(text)
    changed = spaces = 0
    examples: list[str] = []
    lines = []
    for line in text.split("\n"):
        fixed, n = normalize_line(line) if MARK.search(line) else (line, 0)
        fixed, dropped = without_spaces_between_han(fixed)
        if (n or dropped) and len(examples) < MAX_EXAMPLES:
            examples.append(f"{line[:30]} → {fixed[:30]}")
        changed += n
        spaces += dropped
        lines.append(fixed)
    counts = {"punctuation_normalized": changed, "spaces_between_han_removed": spaces}
    return TextChange("\n".join(lines), frozen_counts(counts), tuple(examples))


def without_spaces_between_han(line: str) -> tuple[str, int]:
    """A line of running prose without the spaces between two hanzi; other lines as they are.

    >>> without_spaces_between_han("逐步做到事业单位新建工会组织集中归口 领导，科技、文化、体育系统要在时机成熟时建立系统工会。")
    ('逐步做到事业单位新建工会组织集中归口领导，科技、文化、体育系统要在时机成熟时建立系统工会。', 1)
    >>> without_spaces_between_han("一、铸魂领航 把稳思想“定盘星”")
    ('一、铸魂领航 把稳思想“定盘星”', 0)
    """
    if " " not in line and "\u00a0" not in line or not SPACE_BETWEEN_HAN.search(line) or not is_prose(line):
        return line, 0
    return SPACE_BETWEEN_HAN.subn("", line)


def is_prose(line: str) -> bool:
    """A line of running prose: sentence or clause punctuation inside (a headline's one closing ``？``
    or ``！`` is not: ``多地项目连环爆雷 狂奔的龙湖集团“暗伤”曝露？`` keeps its space), and no heading."""
    inside = fold(line).rstrip().rstrip("!?")
    return any(mark in inside for mark in "。!?;,") and not is_heading(line)


def normalize_line(line: str) -> tuple[str, int]:
    """The line with its marks made full width where they belong, and how many were."""
    if is_spaced_prose(line):  # every mark goes, and the spaces beside each
        return MARK_AND_SPACES.subn(lambda match: FULL[match.group(1)], line)
    if is_plain_prose(line) or is_plain_bracketed(line):  # most lines of prose: every mark goes, nothing else
        marks = 0
        for mark in ",:;?!()":  # str.replace runs at memory speed; str.translate looks up each character
            if mark in line:
                marks += line.count(mark)
                line = line.replace(mark, FULL[mark])
        return line, marks
    return judged_line(line)


def judged_line(line: str) -> tuple[str, int]:
    """:func:`normalize_line` deciding mark by mark and bracket pair by bracket pair."""
    protected = {i for start, end in protected_tokens(line) for i in range(start, end)}
    made: dict[int, str] = {}  # position → the full-width mark it becomes
    pairs = bracket_pairs(line)
    for i, j in pairs:
        if i in protected or j in protected:
            continue
        if chinese_bracket(line, i, j):
            made[i], made[j] = "（", "）"
    in_pairs = {k for pair in pairs for k in pair}
    current = rebuilt(line, made) if made else line
    for match in MARK.finditer(line):
        i, char = match.start(), match.group()
        if i in protected or (char in "()" and i in in_pairs):
            continue
        if chinese_mark(current, i):
            made[i] = FULL[char]
    return drop_spaces_beside(line, made), len(made)


def is_plain_prose(line: str) -> bool:
    """No bracket, protected token or space beside a mark, and every mark beside Chinese.

    :func:`normalize_line` makes every mark of such a line full width and changes
    nothing else: no bracket pair to judge, no space to drop, every :func:`chinese_mark` true.

    >>> is_plain_prose("  時間:2023年,小編說:好"), is_plain_prose("03:53:59,小編"), is_plain_prose("說: 好")
    (True, False, False)
    """
    if "(" in line or ")" in line or MARK_BY_SPACE.search(line) or protected_tokens(line):
        return False
    return not MARK_NOT_BESIDE_CHINESE.search(line)


def is_spaced_prose(line: str) -> bool:
    """Plain prose (:func:`is_plain_prose`) but for spaces beside its marks, each mark right beside Chinese.

    :func:`judged_line` makes every mark full width (:func:`chinese_mark`: the Chinese character next to it
    decides) and drops the spaces on both sides of each (:func:`drop_spaces_beside`).

    >>> is_spaced_prose("他说, 好"), is_spaced_prose("他说 , 好"), is_spaced_prose("他说,好"), is_spaced_prose("说(好), 是")
    (True, False, False, False)
    """
    return ("(" not in line and ")" not in line and MARK_BY_SPACE.search(line) is not None
            and not protected_tokens(line) and not MARK_NOT_BESIDE_CHINESE.search(line))


def is_plain_bracketed(line: str) -> bool:
    """Plain prose (:func:`is_plain_prose`) but for brackets that are all pairs holding Chinese, no space beside.

    :func:`judged_line` makes each such pair full width (:func:`chinese_bracket`: what it holds
    decides), drops no space and makes every other mark full width, as on a line of plain prose.

    >>> is_plain_bracketed("保稅物流中心(b型),好"), is_plain_bracketed("安装(Linux)系统"), is_plain_bracketed("说 (好)")
    (True, False, False)
    >>> is_plain_bracketed("(甲(乙)丙)"), is_plain_bracketed("(甲）"), is_plain_bracketed("(（)")
    (False, False, False)
    """
    if "(" not in line and ")" not in line:
        return False
    if BRACKET_BY_SPACE.search(line) or BRACKET.search(CHINESE_PAIR.sub("", line)):
        return False
    return not (MARK_BY_SPACE.search(line) or protected_tokens(line) or MARK_NOT_BESIDE_CHINESE.search(line))


def rebuilt(line: str, made: dict[int, str], dropped: Set[int] = frozenset()) -> str:
    """``line`` with the characters at the keys of ``made`` replaced, and those at ``dropped`` left out."""
    pieces = []
    last = 0
    for k in sorted(made.keys() | dropped):
        pieces.append(line[last:k])
        pieces.append(made.get(k, ""))
        last = k + 1
    pieces.append(line[last:])
    return "".join(pieces)


def drop_spaces_beside(line: str, made: dict[int, str]) -> str:
    """Spaces next to a mark made full width go: ``Groups: 新闻`` → ``Groups：新闻``."""
    if not made:
        return line
    drop = set()
    for i in made:
        for step in (-1, 1):
            k = i + step
            while 0 <= k < len(line) and line[k] in SPACES and k not in made:
                drop.add(k)
                k += step
    return rebuilt(line, made, drop)


def bracket_pairs(line: str) -> list[tuple[int, int]]:
    """Matching ``(`` ``)`` pairs of a line (ASCII or already full-width openers)."""
    stack: list[int] = []
    pairs = []
    for match in BRACKET.finditer(line):
        i, char = match.start(), match.group()
        if char in "(（":
            stack.append(i)
        elif char in ")）" and stack:
            opener = stack.pop()
            if line[opener] == "(" and char == ")":
                pairs.append((opener, i))
    return pairs


def chinese_bracket(line: str, i: int, j: int) -> bool:
    """Whether the pair at ``i``, ``j`` goes full width: by what it holds and by its outside neighbours."""
    inside = line[i + 1 : j]
    if PROTECTED.search(inside) and not HAN_CHAR.search(inside):
        return False  # (https://…) beside Chinese keeps its ASCII brackets
    before, after = neighbour(line, i, -1), neighbour(line, j, 1)
    if ASCII_ONLY.fullmatch(inside):
        # (Linux), (CEO), (2023): the outside decides. Right after a character, that character does
        # (安装(Linux) → full width, ls(1) and f(x) stay ASCII); after a space or at the start of the
        # line, the nearest character outside on the left, or on the right when there is none.
        # An ASCII word right before it: ``name(N)`` and ``f(x)`` stay ASCII; otherwise what follows the
        # pair right after it decides (``sid(unstable)提供`` → full width).
        left = line[i - 1] if i > 0 else ""
        if left and left not in SPACES:
            if is_chinese(left):
                return True
            if left.isalnum() and NAME_ARGUMENT.fullmatch(inside):
                return False
            return j + 1 < len(line) and is_chinese(line[j + 1])
        return is_chinese(before) if before else is_chinese(after)
    return bool(CHINESE.search(inside)) or is_chinese(before) or is_chinese(after)


def chinese_mark(line: str, i: int) -> bool:
    """A mark beside Chinese, and not between two digits (a time, a ratio, ``4?28``)."""
    # The usual case, a mark right between two characters: the neighbours are those characters.
    before = line[i - 1] if i > 0 else ""
    if not before or before in SPACES or before in OWN_MARKS:
        before = neighbour(line, i, -1, skip=OWN_MARKS)
    after = line[i + 1] if i + 1 < len(line) else ""
    if not after or after in SPACES or after in OWN_MARKS:
        after = neighbour(line, i, 1, skip=OWN_MARKS)
    if line[i] in ":?,;" and i > 0 and i + 1 < len(line) and line[i - 1].isdigit() and line[i + 1].isdigit():
        return False
    if is_chinese(before) or is_chinese(after):
        return True
    # between numbers or words that sit in Chinese: 占30%,20xx年占 → 占30%，20xx年占
    return line[i] not in "()" and han_in_run(line, i, -1) and han_in_run(line, i, 1)


def han_in_run(line: str, i: int, step: int) -> bool:
    """A Han character in the unbroken run of characters next to position ``i``."""
    k = i + step
    for _ in range(RUN):
        if not 0 <= k < len(line) or line[k].isspace() or line[k] in FULL:
            return False
        if HAN_CHAR.match(line[k]):
            return True
        k += step
    return False


def neighbour(line: str, i: int, step: int, skip: frozenset[str] = frozenset()) -> str:
    """The nearest character that is not a space (nor in ``skip``), looking from ``i`` in direction ``step``."""
    k = i + step
    while 0 <= k < len(line) and (line[k] in SPACES or line[k] in skip):
        k += step
    return line[k] if 0 <= k < len(line) else ""


def is_chinese(char: str) -> bool:
    verdict = _CHINESE_CHARS.get(char)
    if verdict is None:
        verdict = _CHINESE_CHARS[char] = bool(char) and char not in OWN_MARKS and bool(CHINESE.match(char))
    return verdict


_CHINESE_CHARS: dict[str, bool] = {}  # is_chinese of each character seen, bounded by the alphabet
