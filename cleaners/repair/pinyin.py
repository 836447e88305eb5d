"""Remove inline pinyin annotations ``學(xué)`` (ARTIFACTS §1).

A site appended one fixed reading per listed character. The page's own
annotations tell which characters and readings (:func:`learn_dictionary`); an
annotation goes when it follows its character with exactly the learned reading,
or, for a character the page never annotated twice, when the reading carries a
tone mark and pypinyin lists it for that character (``data/readings.txt``).
Anything else in brackets stays: ``(个人)``, ``(b型)``, ``(CEO)``, ``(2023)``,
``(一)`` … never match, since a reading must be pinyin of the very character
before it.

An annotation can also follow an ASCII letter, when the listed character's
code straddled the character before and the letter (``時候,F(xiàn)TP``, where
``，F`` = AC 46 = 現); it goes when that straddling pair reads so.

Runs after the mojibake repair, which puts displaced annotations back behind
their characters.

>>> remove_pinyin("學(xué)習(xí)啦>實用范文(模板11篇)", CleanConfig()).text
'學習啦>實用范文(模板11篇)'
"""

from __future__ import annotations

import re
from itertools import islice

from cleaners.model import CleanConfig, TextChange, frozen_counts
from cleaners.repair.annotation import ANNOTATION, PINYIN, has_tone_mark, is_reading_of, learn_from_pairs
from cleaners.repair.gbk import char_of, pair_of

# An annotation after an ASCII letter: the inserter matched the trail byte of the
# character before plus that letter (，F = AC 46 = 現 → ``,F(xiàn)TP``).
ANY_READING = re.compile(rf"\([{PINYIN}]{{1,7}}\)")
ASCII_ANNOTATION = re.compile(rf"(?<=(.))([\x40-\x7e])\(([{PINYIN}]{{1,7}})\)")
# What every ASCII_ANNOTATION match contains, without the lookbehind that makes
# the engine stop at every position: where this finds nothing, so does it.
ASCII_ANNOTATION_SCREEN = re.compile(rf"[\x40-\x7e]\([{PINYIN}]{{1,7}}\)")


def remove_pinyin(text: str, config: CleanConfig) -> TextChange:
    """Drop every annotation ``(reading)`` that reads the character before it."""
    if "(" not in text or not ANY_READING.search(text):
        return TextChange(text)
    # [text, char, reading, text, char, reading, …, text]: every annotation, split out in C
    parts = ANNOTATION.split(text)
    pairs = list(zip(parts[1::3], parts[2::3], strict=False))
    dictionary = learn_from_pairs(pairs)
    dropped = {pair: is_annotation(*pair, dictionary) for pair in set(pairs)}
    examples = [f"{char}({reading}) → {char}" for char, reading in islice(filter(dropped.get, pairs), 3)]
    removed = sum(map(dropped.__getitem__, pairs))
    if removed:
        parts[2::3] = ["" if dropped[pair] else f"({pair[1]})" for pair in pairs]
        fixed = "".join(parts)
    else:
        fixed = text

    def drop_straddling(match) -> str:
        nonlocal removed
        before, letter, reading = match.groups()
        pair = pair_of(before)
        char = char_of(pair[1], ord(letter)) if pair else None
        if char is not None and is_annotation(char, reading, dictionary):
            removed += 1
            return letter
        return match.group(0)

    if ASCII_ANNOTATION_SCREEN.search(fixed):
        fixed = ASCII_ANNOTATION.sub(drop_straddling, fixed)
    return TextChange(fixed, frozen_counts({"pinyin_removed": removed}), tuple(examples))


def is_annotation(char: str, reading: str, dictionary: dict[str, str]) -> bool:
    """The page's reading of ``char``, or a tone-marked reading pypinyin gives for it.

    >>> is_annotation("人", "rén", {}), is_annotation("型", "b", {}), is_annotation("學", "xué", {"學": "xué"})
    (True, False, True)
    """
    learned = dictionary.get(char)
    if learned is not None:
        return reading == learned
    return has_tone_mark(reading) and is_reading_of(char, reading)
