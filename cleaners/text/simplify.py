"""Traditional to Simplified with OpenCC, the 著 fix, and the original script.

OpenCC's ``t2s`` leaves 著 untouched even where it means 着 (BYVoid/OpenCC
#555; ARTIFACTS §10). After t2s, :func:`fix_zhe` turns every 著 into 着 except
inside the words of ``data/zhe_keep.txt`` (显著, 著名, 著作 …).

The script a text was written in is judged from what t2s changed (its
Traditional characters) and how many of its characters only Simplified text
writes (a table of the characters s2t changes, built once), not from a second
OpenCC pass over every Traditional page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

import numpy as np
import opencc

from cleaners.chinese import IDEOGRAPH_TABLE_BLOCKS, script_of
from cleaners.model import CleanConfig, TextChange, frozen_counts


@lru_cache(maxsize=4)
def converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@lru_cache(maxsize=1)
def zhe_keep_words() -> tuple[str, ...]:
    """The words of ``data/zhe_keep.txt``, longest first."""
    text = resources.files("cleaners").joinpath("data/zhe_keep.txt").read_text(encoding="utf-8")
    words = [line.split("#")[0].strip() for line in text.splitlines()]
    return tuple(sorted({w for w in words if w}, key=len, reverse=True))


@lru_cache(maxsize=1)
def zhe_pattern() -> re.Pattern[str]:
    """Every keep-word (longest first) as group 1, else a lone 著."""
    words = zhe_keep_words()
    alternatives = "(" + "|".join(map(re.escape, words)) + ")|著"
    if any("著" not in w or "\n" in w for w in words):
        return re.compile(alternatives)
    # Every match then has a 著 at most ``lead`` characters after its start: the lookahead
    # lets the scan pass over other positions without trying every keep-word there.
    lead = max(w.index("著") for w in words) if words else 0
    return re.compile(f"(?=.{{0,{lead}}}著)(?:{alternatives})")


def zhe_keep_pattern() -> re.Pattern[str]:
    """A pattern that finds the keep-words (used by tests and `corpus inspect`)."""
    return re.compile("(" + "|".join(map(re.escape, zhe_keep_words())) + ")")


def fix_zhe(text: str) -> tuple[str, int]:
    """Turn 著 into 着 outside the keep-words; return the text and the count.

    >>> fix_zhe("随著经济发展，成绩显著，面临著挑战")
    ('随着经济发展，成绩显著，面临着挑战', 2)
    >>> fix_zhe("他是著名作家，著作等身")
    ('他是著名作家，著作等身', 0)
    """
    if "著" not in text:
        return text, 0
    changed = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        if match.group(1):
            return match.group(1)
        changed += 1
        return "着"

    pattern = zhe_pattern()
    reach = zhe_reach()
    if reach is None:
        return pattern.sub(replace, text), changed
    pieces: list[str] = []
    last = 0
    for start, end in zhe_neighbourhoods(text, *reach):
        pieces.append(text[last:start])
        pieces.append(pattern.sub(replace, text[start:end]))
        last = end
    pieces.append(text[last:])
    return "".join(pieces), changed


@lru_cache(maxsize=1)
def zhe_reach() -> tuple[int, int] | None:
    """How far a match of :func:`zhe_pattern` reaches before and after a 著 it holds: the most
    characters before 著 in a keep-word, and the longest keep-word; None when a keep-word has no 著
    (then a match need not hold one)."""
    words = zhe_keep_words()
    if any("著" not in w for w in words):
        return None
    return max((w.index("著") for w in words), default=0), max(map(len, words), default=1)


def zhe_neighbourhoods(text: str, before: int, after: int) -> list[tuple[int, int]]:
    """The stretches of ``text`` within ``before`` characters before and ``after`` from a 著, those that
    overlap or touch joined: every match of :func:`zhe_pattern` holds a 著 and lies in that 著's
    stretch, and its look-ahead finds there every 著 it could in the page (one beyond would join its
    stretch), so :func:`fix_zhe` substitutes in them alone, with the same matches, where the pattern
    tried every character of the page (``tests/test_simplify.py``)."""
    spans: list[tuple[int, int]] = []
    for match in ZHE.finditer(text):
        start, end = max(0, match.start() - before), min(len(text), match.start() + after)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


ZHE = re.compile("著")


def count_changed(before: str, after: str) -> int:
    """Characters that differ; OpenCC's t2s/s2t tables keep the length.

    >>> count_changed("學習", "学习"), count_changed("同志", "同志")
    (2, 0)
    """
    if before == after:
        return 0
    # A phrase mapping may change the length: the tail counts as changed.
    return differing(before, after) + abs(len(before) - len(after))


def differing(a: str, b: str) -> int:
    """Positions, up to the shorter length, where two strings differ: ``sum(map(operator.ne, a, b))``,
    with the UTF-32 code units compared as two arrays, in C."""
    n = min(len(a), len(b))
    codes_a = np.frombuffer(a[:n].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes_b = np.frombuffer(b[:n].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return int(np.count_nonzero(codes_a != codes_b))


def original_script(traditional_chars: int, text: str) -> str:
    """``hans``, ``hant`` or ``mixed`` from the count t2s changed and the Simplified-only characters of ``text``.

    >>> original_script(0, "同志们")
    'hans'
    >>> original_script(3, "同志們好")
    'hant'
    """
    if traditional_chars == 0:  # script_of's answer whatever the Simplified count: skip counting
        return "hans"
    return script_of(traditional_chars, simplified_only_count(text))


@lru_cache(maxsize=1)
def simplified_only_table() -> np.ndarray:
    """One flag per code point below U+30000: s2t changes the character, so Traditional text writes it otherwise.

    Built once with a single s2t pass over every ideograph, one per line, so that
    no phrase of the dictionary spans two of them.
    """
    codes = [code for low, high in IDEOGRAPH_TABLE_BLOCKS for code in range(low, high)]
    converted = converter("s2t.json").convert("\n".join(map(chr, codes))).split("\n")
    table = np.zeros(IDEOGRAPH_TABLE_BLOCKS[-1][1], dtype=bool)
    for code, after in zip(codes, converted, strict=True):
        table[code] = after != chr(code)
    return table


def simplified_only_count(text: str) -> int:
    """How many characters of ``text`` only Simplified text writes (those s2t would change), counted in C.

    >>> simplified_only_count("同志们学习了,後來")  # 们 学 习
    3
    """
    table = simplified_only_table()
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return int(np.count_nonzero(table[codes[codes < len(table)]]))


def simplified_text(text: str, config: CleanConfig) -> str:
    """Only the converted text (t2s and the 著 fix): for titles and outline items, nothing counted.

    >>> simplified_text("隨著經濟發展", CleanConfig())
    '随着经济发展'
    """
    return fix_zhe(converter(config.opencc_config).convert(text))[0]


def to_simplified(text: str, config: CleanConfig) -> tuple[TextChange, str]:
    """Convert ``text`` to Simplified; return the change and the original script."""
    converted = converter(config.opencc_config).convert(text)
    t2s_changed = count_changed(text, converted)
    converted, zhe_changed = fix_zhe(converted)
    examples = tuple(_examples(text, converted))
    change = TextChange(converted, frozen_counts({"t2s_changed": t2s_changed + zhe_changed}), examples)
    return change, original_script(t2s_changed, text)


def _examples(before: str, after: str, limit: int = 3, width: int = 8) -> Iterator[str]:
    if len(before) != len(after) or before == after:
        return
    shown = 0
    i: int | None = 0
    while i is not None and i < len(before) and shown < limit:
        i = first_difference(before, after, i)
        if i is None:
            return
        yield f"{before[i:i + width]} → {after[i:i + width]}"
        shown += 1
        i += width


def first_difference(before: str, after: str, start: int) -> int | None:
    """The first index from ``start`` where two strings of the same length differ (slices compared in C).

    >>> first_difference("同志們好", "同志们好", 0), first_difference("同志們好", "同志们好", 3)
    (2, None)
    """
    low, high = start, len(before)
    if before[low:high] == after[low:high]:
        return None
    while high - low > 1:  # before[start:low] == after[start:low], before[low:high] != after[low:high]
        middle = (low + high) // 2
        if before[low:middle] == after[low:middle]:
            low = middle
        else:
            high = middle
    return low
