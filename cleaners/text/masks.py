"""Stage ``count_masks``: placeholders for masked words are counted, never changed.

Template and de-identified pages hide names, numbers and terms behind masks
(ARTIFACTS §7): ``**`` (``慰问金**万余元``), ``_``/``__`` (``聚焦新就业形态_``),
``xx`` (``黨的xx屆``, ``20xx年``), ``×`` (``市委×屆×次全會``) and empty quotes
(``是“”的開局之年``). The text keeps them as they are; each run counts once in
``redactions``, which becomes the record's ``redactions`` column.

Not masks: ``_`` inside an identifier (``foo_bar``), ``xx`` inside a Latin
word, ``×`` between digits (``3×4``).
"""

from __future__ import annotations

import re

from cleaners.matching.fold import fold
from cleaners.model import CleanConfig, TextChange, frozen_counts
from cleaners.stage import MAX_EXAMPLES

# \*{2,} | _+ | [xX]{2,} | ×+ | “” | ‘’ | 「」 | 『』, each alternative written to start with a
# literal character, so that the engine skips straight to the characters that can start a mask.
MASK = re.compile(r"\*\*+|__*|x[xX]+|X[xX]+|××*|“”|‘’|「」|『』")


def is_mask(text: str, match: re.Match[str]) -> bool:
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    token = match.group()
    if token[0] == "_":
        return not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum())
    if token[0] in "xX":
        return not ((before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()))
    if token[0] == "×":
        return not (before.isdigit() and after.isdigit())
    return True


def count_masks(text: str, config: CleanConfig) -> TextChange:
    """Count the masks of ``text``; the text is returned unchanged.

    >>> count_masks("黨的xx屆六中全會,慰问金**万余元,以_為指導,是“”的開局之年,3×4,foo_bar", CleanConfig()).counts
    mappingproxy({'redactions': 4})
    """
    folded = fold(text)
    found = [m for m in MASK.finditer(folded) if is_mask(folded, m)]
    examples = tuple(f"{text[max(0, m.start() - 4):m.end() + 4]}" for m in found[:MAX_EXAMPLES])
    return TextChange(text, frozen_counts({"redactions": len(found)}), examples)
