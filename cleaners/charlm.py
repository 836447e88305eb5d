"""A character-level language model of Chinese, for choosing bytes a page no longer holds.

Two sources, mixed:

* the **background** model: unigram and bigram counts of characters in the
  word list of jieba 0.42.1 (``jieba/dict.txt``, Simplified, with corpus
  frequencies), shipped as ``data/char_lm.txt`` and built by
  ``scripts/build_char_lm.py``. Traditional characters are looked up through
  their OpenCC ``t2s`` form. Nothing of the sample pages or the test prose is in it;
* the **document** model: bigram counts and 4-grams of the page being repaired
  (its text outside the damaged spans, with annotations removed and punctuation
  made full-width), the best witness of how that page writes.

Punctuation is not in a word list; its unigram shares below are typical of
Chinese prose (one mark in about eight characters).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from cleaners.simplify import converter

# Unigram shares of punctuation in Chinese prose (rounded).
PUNCTUATION_SHARE = {"，": 0.05, "。": 0.03, "、": 0.012, "“": 0.006, "”": 0.006, "：": 0.003, "；": 0.003,
                     "《": 0.002, "》": 0.002, "！": 0.001, "？": 0.001, "（": 0.001, "）": 0.001}
FLOOR = 1e-8  # probability of a character the model has never seen
DOC_PRIOR = 20.0  # how many of the page's own bigrams the background is worth
ASCII_LOGP = math.log(1e-4)


class Background:
    """A character model derived from a word-frequency list.

    After a character ``p`` a word ends with the share ``e(p)`` of its uses that
    are word-final; then any word may start (or a punctuation mark follow).
    Otherwise the word goes on with a character that follows ``p`` inside words::

        P(c | p) = (1 - e(p)) · C(pc) / C(p·) + e(p) · P_start(c)
    """

    def __init__(self, unigrams: dict[str, int], starts: dict[str, int], ends: dict[str, int],
                 bigrams: dict[str, int]):
        self.unigrams = unigrams
        self.starts = starts
        self.ends = ends
        self.bigrams = bigrams
        self.start_total = sum(starts.values())
        self.punctuation = sum(PUNCTUATION_SHARE.values())

    def start(self, char: str) -> float:
        share = PUNCTUATION_SHARE.get(char)
        if share is not None:
            return share
        return (1 - self.punctuation) * self.starts.get(char, 0) / self.start_total

    def bigram(self, prev: str, char: str) -> float:
        count = self.unigrams.get(prev, 0)
        if not count:
            return self.start(char)
        final = self.ends.get(prev, 0)
        inside = count - final
        ending = (final + 1) / (count + 2)
        p = ending * self.start(char)
        if inside > 0:
            p += (1 - ending) * self.bigrams.get(prev + char, 0) / inside
        return p


@lru_cache(maxsize=1)
def background() -> Background:
    text = resources.files("cleaners").joinpath("data/char_lm.txt").read_text(encoding="utf-8")
    tables: dict[str, dict[str, int]] = {"U": {}, "S": {}, "E": {}, "B": {}}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        kind, key, count = line.split("\t")
        tables[kind][key] = int(count)
    return Background(tables["U"], tables["S"], tables["E"], tables["B"])


_SIMPLIFIED: dict[str, str] = {}


def simplified_char(char: str) -> str:
    """The OpenCC t2s form of one character (cached)."""
    out = _SIMPLIFIED.get(char)
    if out is None:
        out = converter("t2s.json").convert(char)
        out = out if len(out) == 1 else char
        _SIMPLIFIED[char] = out
    return out


HAN_OR_PUNCT = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’…·—]")


class DocumentModel:
    """Bigram counts and 4-grams of one page's own text."""

    def __init__(self, text: str):
        self.unigrams = Counter(text)
        self.bigrams = Counter(text[i : i + 2] for i in range(len(text) - 1))
        self.fourgrams = {text[i : i + 4] for i in range(len(text) - 3)} if len(text) < 2_000_000 else set()
        self.total = max(1, len(text))

    def adapt(self, prev: str, char: str, background: float) -> float:
        """The background probability updated with the page's own counts."""
        n = self.unigrams.get(prev, 0)
        if not n:
            return background
        return (self.bigrams.get(prev + char, 0) + DOC_PRIOR * background) / (n + DOC_PRIOR)


class CharModel:
    """log P(char | previous char): the background mixed with the document."""

    def __init__(self, document: DocumentModel | None = None):
        self.background = background()
        self.document = document
        self.cache: dict[tuple[str, str], float] = {}

    def logp(self, prev: str, char: str) -> float:
        key = (prev, char)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        value = self._logp(prev, char)
        self.cache[key] = value
        return value

    def background_logp(self, prev: str, char: str) -> float:
        """log P(char | prev) without the document (for scoring the damaged text itself)."""
        if char.isascii():
            return ASCII_LOGP
        return math.log(max(self.background.bigram(simplified_char(prev), simplified_char(char)), FLOOR))

    def _logp(self, prev: str, char: str) -> float:
        if char.isascii():
            return ASCII_LOGP
        p = self.background.bigram(simplified_char(prev), simplified_char(char))
        if self.document is not None:
            p = self.document.adapt(prev, char, p)
        return math.log(max(p, FLOOR))

    def seen(self, fourgram: str) -> bool:
        return self.document is not None and fourgram in self.document.fourgrams
