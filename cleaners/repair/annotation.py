"""Inline pinyin annotations ``學(xué)``: what they look like and which readings a character has.

Shared by the mojibake repair (an orphan annotation names the character that
triggered a span) and the pinyin removal. Readings come from pypinyin's
character table, shipped as ``data/readings.txt`` (built by
``scripts/build_readings.py``: pypinyin itself is not imported at run time);
the page's own annotations, which are consistent within a page (ARTIFACTS
§1.1), are learned by :func:`learn_dictionary`.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

from cleaners.chinese import HAN

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
PINYIN = f"a-zü{TONED}"
# A Chinese character, then a reading in brackets.
ANNOTATION = re.compile(rf"([{HAN}])\(([{PINYIN}]{{1,7}})\)")
# The reading of an annotation alone, behind its character: deleting these is ``ANNOTATION.sub(r"\1", text)``
# (a match ends with ``)``, so the character before a reading is never part of an earlier match),
# with no Python call per match.
ANNOTATION_READING = re.compile(rf"(?<=[{HAN}])\(([{PINYIN}]{{1,7}})\)")
# A reading and its closing bracket without the opening one (the decoder swallowed it).
ORPHAN = re.compile(rf"([{PINYIN}]{{1,7}})\)")
TONE_MARK = re.compile(f"[{TONED}]")
# Share of a character's annotations that must agree before its reading is learned.
AGREEMENT = 0.9


def strip_annotations(text: str) -> str:
    """``text`` without its annotations' readings: ``學(xué)`` becomes ``學``."""
    return ANNOTATION_READING.sub("", text)


def has_tone_mark(reading: str) -> bool:
    return bool(TONE_MARK.search(reading))


@lru_cache(maxsize=1)
def _readings_table() -> tuple[array, tuple[tuple[str, ...], ...]]:
    """(code point of the BMP → number of its reading list; the distinct reading lists, ``()`` first).

    About 0.5 MB in all: 26,775 characters share 7,533 lists of 1,512 syllables.
    """
    index = array("H", bytes(2 * 0x10000))
    numbers: dict[str, int] = {"": 0}
    with resources.files("cleaners").joinpath("data/readings.txt").open(encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#"):
                char, readings = line.rstrip("\n").split("\t")
                index[ord(char)] = numbers.setdefault(readings, len(numbers))
    lists = tuple(tuple(map(sys.intern, readings.split(","))) if readings else () for readings in numbers)
    return index, lists


def readings_of(char: str) -> tuple[str, ...]:
    """The tone-marked readings pypinyin knows for ``char``, the default first.

    >>> readings_of("學")
    ('xué', 'huá', 'jiào')
    """
    code = ord(char)
    if code > 0xFFFF:  # the table holds no character beyond the BMP (scripts/build_readings.py)
        return ()
    index, lists = _readings_table()
    return lists[index[code]]


def is_reading_of(char: str, reading: str) -> bool:
    return reading in readings_of(char)


def learn_dictionary(text: str) -> dict[str, str]:
    """The page's annotated characters and their readings, where the page agrees with itself.

    >>> learn_dictionary("學(xué)習(xí)，學(xué)生")
    {'學': 'xué', '習': 'xí'}
    """
    return learn_from_pairs(ANNOTATION.findall(text))


def learn_from_pairs(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """:func:`learn_dictionary` from the (character, reading) of each annotation, in page order."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    # each distinct pair judged once; Counter keeps first-occurrence order, so the order of
    # ``seen`` and of its readings (which decides ties) is the page's
    for (char, reading), n in Counter(pairs).items():
        if is_reading_of(char, reading):
            seen[char][reading] += n
    learned = {}
    for char, readings in seen.items():
        reading, n = readings.most_common(1)[0]
        if n >= AGREEMENT * sum(readings.values()):
            learned[char] = reading
    return learned


def chars_read_as(reading: str, dictionary: Mapping[str, str], candidates: list[str]) -> list[str]:
    """Of ``candidates``, those the page's dictionary reads as ``reading``; else those whose
    default reading is ``reading``; else those with ``reading`` among their readings."""
    for test in (lambda c: dictionary.get(c) == reading,
                 lambda c: readings_of(c)[:1] == (reading,),
                 lambda c: reading in readings_of(c)):
        found = [c for c in candidates if test(c)]
        if found:
            return found
    return []
