"""Stage ``mark_duplicate_parts``: a part of a collection that copies another part says so.

Collections of model texts repeat themselves (ARTIFACTS §5): in page 002 the
speech S5 is a de-identified copy of S7 (天门 deleted everywhere) and S3 is six
of the eleven paragraphs of S8. Such a part keeps its record, and its
``duplicate_of`` names the part it copies, so that a reader can keep one copy.

A part copies another when at least 90 % of its character 8-grams (hanzi,
letters and digits; punctuation and script ignored) occur in the other part,
and the other part is the longer one: the fuller, named original is the one
to keep. Counts: ``duplicate_parts``.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from cleaners.chinese import HAN_UNIFIED
from cleaners.codepoints import code_points
from cleaners.matching.fold import fold
from cleaners.model import CleanConfig, Page, StageReport, frozen_counts

GRAM = 8
CONTAINED = 0.9
NOT_TEXT = re.compile(f"[^0-9A-Za-z{HAN_UNIFIED}]")


def letters_of(text: str) -> str:
    """What the 8-grams are taken from: hanzi, letters and digits of the folded text."""
    return NOT_TEXT.sub("", fold(text))


def grams(text: str) -> set[str]:
    letters = letters_of(text)
    return {letters[i:i + GRAM] for i in range(len(letters) - GRAM + 1)}


def containment(part: set[str], other: set[str]) -> float:
    """Share of ``part``'s 8-grams that ``other`` holds."""
    return len(part & other) / len(part) if part else 0.0


def copied_from(shingles: list[set[str]]) -> list[int | None]:
    """For each part, the index of the longer part it copies, or None."""
    sizes = [len(mine) for mine in shingles]
    return copied_by_counts(sizes, [[len(mine & other) for other in shingles] for mine in shingles])


def copied_by_counts(sizes: list[int], shared: list[list[int]]) -> list[int | None]:
    """:func:`copied_from`, from each part's number of distinct 8-grams and the number each pair shares."""
    found: list[int | None] = []
    for i, size in enumerate(sizes):
        candidates = [(shared[i][j] / size if size else 0.0, j) for j, other in enumerate(sizes)
                      if j != i and other > size]
        best = max(candidates, default=(0.0, None))
        found.append(best[1] if best[0] >= CONTAINED else None)
    return found


WIDE = 1 << 16  # code points below it fit 16 bits: an 8-gram is two 64-bit keys, exactly


def copied_parts(texts: list[str]) -> list[int | None]:
    """:func:`copied_from` of the texts' 8-gram sets, counted in numpy: each part's 8-grams as two exact 64-bit
    keys, numbered across the page, then one part-by-gram matrix whose product with itself counts what each pair
    shares. A page whose letters reach past U+FFFF is counted with the sets themselves."""
    codes = [code_points(letters_of(text)) for text in texts]
    if any(len(c) and int(c.max()) >= WIDE for c in codes):
        return copied_from([grams(text) for text in texts])
    keys = [gram_keys(c.astype(np.uint64)) for c in codes]
    owner = np.repeat(np.arange(len(texts)), [len(first) for first, _ in keys])
    first = np.concatenate([k[0] for k in keys])
    second = np.concatenate([k[1] for k in keys])
    gram = gram_numbers(first, second)
    present = np.zeros((len(texts), int(gram.max()) + 1 if len(gram) else 0))
    present[owner, gram] = 1.0
    shared = (present @ present.T).round().astype(np.int64)  # exact: sums of ones, far below 2**53
    return copied_by_counts([int(n) for n in np.diag(shared)], shared.tolist())


def gram_keys(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each 8-gram of 16-bit code points as two keys: its first four code points and its last four."""
    positions = max(0, len(codes) - GRAM + 1)
    halves = []
    for start in (0, GRAM // 2):
        key = np.zeros(positions, dtype=np.uint64)
        for offset in range(start, start + GRAM // 2):
            key <<= np.uint64(16)
            key |= codes[offset:offset + positions]
        halves.append(key)
    return halves[0], halves[1]


def gram_numbers(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """A number for each (first, second) key pair: equal pairs, equal numbers; different pairs, different ones.

    Sorted by one 64-bit mix of the pair; two different pairs that share a mix (never seen) are sorted by the
    pairs themselves."""
    mixed = first * MIX
    mixed ^= second
    order = np.argsort(mixed)
    in_order = mixed[order]
    same = in_order[1:] == in_order[:-1]
    if same.any():
        pairs = np.flatnonzero(same)
        if not (np.array_equal(first[order[pairs]], first[order[pairs + 1]])
                and np.array_equal(second[order[pairs]], second[order[pairs + 1]])):
            order = np.lexsort((second, first))
            same = (first[order][1:] == first[order][:-1]) & (second[order][1:] == second[order][:-1])
    return numbered(order, same)


def numbered(order: np.ndarray, same: np.ndarray) -> np.ndarray:
    """Numbers for sorted items (``order``), a new one where an item differs from the one before (``~same``)."""
    new = np.ones(len(order), dtype=bool)
    new[1:] = ~same
    numbers = np.empty(len(order), dtype=np.int64)
    numbers[order] = np.cumsum(new) - 1
    return numbers


MIX = np.uint64(0x9E3779B97F4A7C15)


def mark_duplicate_parts(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """Set ``duplicate_of`` on the parts of a collection that copy a longer part."""
    if len(page.articles) < 2:
        return page, StageReport("mark_duplicate_parts")
    originals = copied_parts([a.text for a in page.articles])
    articles = tuple(replace(a, duplicate_of=o) for a, o in zip(page.articles, originals, strict=False))
    marked = [(i, o) for i, o in enumerate(originals) if o is not None]
    report = StageReport("mark_duplicate_parts", frozen_counts({"duplicate_parts": len(marked)}),
                         tuple(f"part {i + 1} copies part {o + 1}" for i, o in marked))
    return replace(page, articles=articles), report
