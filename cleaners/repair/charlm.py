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
from functools import cache, lru_cache
from importlib import resources
from itertools import repeat

import numpy as np

from cleaners.chinese import HAN_UNIFIED_SPAN, script_of
from cleaners.text.simplify import converter, differing

# Punctuation that often follows other punctuation; any other pair of marks is rare.
PUNCTUATION_PAIRS = frozenset("。” ！” ？” …” ”， ”。 ”、 ”； ”： ”！ ”？ 》， 》。 》、 》； ）， ）。 ）、 ）； ：“ ，“ 、“ 。“ （“ ：《 ，《 、《 。《 （《 ”《 》“ ”“".split())
MARKS_AFTER = frozenset(pair[1] for pair in PUNCTUATION_PAIRS)  # what can end such a pair
PAIRED_PUNCTUATION = 0.05
OTHER_PUNCTUATION_PAIR = 1e-4
# Unigram shares of punctuation in Chinese prose (rounded).
PUNCTUATION_SHARE = {"，": 0.05, "。": 0.03, "、": 0.012, "“": 0.006, "”": 0.006, "：": 0.003, "；": 0.003,
                     "《": 0.002, "》": 0.002, "！": 0.001, "？": 0.001, "（": 0.001, "）": 0.001}
EMPTY: dict[str, int] = {}  # the followers of a character the background lacks
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
                 followers: dict[str, dict[str, int]]):
        self.unigrams = unigrams
        self.starts = starts
        self.ends = ends
        self.followers = followers  # the bigram counts by first character: ``followers[p][c]`` = C(pc)
        self.start_total = sum(starts.values())
        self.punctuation = sum(PUNCTUATION_SHARE.values())
        self.start_cache: dict[str, float] = {}

    def start(self, char: str) -> float:
        value = self.start_cache.get(char)
        if value is None:
            share = PUNCTUATION_SHARE.get(char)
            value = share if share is not None else (1 - self.punctuation) * self.starts.get(char, 0) / self.start_total
            self.start_cache[char] = value
        return value

    def context(self, prev: str) -> tuple[float, int] | None:
        """(P(a word ends after ``prev``), count of ``prev`` inside words), or None for a character the list lacks."""
        count = self.unigrams.get(prev, 0)
        if not count:
            return None
        final = self.ends.get(prev, 0)
        return (final + 1) / (count + 2), count - final

    def bigram(self, prev: str, char: str) -> float:
        context = self.context(prev)
        if context is None:
            return self.start(char)
        ending, inside = context
        p = ending * self.start(char)
        if inside > 0:
            p += (1 - ending) * self.followers.get(prev, EMPTY).get(char, 0) / inside
        return p


@lru_cache(maxsize=1)
def background() -> Background:
    """``data/char_lm.txt``, read once a process. Its bigrams (kind ``B``, two characters each) are kept
    once, by first character, and every character is one string object however many tables name it
    (the flat dict of two-character keys and the index by first character were two copies: ~7 MB)."""
    tables: dict[str, dict[str, int]] = {"U": {}, "S": {}, "E": {}}
    followers: dict[str, dict[str, int]] = {}
    chars: dict[str, str] = {}  # one object per character
    with resources.files("cleaners").joinpath("data/char_lm.txt").open(encoding="utf-8") as lines:
        for line in lines:  # line by line: the file's 105 000 lines are never all held at once
            if line.startswith("#"):
                continue
            kind, key, count = line.split("\t")
            if kind == "B":
                first, second = key[0], key[1:]
                first = chars.setdefault(first, first)
                followers.setdefault(first, {})[chars.setdefault(second, second)] = int(count)
            else:
                tables[kind][chars.setdefault(key, key)] = int(count)
    return Background(tables["U"], tables["S"], tables["E"], followers)


_SIMPLIFIED: dict[str, tuple[str, float]] = {}
# Share of a Simplified character's uses written with a rare Traditional variant
# (曏 for 向): garbage from a misaligned decoder must not read like the common form.
VARIANT_SHARE = 0.02


def simplified_char(char: str) -> str:
    """The OpenCC t2s form of one character (cached)."""
    return simplified_form(char)[0]


def simplified_form(char: str) -> tuple[str, float]:
    """The t2s form of a character and the share of that form's uses it stands for.

    A usual form is one OpenCC writes for the Simplified character in ``s2t``,
    ``s2tw`` or ``s2hk`` (the last two read from ``data/variants.txt``).
    """
    out = _SIMPLIFIED.get(char)
    if out is None:
        simple = converter("t2s.json").convert(char)
        simple = simple if len(simple) == 1 else char
        usual = char == simple or char == converter("s2t.json").convert(simple) or char in regional_forms(simple)
        out = (simple, 1.0 if usual else VARIANT_SHARE)
        _SIMPLIFIED[char] = out
    return out


def regional_forms(char: str) -> str:
    """The one-character forms OpenCC's s2tw/s2hk give ``char`` beyond itself and its s2t form."""
    return regional_form_table().get(char, "")


@lru_cache(maxsize=1)
def regional_form_table() -> dict[str, str]:
    """``data/variants.txt``, built by ``scripts/build_variants.py`` (s2tw alone costs 18 MB per process)."""
    text = resources.files("cleaners").joinpath("data/variants.txt").read_text(encoding="utf-8")
    return dict(line.split("\t") for line in text.splitlines() if not line.startswith("#"))


@cache
def simplified_only(char: str) -> bool:
    """A character Traditional text writes otherwise (剑 for 劍)."""
    return simplified_char(char) == char and converter("s2t.json").convert(char) != char


def char_class(char: str) -> str:
    """Han, Latin letter, digit, or the character itself: the context of a lost ASCII character."""
    if not char:
        return "$"
    if HAN.match(char):
        return "H"
    if char.isascii() and char.isalpha():
        return "L"
    if char.isdigit():
        return "D"
    return char


HAN = re.compile(f"[{HAN_UNIFIED_SPAN}]")
LOST_ASCII = re.compile(r"(?=(.)([ -?])(.{1,3}))", re.S)


NOT_HAN = re.compile(f"[^{HAN_UNIFIED_SPAN}]+")


def page_script(text: str) -> str | None:
    """``hant`` or ``hans`` when one script clearly dominates the page's characters, else None.

    The counts are two OpenCC passes over the Han characters of the page's head
    (the page is not converted yet); the rule is :func:`cleaners.chinese.script_of`'s, with ``clear=True``.
    """
    sample = NOT_HAN.sub("", text[:20000])  # its Han characters, in order
    if len(sample) < 50:
        return None
    traditional = differing(sample, converter("t2s.json").convert(sample))
    simplified = differing(sample, converter("s2t.json").convert(sample))
    script = script_of(traditional, simplified, clear=True)
    return None if script == "mixed" else script


class DocumentModel:
    """Bigram counts and 4-grams of one page's own text."""

    def __init__(self, text: str):
        self.text = text
        self.line_ends = Counter(line[-1] for line in text.split("\n") if line)
        self.line_end_total = sum(self.line_ends.values())
        self.unigrams = Counter(text)
        self.fourgrams = fourgrams(text) if len(text) < 2_000_000 else set()
        self.total = max(1, len(text))
        self.script = page_script(text)
        self.follow_cache: dict[str, dict[str, int]] = {}  # followers() per character of the page


    def followers(self, prev: str) -> dict[str, int]:
        """The characters that follow ``prev`` on the page, with their counts (``bigrams`` of ``prev``)."""
        found = self.follow_cache.get(prev)
        if found is None:
            found = {}
            text, find, end = self.text, self.text.find, len(self.text) - 1
            at = find(prev)
            while 0 <= at < end:
                char = text[at + 1]
                found[char] = found.get(char, 0) + 1
                at = find(prev, at + 1)
            self.follow_cache[prev] = found
        return found

    def lost_ascii(self, before: str, after: str) -> str | None:
        """The ASCII character (below ``@``) that most likely stood between ``before`` and ``after``.

        The page's own text decides: the same three following characters behind the
        same character (``“4·28”`` restores ``“?·28”``), or else the same kinds of
        neighbours (Han, Latin, digit), when one choice has a clear majority.
        """
        # a character the page could not encode may stand as ``?`` in the parallel text
        follow = "".join(re.escape(c) if c.isascii() else f"(?:{re.escape(c)}|[?？])" for c in after)
        exact = Counter(m.group(1) for m in re.finditer(f"{re.escape(before)}([ -?]){follow}", self.text)) \
            if before and after else Counter()
        if exact:
            choice, n = exact.most_common(1)[0]
            if n >= 0.9 * sum(exact.values()):
                return choice
        kinds = self.kind_counts().get((char_class(before), char_class(after[:1])))
        if kinds:
            choice, n = kinds.most_common(1)[0]
            if n >= 5 and n >= 0.9 * sum(kinds.values()):
                return choice
        return None

    @lru_cache(maxsize=1)  # noqa: B019 - a DocumentModel lives for one page; the cache dies with it
    def by_trail(self) -> dict[int, Counter[str]]:
        """The page's characters grouped by the trail byte of their GBK code."""
        from cleaners.repair.gbk import pair_of

        groups: dict[int, Counter[str]] = {}
        for char, n in self.unigrams.items():
            pair = pair_of(char) if not char.isascii() else None
            if pair is not None:
                group = groups.get(pair[1])
                if group is None:
                    group = groups[pair[1]] = Counter()
                group[char] = n  # each character once: its count
        return groups

    @lru_cache(maxsize=1)  # noqa: B019 - as above
    def kind_counts(self) -> dict[tuple[str, str], Counter[str]]:
        counts: dict[tuple[str, str], Counter[str]] = {}
        for m in LOST_ASCII.finditer(self.text):
            key = (char_class(m.group(1)), char_class(m.group(3)[0]))
            group = counts.get(key)
            if group is None:
                group = counts[key] = Counter()
            group[m.group(2)] += 1
        return counts


class CandidateTable:
    """Per-character facts of a fixed tuple of candidates, as arrays (page-independent)."""

    def __init__(self, chars: tuple[str, ...]):
        bg = background()
        self.chars = chars
        forms = [simplified_form(char) if not char.isascii() else (char, 1.0) for char in chars]
        self.simples = [simple for simple, _ in forms]
        self.share = np.array([share for _, share in forms], dtype=np.float64)
        self.start = np.array([bg.start(simple) for simple in self.simples], dtype=np.float64)
        self.special = tuple(at for at, char in enumerate(chars)
                             if char.isascii() or char in PUNCTUATION_SHARE or char in MARKS_AFTER)
        # script_share of each character on a Traditional / a Simplified page that does not use it twice
        self.hant_share = np.array([VARIANT_SHARE if simplified_only(c) else 1.0 for c in chars], dtype=np.float64)
        self.hans_share = np.array([VARIANT_SHARE if simplified_char(c) != c else 1.0 for c in chars], dtype=np.float64)
        # positions of each t2s form and each character, for filling a row from a context's few
        # followers rather than looking every candidate up (long tuples only: they are few)
        self.by_simple = positions(self.simples) if len(chars) >= INDEXED_MIN else None
        self.by_char = positions(chars) if len(chars) >= INDEXED_MIN else None


def positions(items) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for at, item in enumerate(items):
        found.setdefault(item, []).append(at)
    return found


def count_row(size: int, counts: dict[str, int], index: dict[str, list[int]] | None, keys, prefix: str = "") -> np.ndarray:
    """``np.array([counts.get(prefix + key, 0) for key in keys], float64)``, from whichever side is smaller."""
    if index is None or len(counts) > size:
        get = counts.get
        if prefix:
            return np.array([get(prefix + key, 0) for key in keys], dtype=np.float64)
        return np.fromiter(map(get, keys, repeat(0)), dtype=np.float64, count=size)
    row = np.zeros(size, dtype=np.float64)
    for key, n in counts.items():
        at = index.get(key)
        if at is not None:
            row[at] = n
    return row


def probability_row_py(out: np.ndarray, start: np.ndarray, share: np.ndarray, script: np.ndarray,
                       simples: list[str], chars: tuple[str, ...], bg_counts: dict[str, int] | None,
                       ending: float, inside: int, doc_counts: dict[str, int] | None, n: int) -> None:
    """Write ``max(P, FLOOR)`` of every character of ``chars`` into ``out`` (:meth:`CharModel.probabilities`'
    row): the background bigram after the context (``bg_counts`` its followers by t2s form, None for a
    context the list lacks) times each character's share and script share, mixed with the page's
    bigrams (``doc_counts``, its ``n`` uses). The reference of the compiled ``probability_row``."""
    size = len(chars)
    if bg_counts is not None:
        b = ending * start
        if inside > 0:
            row = count_row(size, bg_counts, table_of(chars).by_simple, simples)
            b = b + (1 - ending) * row / inside
    else:
        b = start
    p = b * share * script
    if n:
        row = count_row(size, doc_counts or EMPTY, table_of(chars).by_char, chars)
        p = (row + DOC_PRIOR * p) / (n + DOC_PRIOR)
    np.maximum(p, FLOOR, out=out)


def fourgrams(text: str) -> set[str]:
    """Every four characters in a row of ``text`` (the compiled loop where it is built;
    :func:`fourgrams_py` is its reference)."""
    if ROW_CORE is not None:
        return ROW_CORE.fourgrams(text)
    return fourgrams_py(text)


def fourgrams_py(text: str) -> set[str]:
    """:func:`fourgrams` in Python."""
    return {text[i : i + 4] for i in range(len(text) - 3)}


def load_row_core():
    """The compiled ``probability_row``, ``logps`` and ``fourgrams`` (``_charlm_core``, built by ``pip install -e .``),
    or None."""
    try:
        from cleaners.repair import _charlm_core
    except ImportError:
        return None
    _charlm_core.configure(ASCII_LOGP, PAIRED_PUNCTUATION, OTHER_PUNCTUATION_PAIR, DOC_PRIOR, FLOOR,
                           PUNCTUATION_SHARE, PUNCTUATION_PAIRS)
    return _charlm_core


VECTOR_MIN = 32  # shorter tuples go through CharModel.logps
INDEXED_MIN = 256  # tuples this long keep an index of their characters


def follower_index() -> dict[str, dict[str, int]]:
    """The background's bigram counts by first character: ``index[p][c]`` = count of ``pc``."""
    return background().followers


def followers(prev: str) -> dict[str, int]:
    return follower_index().get(prev, EMPTY)


@lru_cache(maxsize=4096)
def candidate_table(chars: tuple[str, ...]) -> CandidateTable | None:
    return CandidateTable(chars) if len(chars) >= VECTOR_MIN else None


_TABLES: dict[int, tuple[tuple[str, ...], CandidateTable | None]] = {}


def table_of(chars: tuple[str, ...]) -> CandidateTable | None:
    """``candidate_table(chars)``, found by the tuple's identity first: the search passes the same
    (cached) tuples again and again, and hashing a tuple of hundreds of characters is not free."""
    found = _TABLES.get(id(chars))
    if found is not None and found[0] is chars:  # the tuple is held here, so its id is not reused
        return found[1]
    table = candidate_table(chars)
    if len(_TABLES) >= 4096:
        _TABLES.clear()
    _TABLES[id(chars)] = (chars, table)
    return table


ROW_CORE = load_row_core()
COMPILED_ROW = ROW_CORE is not None  # which form of the row runs


class CharModel:
    """log P(char | previous char): the background mixed with the document."""

    def __init__(self, document: DocumentModel | None = None):
        self.background = background()
        self.document = document
        self.cache: dict[str, float] = {}
        self.memo: dict = {}  # what callers derive from this model's scores (rankings), kept with it
        self.facts: dict[str, tuple] = {}  # char_facts per character
        self.fourgrams = document.fourgrams if document is not None else frozenset()
        self.scripts: dict[int, tuple[CandidateTable, np.ndarray]] = {}  # script_array per table (per page)
        self.lead_weights: dict[str, float] = {}  # the repair's weighted trail_prior per first character
        self.contexts: dict[str, tuple] = {}  # context_of per previous character

    def logp(self, prev: str, char: str) -> float:
        key = prev + char  # prev is one character or none, char one: no two pairs share a key
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        value = self._logp(prev, char)
        self.cache[key] = value
        return value

    def script_share(self, char: str) -> float:
        """A character of the other script than the page's (剑 in a Traditional page) is rare,
        unless the page itself uses it (sites leave 干/于/范 Simplified, ARTIFACTS §9)."""
        script = self.document.script if self.document is not None else None
        if script is None or self.document.unigrams.get(char, 0) >= 2:
            return 1.0
        if script == "hant":
            return VARIANT_SHARE if simplified_only(char) else 1.0
        return VARIANT_SHARE if simplified_char(char) != char else 1.0

    def background_logp(self, prev: str, char: str) -> float:
        """log P(char | prev) without the document (for scoring the damaged text itself)."""
        if char.isascii():
            return ASCII_LOGP
        simple, share = simplified_form(char)
        return math.log(max(self.background.bigram(simplified_char(prev), simple) * share, FLOOR))

    def _logp(self, prev: str, char: str) -> float:
        return self.logps(prev, (char,))[0]

    def logps(self, prev: str, chars) -> list[float]:
        """log P(char | prev) for every character of ``chars`` after one ``prev`` (the compiled loop
        where it is built; :meth:`logps_py` is its reference)."""
        if ROW_CORE is not None:
            return ROW_CORE.logps(self, prev, chars)
        return self.logps_py(prev, chars)

    def logps_py(self, prev: str, chars) -> list[float]:
        """log P(char | prev) for every character of ``chars`` after one ``prev``.

        The one place the probability is computed (:meth:`logp` comes here too): the
        background bigram of the t2s forms, times the character's share of that form
        and its script share, adapted to the page's own bigrams. What depends on
        ``prev`` alone is worked out once, what depends on the character alone is
        kept per page (:meth:`char_facts`); the results go into the cache.
        """
        cache = self.cache
        get = cache.get
        out = [get(prev + char) for char in chars]
        if None not in out:
            return out  # all known: the usual case in the search
        out = []
        context, n, doc_followers, prev_followers = self.contexts.get(prev) or self.context_of(prev)
        if context is not None:
            ending, inside = context
        prev_mark = prev in PUNCTUATION_SHARE
        facts, char_facts, log = self.facts, self.char_facts, math.log
        for char in chars:
            key = prev + char
            value = cache.get(key)
            if value is None:
                fact = facts.get(char) or char_facts(char)
                if fact[0]:
                    value = ASCII_LOGP
                else:
                    _, mark, simple, share, start, script = fact
                    if mark and (prev_mark and char in PUNCTUATION_SHARE or key in PUNCTUATION_PAIRS):
                        p = PAIRED_PUNCTUATION if key in PUNCTUATION_PAIRS else OTHER_PUNCTUATION_PAIR
                    else:
                        if context is None:
                            b = start
                        else:
                            b = ending * start
                            if inside > 0:
                                b += (1 - ending) * prev_followers.get(simple, 0) / inside
                        p = b * share * script
                    if n:
                        p = (doc_followers.get(char, 0) + DOC_PRIOR * p) / (n + DOC_PRIOR)
                    value = log(max(p, FLOOR))
                cache[key] = value
            out.append(value)
        return out

    def context_of(self, prev: str) -> tuple[tuple[float, int] | None, int, dict[str, int] | None, dict[str, int]]:
        """What :meth:`logps` reads of ``prev`` alone (kept per page: the same for every call): the
        background's context of its t2s form, its count on the page, the page's followers of it (None
        if it is not on the page) and the background's followers of its t2s form."""
        prev_simple = simplified_char(prev)
        document = self.document
        n = document.unigrams.get(prev, 0) if document is not None else 0
        found = (self.background.context(prev_simple), n, document.followers(prev) if n else None,
                 self.background.followers.get(prev_simple, EMPTY))
        self.contexts[prev] = found
        return found

    def logps_many(self, prev: str, chars: tuple[str, ...]) -> list[float]:
        """:meth:`logps` for a long, fixed tuple of characters, with numpy.

        The same arithmetic as :meth:`logps` in float64, element by element (IEEE
        products, quotients and sums are the same in numpy and in Python), and the
        logarithm taken with :func:`math.log`; ASCII characters and marks go through
        :meth:`logps`. The values are not cached: :meth:`logp` recomputes the same.
        """
        found = self.probabilities(prev, chars)
        if found is None:
            return self.logps(prev, chars)
        values, special = found
        log = math.log
        values = [log(v) for v in values.tolist()]
        for at, value in special.items():
            values[at] = value
        return values

    def probabilities(self, prev: str, chars: tuple[str, ...]) -> tuple[np.ndarray, dict[int, float]] | None:
        """For :meth:`logps_many`: ``max(P, FLOOR)`` of every character of ``chars`` after ``prev``
        (``log`` of it is the character's log P), and log P of the ASCII characters and marks
        by position (their entries in the array are meaningless); None for a short tuple."""
        table = table_of(chars)
        if table is None:
            return None
        context, n, doc_followers, prev_followers = self.contexts.get(prev) or self.context_of(prev)
        row = ROW_CORE.probability_row if ROW_CORE is not None else probability_row_py
        values = np.empty(len(chars), dtype=np.float64)
        row(values, table.start, table.share, self.script_array(table), table.simples, chars,
            prev_followers if context is not None else None, *(context or (0.0, 0)), doc_followers, n)
        special = {}
        if table.special:
            special = dict(zip(table.special, self.logps(prev, [chars[at] for at in table.special]), strict=False))
        return values, special

    def remember(self, prev: str, values) -> None:
        """Cache (char, log P(char | prev)) pairs that :meth:`logps_many` gave (the same values)."""
        cache = self.cache
        for char, value in values:
            cache[prev + char] = value

    def script_array(self, table: CandidateTable) -> np.ndarray:
        """``[self.script_share(char) for char in table.chars]`` as an array (kept per table for the page)."""
        found = self.scripts.get(id(table))  # by identity: hashing a long tuple costs more than the lookup
        if found is None or found[0] is not table:
            script = self.document.script if self.document is not None else None
            if script is None:
                shares = np.ones(len(table.chars), dtype=np.float64)
            else:
                shares = (table.hant_share if script == "hant" else table.hans_share).copy()
                get = self.document.unigrams.get
                used = [at for at, char in enumerate(table.chars) if get(char, 0) >= 2]  # the page uses it
                shares[used] = 1.0
            found = (table, shares)
            self.scripts[id(table)] = found
        return found[1]

    def char_facts(self, char: str) -> tuple:
        """(ASCII, can pair with a mark, t2s form, share of that form, P(start) of that form,
        script share on this page) of one character, kept per page."""
        if char.isascii():
            fact = (True, False, char, 1.0, 0.0, 1.0)
        else:
            simple, share = simplified_form(char)
            mark = char in PUNCTUATION_SHARE or char in MARKS_AFTER
            fact = (False, mark, simple, share, self.background.start(simple), self.script_share(char))
        self.facts[char] = fact
        return fact

    def line_end_logp(self, char: str) -> float:
        """log P(a paragraph ends after ``char``), from the page's own line ends."""
        ends = self.document.line_ends if self.document is not None else Counter()
        total = self.document.line_end_total if self.document is not None else 0
        prior = 0.6 if char in "。！？”…" else 0.02
        return math.log((ends.get(char, 0) + 5 * prior) / (total + 5))

    def trail_prior(self, char: str, trail: int) -> float:
        """log P(char | its trail byte) on this page, smoothed (0 without a page)."""
        if self.document is None:
            return 0.0
        key = ("trail", char, trail)
        value = self.memo.get(key)
        if value is None:
            group = self.document.by_trail().get(trail)
            value = math.log((group.get(char, 0) + 0.5) / (sum(group.values()) + 0.5 * 20)) if group else 0.0
            self.memo[key] = value
        return value

    def in_word(self, prev: str, char: str) -> bool:
        """``prev`` and ``char`` stand together inside a word of the background word list."""
        return simplified_char(char) in self.background.followers.get(simplified_char(prev), EMPTY)

    def lost_ascii(self, before: str, after: str) -> str | None:
        return self.document.lost_ascii(before, after) if self.document is not None else None

    def seen(self, fourgram: str) -> bool:
        return self.document is not None and fourgram in self.document.fourgrams
