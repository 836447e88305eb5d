"""The marks and contexts the repair reads: what a lost character is written as, the
regular expressions that find a span, and the few characters either side of it."""

from __future__ import annotations

import re

from cleaners.repair.annotation import (
    ANNOTATION,
    PINYIN,
    has_tone_mark,
    readings_of,
    strip_annotations,
)
from cleaners.repair.charlm import PUNCTUATION_SHARE
from cleaners.repair.gbk import (
    HALF_TO_FULL,
)

LOST = "\ufffd"
IN_RUN_ANNOTATION = re.compile(rf"\(([{PINYIN}]{{1,7}})\)")
# A ``?`` that may open a span: an orphan annotation follows (T1), or an A3xx pair (T2).
# The pair's second byte is the next character's lead byte, so not ``(`` ``)`` (A3A8, A3A9):
# rows A8/A9 hold pinyin letters, bopomofo and box drawing, which prose does not write
# (``什麼呢?(優(yōu)質25篇)`` is a question before a parenthesis).
SPAN_OPENING = re.compile(rf"\?(?:[{PINYIN}]{{1,7}}\)|[!?;:,\uff01-\uff07\uff0a-\uff5e])")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
FULL_WIDTH = str.maketrans(HALF_TO_FULL)
GUESSED, HIDDEN = 1, 2  # a character one of whose bytes was chosen; one none of whose bytes is on the page


def document_text(text: str) -> str:
    """The page as evidence: annotations out, half-width punctuation full-width."""
    text = strip_annotations(text)
    return text.translate(FULL_WIDTH)



def left_context(line: str, i: int) -> str:
    """The three characters before position ``i``, annotations removed."""
    return strip_annotations(line[max(0, i - 40):i])[-3:]


def previous_char(line: str, i: int) -> str | None:
    """The character before position ``i``, looking through its annotation ``X(py)``."""
    if i > 0 and line[i - 1] == ")":
        open_at = line.rfind("(", max(0, i - 10), i)
        if open_at > 0 and ANNOTATION.fullmatch(line, open_at - 1, i):
            return line[open_at - 1]
    return line[i - 1] if i > 0 else None



def annotates(char: str | None, reading: str, dictionary) -> bool:
    """Would the site have annotated ``char`` with ``reading``?"""
    if char is None:
        return False
    if char in dictionary:
        return dictionary[char] == reading
    return has_tone_mark(reading) and reading in readings_of(char)



def is_punctuation(char: str) -> bool:
    """A mark the character model knows (full-width)."""
    return char in PUNCTUATION_SHARE


