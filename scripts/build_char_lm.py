"""Build ``cleaners/data/char_lm.txt``: the character model used by the mojibake repair.

Source: the word list of jieba 0.42.1 (``jieba/dict.txt``, 349 046 words of
Simplified Chinese with corpus frequencies; MIT licence). Every word of
frequency ``f`` adds ``f`` to the count of each of its characters and of each
pair of adjacent characters. Nothing from the sample pages or the test prose
goes in.

The output is a small text table, one entry a line::

    U<TAB>char<TAB>count         unigram counts (all characters)
    S<TAB>char<TAB>count         counts of the character as the first of a word
    E<TAB>char<TAB>count         counts of the character as the last of a word
    B<TAB>pair<TAB>count         bigram counts, kept when count >= MIN_PAIR

Run once, by hand, after changing it::

    /work/main/.venv/bin/python scripts/build_char_lm.py
"""

from __future__ import annotations

import sys
from collections import Counter
from importlib import resources
from pathlib import Path

from cleaners.chinese import UNIFIED_BLOCK

MIN_PAIR = 30
OUT = Path(__file__).resolve().parent.parent / "cleaners" / "data" / "char_lm.txt"


def is_han(char: str) -> bool:
    return UNIFIED_BLOCK[0] <= ord(char) <= UNIFIED_BLOCK[1]


def count(lines) -> tuple[Counter, Counter, Counter, Counter]:
    unigrams: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    for line in lines:
        parts = line.split()
        if len(parts) < 2:
            continue
        word, freq = parts[0], int(parts[1])
        if not all(is_han(c) for c in word):
            continue
        for char in word:
            unigrams[char] += freq
        starts[word[0]] += freq
        ends[word[-1]] += freq
        for a, b in zip(word, word[1:], strict=False):
            bigrams[a + b] += freq
    return unigrams, bigrams, starts, ends


def main() -> int:
    text = resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    unigrams, bigrams, starts, ends = count(text.splitlines())
    with OUT.open("w", encoding="utf-8") as out:
        out.write("# char model from jieba 0.42.1 dict.txt; built by scripts/build_char_lm.py\n")
        for char, n in sorted(unigrams.items(), key=lambda kv: -kv[1]):
            out.write(f"U\t{char}\t{n}\n")
        for kind, counts in (("S", starts), ("E", ends)):
            for char, n in sorted(counts.items(), key=lambda kv: -kv[1]):
                out.write(f"{kind}\t{char}\t{n}\n")
        for pair, n in sorted(bigrams.items(), key=lambda kv: -kv[1]):
            if n >= MIN_PAIR:
                out.write(f"B\t{pair}\t{n}\n")
    print(f"{len(unigrams)} characters, {sum(1 for n in bigrams.values() if n >= MIN_PAIR)} of {len(bigrams)} pairs -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
