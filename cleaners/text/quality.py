"""Cheap quality signals of a cleaned text, in one pass: columns to filter on, never filters.

Gopher, C4 and FineWeb style rules, adapted to Chinese (characters, not words;
Chinese sentence punctuation). Each signal is documented in docs/CONTRACT.md.
"""

from __future__ import annotations

from collections import Counter

QUALITY_FIELDS = ("hanzi_share", "mean_line_chars", "punct_end_share", "dup_line_share", "dup_ngram_share",
                  "symbol_share", "digit_share", "bullet_share")

END_PUNCT = frozenset("。！？…；：」』”’）.!?;:\"')")
BULLETS = frozenset("•·●○◆◇■□▪▫-*–—►▶→")
NGRAM = 10  # characters: about five Chinese words


def is_hanzi(code: int) -> bool:
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3134F or 0xF900 <= code <= 0xFAFF


def quality_signals(text: str) -> dict[str, float]:
    """The signals of ``text`` (shares are 0–1, of non-blank characters or of non-empty lines).

    >>> q = quality_signals("第一段正文。\\n第一段正文。\\n• 列表项")
    >>> q["dup_line_share"], q["bullet_share"], round(q["punct_end_share"], 2)
    (0.6667, 0.3333, 0.67)
    """
    chars = hanzi = digits = symbols = 0
    lines = punct_end = bullets = 0
    line_chars = 0
    seen_lines: Counter[str] = Counter()
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        lines += 1
        seen_lines[line] += 1
        if line[-1] in END_PUNCT:
            punct_end += 1
        if line[0] in BULLETS or line.endswith(("...", "…")):
            bullets += 1
        for ch in line:
            if ch.isspace():
                continue
            chars += 1
            code = ord(ch)
            if is_hanzi(code):
                hanzi += 1
            elif ch.isdigit():
                digits += 1
            elif not ch.isalpha() and not ch.isspace():
                symbols += 1
        line_chars += len(line)
    dup_lines = sum(n for n in seen_lines.values() if n > 1)
    return {
        "hanzi_share": share(hanzi, chars),
        "mean_line_chars": round(line_chars / lines, 2) if lines else 0.0,
        "punct_end_share": share(punct_end, lines),
        "dup_line_share": share(dup_lines, lines),
        "dup_ngram_share": duplicate_ngram_share(text),
        "symbol_share": share(symbols, chars),
        "digit_share": share(digits, chars),
        "bullet_share": share(bullets, lines),
    }


def duplicate_ngram_share(text: str, n: int = NGRAM) -> float:
    """Share of characters covered by a character n-gram that occurs more than once (Gopher's rule, by characters).

    >>> duplicate_ngram_share("abcdefghij" * 3)
    1.0
    """
    compact = "".join(text.split())
    if len(compact) < n * 2:
        return 0.0
    counts = Counter(compact[i:i + n] for i in range(0, len(compact) - n + 1))
    covered = bytearray(len(compact))
    for i in range(len(compact) - n + 1):
        if counts[compact[i:i + n]] > 1:
            covered[i:i + n] = b"\x01" * n
    return share(sum(covered), len(compact))


def share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
