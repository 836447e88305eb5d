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

from cleaners.chinese import HAN_UNIFIED
from cleaners.matching.fold import fold
from cleaners.model import CleanConfig, Page, StageReport, frozen_counts

GRAM = 8
CONTAINED = 0.9
NOT_TEXT = re.compile(f"[^0-9A-Za-z{HAN_UNIFIED}]")


def grams(text: str) -> set[str]:
    letters = NOT_TEXT.sub("", fold(text))
    return {letters[i:i + GRAM] for i in range(len(letters) - GRAM + 1)}


def containment(part: set[str], other: set[str]) -> float:
    """Share of ``part``'s 8-grams that ``other`` holds."""
    return len(part & other) / len(part) if part else 0.0


def copied_from(shingles: list[set[str]]) -> list[int | None]:
    """For each part, the index of the longer part it copies, or None."""
    found: list[int | None] = []
    for i, mine in enumerate(shingles):
        candidates = [(containment(mine, other), j) for j, other in enumerate(shingles)
                      if j != i and len(other) > len(mine)]
        best = max(candidates, default=(0.0, None))
        found.append(best[1] if best[0] >= CONTAINED else None)
    return found


def mark_duplicate_parts(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """Set ``duplicate_of`` on the parts of a collection that copy a longer part."""
    if len(page.articles) < 2:
        return page, StageReport("mark_duplicate_parts")
    originals = copied_from([grams(a.text) for a in page.articles])
    articles = tuple(replace(a, duplicate_of=o) for a, o in zip(page.articles, originals, strict=False))
    marked = [(i, o) for i, o in enumerate(originals) if o is not None]
    report = StageReport("mark_duplicate_parts", frozen_counts({"duplicate_parts": len(marked)}),
                         tuple(f"part {i + 1} copies part {o + 1}" for i, o in marked))
    return replace(page, articles=articles), report
