"""Cheap quality signals of a cleaned text, in one pass: columns to filter on, never filters.

Gopher, C4 and FineWeb style rules, adapted to Chinese (characters, not words;
Chinese sentence punctuation). Each signal is documented in docs/CONTRACT.md.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np

from cleaners.chinese import HAN_WITH_EXTENSIONS
from cleaners.codepoints import code_points, marked

QUALITY_FIELDS = ("hanzi_share", "mean_line_chars", "punct_end_share", "dup_line_share", "dup_ngram_share",
                  "symbol_share", "digit_share", "bullet_share")

END_PUNCT = frozenset("。！？…；：」』”’）.!?;:\"')")
BULLETS = frozenset("•·●○◆◇■□▪▫-*–—►▶→")
NGRAM = 10  # characters: about five Chinese words


BLANK = re.compile(r"\s+")
# The character classes counted, as patterns: char_classes runs them once over every code point.
NOT_HANZI_RUN = re.compile(f"[^{HAN_WITH_EXTENSIONS}]+")
DIGIT_RUN = re.compile(r"\d+")
SYMBOL_RUN = re.compile(r"[^\w\s]+")  # and "_", the one word character counted as a symbol, apart


def quality_signals(text: str) -> dict[str, float]:
    """The signals of ``text`` (shares are 0–1, of non-blank characters or of non-empty lines).

    Character classes are counted with a table of each code point's classes (:func:`char_classes`, made
    from the class patterns) indexed by the text's code points in numpy; lines in one pass.

    >>> q = quality_signals("第一段正文。\\n第一段正文。\\n• 列表项")
    >>> q["dup_line_share"], q["bullet_share"], round(q["punct_end_share"], 2)
    (0.6667, 0.3333, 0.67)
    """
    lines = [line for raw in text.split("\n") if (line := raw.strip())]
    compact = without_blanks(text)
    codes = code_points(compact)
    chars = len(compact)
    classes = char_classes()[codes]
    hanzi = chars - int(np.count_nonzero(classes & NOT_HANZI))
    symbols = int(np.count_nonzero(classes & SYMBOL)) + compact.count("_")
    seen = Counter(lines)
    punct_end = sum(1 for line in lines if line[-1] in END_PUNCT)
    bullets = sum(1 for line in lines if line[0] in BULLETS or line.endswith(("...", "…")))
    return {
        "hanzi_share": share(hanzi, chars),
        "mean_line_chars": round(sum(map(len, lines)) / len(lines), 2) if lines else 0.0,
        "punct_end_share": share(punct_end, len(lines)),
        "dup_line_share": share(sum(n for n in seen.values() if n > 1), len(lines)),
        "dup_ngram_share": codes_ngram_share(codes),
        "symbol_share": share(symbols, chars),
        "digit_share": share(int(np.count_nonzero(classes & DIGIT)), chars),
        "bullet_share": share(bullets, len(lines)),
    }


NOT_HANZI, SYMBOL, DIGIT = 1, 2, 4  # the bits of char_classes


@lru_cache(maxsize=1)
def char_classes() -> np.ndarray:
    """A byte per code point: the bits NOT_HANZI, SYMBOL, DIGIT where ``NOT_HANZI_RUN``, ``SYMBOL_RUN``,
    ``DIGIT_RUN`` match it. Made once a process (~0.06 s), from the patterns run over every code point."""
    return marked(((NOT_HANZI, NOT_HANZI_RUN), (SYMBOL, SYMBOL_RUN), (DIGIT, DIGIT_RUN)))


def without_blanks(text: str) -> str:
    """``BLANK.sub("", text)``: ``str.split()`` cuts at the characters ``\\s`` matches (``str.isspace``), ~4x faster.

    >>> without_blanks(" 第一段\\u3000正文\\n\\t。 ")
    '第一段正文。'
    """
    return "".join(text.split())


def duplicate_ngram_share(text: str, n: int = NGRAM) -> float:
    """Share of character n-gram positions whose n-gram occurs more than once (Gopher's rule, by characters).

    >>> duplicate_ngram_share("abcdefghij" * 3)
    1.0
    """
    return compact_ngram_share(without_blanks(text), n)


def compact_ngram_share(compact: str, n: int = NGRAM) -> float:
    """:func:`duplicate_ngram_share` of a text without white space."""
    return codes_ngram_share(code_points(compact), n)


def codes_ngram_share(codes: np.ndarray, n: int = NGRAM) -> float:
    """:func:`compact_ngram_share` of the text's code points."""
    positions = len(codes) - n + 1
    if positions < n:
        return 0.0
    keys = code_keys(codes, n)
    repeated = repeated_positions(keys, mixed_hash(keys))
    if repeated is None:  # two different n-grams share a hash (never seen): sort the keys themselves
        return share(exactly_repeated_positions(keys), positions)
    return share(repeated, positions)


CODE_BITS = 21  # a code point fits in 21 bits: three in one 64-bit key
PER_KEY = 64 // CODE_BITS
MIX = np.uint64(0x9E3779B97F4A7C15)


def ngram_keys(compact: str, n: int) -> list[np.ndarray]:
    """The n-gram at each position as ceil(n/3) 64-bit keys, three code points a key: equal keys, equal n-grams."""
    return code_keys(code_points(compact), n)


def code_keys(code_points: np.ndarray, n: int) -> list[np.ndarray]:
    """:func:`ngram_keys` of a text's code points."""
    codes = code_points.astype(np.uint64)
    positions = len(codes) - n + 1
    keys = []
    for start in range(0, n, PER_KEY):
        key = codes[start:start + positions].copy()
        for offset in range(start + 1, min(n, start + PER_KEY)):
            key <<= np.uint64(CODE_BITS)
            key |= codes[offset:offset + positions]
        keys.append(key)
    return keys


def mixed_hash(keys: list[np.ndarray]) -> np.ndarray:
    """One 64-bit hash of each position's keys (equal n-grams, equal hashes; rarely, different ones too)."""
    hashed = keys[0].copy()
    for key in keys[1:]:
        hashed *= MIX
        hashed ^= key
    return hashed


def repeated_positions(keys: list[np.ndarray], hashed: np.ndarray) -> int | None:
    """How many positions hold an n-gram that occurs at another position too, or None.

    Sorted by ``hashed``, equal n-grams are neighbours; each pair of equal hashes
    is checked key by key, and None says two different n-grams shared a hash.
    """
    order = np.argsort(hashed)
    in_order = hashed[order]
    same = in_order[1:] == in_order[:-1]
    pairs = np.flatnonzero(same)
    first, second = order[pairs], order[pairs + 1]
    if any(not np.array_equal(key[first], key[second]) for key in keys):
        return None
    return neighbours_alike(same)


def exactly_repeated_positions(keys: list[np.ndarray]) -> int:
    """:func:`repeated_positions` sorted by the keys themselves (slower, never fooled by a hash)."""
    order = np.lexsort(keys[::-1])
    same = np.ones(len(order) - 1, dtype=bool)
    for key in keys:
        in_order = key[order]
        same &= in_order[1:] == in_order[:-1]
    return neighbours_alike(same)


def neighbours_alike(same: np.ndarray) -> int:
    """Positions, in sorted order, equal to the one before or after (``same``: each one against the next)."""
    repeated = np.zeros(len(same) + 1, dtype=bool)
    repeated[1:] |= same
    repeated[:-1] |= same
    return int(repeated.sum())


def share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
