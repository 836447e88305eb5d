"""The candidate characters the search tries after a byte, ranked by the page model
(worked out for the head at once, the rest only when a reader goes past it)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import cache, lru_cache

import numpy as np

from cleaners.repair.charlm import PUNCTUATION_SHARE, CharModel
from cleaners.repair.gbk import (
    char_of,
    pair_of,
    user_defined_pairs,
)
from cleaners.repair.misaligned_gbk.core import CORE
from cleaners.repair.misaligned_gbk.params import PARAMS as P


def chain_ends(prev: str, trails, lead: int | None, model: CharModel) -> tuple[str, ...]:
    """The ``P.gap_keep`` likeliest last characters of a chain after ``prev`` (remembered per page model)."""
    key = ("end", prev, trails, lead)
    found = model.memo.get(key)
    if found is None:
        ys, chars = closing_candidates(trails) if lead is None else lead_candidates(trails, lead)
        best, complete = ranked(model, prev, ys, chars, P.gap_keep)
        if not complete and len(best) < P.gap_keep:
            best = ranked(model, prev, ys, chars, len(chars))[0]
        found = model.memo[key] = tuple(char for _, _, char in best[:P.gap_keep])
        model.remember(prev, ((char, logp) for logp, _, char in best[:P.gap_keep]))  # emitted next
    return found


def interior_ranking(prev: str, trails, model: CharModel) -> Iterator[tuple[float, int, str]]:
    """(log P, x, character) of every character that can stand between two dropped pairs after
    ``prev`` (its lead one of ``trails``), likeliest first (remembered per page model)."""
    return interior_ranking_of(prev, trails, model).read(model)


def interior_ranking_of(prev: str, trails, model: CharModel) -> Ranking:
    """The :class:`Ranking` :func:`interior_ranking` reads (made once per page model)."""
    key = ("interior", prev, trails)
    found = model.memo.get(key)
    if found is None:
        xs, chars = interior_candidates(trails)
        found = Ranking(model, prev, xs, chars, P.interior_head)
        model.memo[key] = found
        model.remember(prev, ((char, logp) for logp, _, char in found.head(P.rival_interiors, model)))  # emitted next
    return found




def ranked(model: CharModel, prev: str, keys, chars, want: int) -> tuple[list[tuple[float, int, str]], bool]:
    """The first entries of ``sorted(zip(model.logps_many(prev, chars), keys, chars), reverse=True)``,
    at least ``want`` of them (all if there are fewer), and whether that is all of the list.

    Only the characters whose probability is within ``P.rank_margin`` of the ``want``-th largest
    (and the marks, scored apart) get their logarithm and are sorted. Every other character's
    probability is lower by more than that share, so its log P (within an ulp of the true
    logarithm) is below ``log(threshold) - P.rank_margin / 2``: the entries at or above that
    bound are the head of the full sorted list, ties and all.
    """
    found = model.probabilities(prev, chars)
    if found is not None and len(chars) - len(found[1]) > want:
        values, special = found
        head = rank_head(values, special, keys, chars, want)
        if head is not None:
            return head, False
    return sorted(zip(model.logps_many(prev, chars), keys, chars, strict=False), reverse=True), True


def rank_head(values: np.ndarray, special: dict[int, float], keys, chars, want: int) -> list[tuple[float, int, str]] | None:
    """:func:`ranked`'s head from the candidates' probabilities (``CharModel.probabilities``): the
    entries at or above the bound, best first; None when nearly every candidate would be worked out
    (the whole list is sorted then). The compiled core's where it is built (:func:`rank_head_py` is
    its reference)."""
    if CORE is not None:
        return CORE.rank_head(values, special, keys, chars, want, P.rank_margin)
    return rank_head_py(values, special, keys, chars, want)


def rank_head_py(values: np.ndarray, special: dict[int, float], keys, chars,
                 want: int) -> list[tuple[float, int, str]] | None:
    """:func:`rank_head` in Python."""
    plain = values.copy()
    if special:
        plain[list(special)] = -1.0  # below every probability: not a plain candidate
    threshold = float(np.partition(plain, len(plain) - want)[len(plain) - want])
    log = math.log
    picked = np.flatnonzero(plain >= threshold * (1 - P.rank_margin)).tolist()
    if len(picked) + len(special) >= len(chars):
        return None
    entries = [(log(v), keys[at], chars[at]) for at, v in zip(picked, values[picked].tolist(), strict=False)]
    entries += [(value, keys[at], chars[at]) for at, value in special.items()]
    entries.sort(reverse=True)
    bound = log(threshold) - P.rank_margin / 2
    head = 0
    while head < len(entries) and entries[head][0] >= bound:
        head += 1
    return entries[:head]


class Ranking:
    """``sorted(zip(model.logps_many(prev, chars), keys, chars), reverse=True)`` as the search reads
    it: the head at once (:func:`ranked`), the whole list only if a reader goes past it.

    It is kept in the model's memo, so it does not hold the model (no reference cycle: a page's
    model goes as soon as the page is done); the reader passes it.
    """

    __slots__ = ("prev", "keys", "chars", "entries", "complete")

    def __init__(self, model: CharModel, prev: str, keys, chars, want: int):
        self.prev, self.keys, self.chars = prev, keys, chars
        self.entries, self.complete = ranked(model, prev, keys, chars, want)

    def head(self, n: int, model: CharModel) -> list[tuple[float, int, str]]:
        if len(self.entries) < n and not self.complete:
            self.whole(model)
        return self.entries[:n]

    def whole(self, model: CharModel) -> None:
        self.entries, self.complete = ranked(model, self.prev, self.keys, self.chars, len(self.chars))

    def read(self, model: CharModel):
        """The entries in order (the whole list is worked out if the reader goes past the head)."""
        k = 0
        while True:
            if k == len(self.entries):
                if self.complete:
                    return
                self.whole(model)
                continue
            yield self.entries[k]
            k += 1


@cache
def closing_candidates(trails: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """(y, character) of ``closing_chars(y)`` for every y of ``trails``, as two tuples."""
    pairs = [(y, char) for y in trails for char in closing_chars(y)]
    return tuple(y for y, _ in pairs), tuple(char for _, char in pairs)


@lru_cache(maxsize=4096)
def lead_candidates(trails: tuple[int, ...], lead: int) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """(y, character (y, lead)) for every y of ``trails`` that makes a GBK character, as two tuples."""
    pairs = [(y, char) for y in trails if (char := char_of(y, lead)) is not None]
    return tuple(y for y, _ in pairs), tuple(char for _, char in pairs)


@cache
def interior_candidates(trails: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """(x, character) of ``interior_chars(y)`` for every y of ``trails``, as two tuples."""
    pairs = [pair for y in trails for pair in interior_chars(y)]
    return tuple(x for x, _ in pairs), tuple(char for _, char in pairs)


@cache
def closing_chars(y: int) -> tuple[str, ...]:
    """Frequent characters and punctuation whose GBK lead byte is ``y``."""
    return tuple(c for c in sorted(frequent_chars(P.closing_common) | set(PUNCTUATION_SHARE))
                 if (pair_of(c) or (0,))[0] == y)


@cache
def interior_chars(y: int) -> tuple[tuple[int, str], ...]:
    """Common characters and punctuation (y, x) that can sit between two dropped pairs (x starts
    the second): a hidden ``，`` (A3AC) is as likely as a hidden character."""
    common = common_chars() | PUNCTUATION_SHARE.keys()
    return tuple((x, c) for x in user_defined_pairs() if (c := char_of(y, x)) is not None and c in common)


def common_chars() -> frozenset[str]:
    """Characters common enough to stand inside a run of dropped pairs."""
    return frequent_chars(P.common)


@lru_cache(maxsize=4)
def frequent_chars(n: int) -> frozenset[str]:
    """The ``n`` most frequent characters of the background model, and their Traditional forms."""
    bg = CharModel().background
    ranked = sorted(bg.unigrams, key=lambda c: -bg.unigrams[c])[:n]
    return frozenset(ranked) | frozenset(traditional_forms(ranked))


def traditional_forms(chars):
    from cleaners.text.simplify import converter

    return converter("s2t.json").convert("".join(chars))


