"""Cheap quality signals of a cleaned text, in one pass: columns to filter on, never filters.

Gopher, C4 and FineWeb style rules, adapted to Chinese (characters, not words;
Chinese sentence punctuation). Each signal is documented in docs/CONTRACT.md.
"""

from __future__ import annotations

import re
from collections import Counter

from cleaners.chinese import ANY_HAN_CHAR

QUALITY_FIELDS = ("hanzi_share", "mean_line_chars", "punct_end_share", "dup_line_share", "dup_ngram_share",
                  "symbol_share", "digit_share", "bullet_share")

END_PUNCT = frozenset("。！？…；：」』”’）.!?;:\"')")
BULLETS = frozenset("•·●○◆◇■□▪▫-*–—►▶→")
NGRAM = 10  # characters: about five Chinese words


HANZI = ANY_HAN_CHAR
DIGIT = re.compile(r"\d")
SYMBOL = re.compile(r"[^\w\s]|_")
BLANK = re.compile(r"\s+")


def quality_signals(text: str) -> dict[str, float]:
    """The signals of ``text`` (shares are 0–1, of non-blank characters or of non-empty lines).

    Character classes are counted by compiled patterns (C speed), lines in one pass.

    >>> q = quality_signals("第一段正文。\\n第一段正文。\\n• 列表项")
    >>> q["dup_line_share"], q["bullet_share"], round(q["punct_end_share"], 2)
    (0.6667, 0.3333, 0.67)
    """
    lines = [line for raw in text.split("\n") if (line := raw.strip())]
    compact = BLANK.sub("", text)
    chars = len(compact)
    seen = Counter(lines)
    punct_end = sum(1 for line in lines if line[-1] in END_PUNCT)
    bullets = sum(1 for line in lines if line[0] in BULLETS or line.endswith(("...", "…")))
    return {
        "hanzi_share": share(len(HANZI.findall(compact)), chars),
        "mean_line_chars": round(sum(map(len, lines)) / len(lines), 2) if lines else 0.0,
        "punct_end_share": share(punct_end, len(lines)),
        "dup_line_share": share(sum(n for n in seen.values() if n > 1), len(lines)),
        "dup_ngram_share": duplicate_ngram_share(compact),
        "symbol_share": share(len(SYMBOL.findall(compact)), chars),
        "digit_share": share(len(DIGIT.findall(compact)), chars),
        "bullet_share": share(bullets, len(lines)),
    }


def duplicate_ngram_share(text: str, n: int = NGRAM) -> float:
    """Share of character n-gram positions whose n-gram occurs more than once (Gopher's rule, by characters).

    >>> duplicate_ngram_share("abcdefghij" * 3)
    1.0
    """
    compact = BLANK.sub("", text)
    positions = len(compact) - n + 1
    if positions < n:
        return 0.0
    counts = Counter(map(compact.__getitem__, map(slice, range(positions), range(n, positions + n))))
    return share(sum(c for c in counts.values() if c > 1), positions)


def share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
