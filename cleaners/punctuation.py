"""Half-width ``, : ; ? ! ( )`` in Chinese prose become full-width (ARTIFACTS §8).

The sites forced ``，：；？！（）`` to ASCII. A mark goes back to full width when
its nearest non-space neighbour on either side is Chinese (a Han character or
Chinese punctuation); ASCII stays where it belongs: between digits (``03:53:59``,
``4?28``), inside URLs and e-mail addresses, between Latin words or numbers
(``Hello, world``, ``9.2%``). A bracket pair goes full width when it holds or
touches Chinese and does not hold a URL; ``(b型)`` → ``（b型）``, ``(https://…)``
stays.

Runs after the mojibake repair, which has already turned every ``?`` that was
damage into characters, so the ``?`` left beside Chinese are real questions.

>>> normalize_punctuation("時間:2023-11-12 03:53:59,小編:zdfb", CleanConfig()).text
'時間：2023-11-12 03:53:59，小編：zdfb'
>>> normalize_punctuation("怎么準備?看一下吧!保稅物流中心(b型)", CleanConfig()).text
'怎么準備？看一下吧！保稅物流中心（b型）'
"""

from __future__ import annotations

import re

from cleaners.model import CleanConfig, TextChange, frozen_counts

FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60“”‘’…—·\ufffd]")
# Tokens whose ASCII punctuation belongs to them.
PROTECTED = re.compile(r"(?:https?|ftp)://\S+|www\.[\w.-]+\S*|[\w.+-]+@[\w-]+\.[\w.-]+", re.ASCII)
SPACES = " \t"


def normalize_punctuation(text: str, config: CleanConfig) -> TextChange:
    """Make the ASCII ``,:;?!()`` of Chinese prose full width, line by line."""
    if not any(c in FULL for c in text):
        return TextChange(text)
    changed = 0
    examples: list[str] = []
    lines = []
    for line in text.split("\n"):
        fixed, n = normalize_line(line)
        if n and len(examples) < 3:
            examples.append(f"{line[:30]} → {fixed[:30]}")
        changed += n
        lines.append(fixed)
    return TextChange("\n".join(lines), frozen_counts({"punctuation_normalized": changed}), tuple(examples))


def normalize_line(line: str) -> tuple[str, int]:
    if not any(c in FULL for c in line):
        return line, 0
    chars = list(line)
    protected = {i for m in PROTECTED.finditer(line) for i in range(m.start(), m.end())}
    changed = 0
    for i, j in bracket_pairs(line):
        if i in protected or j in protected:
            continue
        if chinese_bracket(line, i, j):
            chars[i], chars[j] = "（", "）"
            changed += 2
    in_pairs = {k for pair in bracket_pairs(line) for k in pair}
    current = "".join(chars)
    for i, char in enumerate(line):
        if char not in FULL or i in protected or (char in "()" and i in in_pairs):
            continue
        if chinese_mark(current, i):
            chars[i] = FULL[char]
            changed += 1
    return "".join(chars), changed


def bracket_pairs(line: str) -> list[tuple[int, int]]:
    """Matching ``(`` ``)`` pairs of a line (ASCII or already full-width openers)."""
    stack: list[int] = []
    pairs = []
    for i, char in enumerate(line):
        if char in "(（":
            stack.append(i)
        elif char in ")）" and stack:
            opener = stack.pop()
            if line[opener] == "(" and char == ")":
                pairs.append((opener, i))
    return pairs


def chinese_bracket(line: str, i: int, j: int) -> bool:
    inside = line[i + 1 : j]
    if PROTECTED.search(inside):
        return False
    return bool(CHINESE.search(inside)) or is_chinese(neighbour(line, i, -1)) or is_chinese(neighbour(line, j, 1))


def chinese_mark(line: str, i: int) -> bool:
    """A mark beside Chinese, and not between two digits (a time, a ratio, ``4?28``)."""
    before, after = neighbour(line, i, -1), neighbour(line, i, 1)
    if line[i] in ":?,;" and i > 0 and i + 1 < len(line) and line[i - 1].isdigit() and line[i + 1].isdigit():
        return False
    return is_chinese(before) or is_chinese(after)


def neighbour(line: str, i: int, step: int) -> str:
    """The nearest character that is not a space, looking from ``i`` in direction ``step``."""
    k = i + step
    while 0 <= k < len(line) and line[k] in SPACES:
        k += step
    return line[k] if 0 <= k < len(line) else ""


def is_chinese(char: str) -> bool:
    return bool(char) and bool(CHINESE.match(char))
