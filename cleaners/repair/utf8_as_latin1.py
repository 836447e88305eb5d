"""Repair UTF-8 text that was read as Latin-1 or cp1252 (符号码: ``ä½ å¥½`` for ``你好``).

ftfy (pinned 6.3.1) knows this mechanism and its lossy variants well, so this
module only limits it to encoding fixes (no HTML unescaping, width, quote or
line-break changes) and applies it line by line, so that a damaged line is
mended on a page whose other lines are clean. A line that reads as GBK (or
Big5) read as Latin-1 is left to :mod:`cleaners.repair.gbk_as_latin1`, the next
stage: ftfy would take some of its pairs for UTF-8 (``Ä¶`` → ``Ķ``). Bytes that ftfy reports lost come
out as U+FFFD and are counted in ``mojibake_chars_lost``.

A fix that writes characters of an alphabet foreign to the page (Hebrew, Arabic,
Cyrillic, Greek … that no clean text of the page uses) is refused unless the
round trip proves it: two Latin-1 symbols side by side inside Chinese prose are
often the UTF-8 of one such letter (a mask ``×`` before a quote, ``×“``, is D7 93,
``ד``). It stands when the whole line was single-byte text and reads back into
several different characters (the round trip then covers the line: ``Î²-èƒ¡``,
``ÐŸÑ€Ð¸``); in a line that also holds clean text, the stretch that produced
them is kept as it was.

>>> repair_utf8_as_latin1("你好，世界".encode().decode("cp1252") + "\\nclean 中文", CleanConfig()).text
'你好，世界\\nclean 中文'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set as AbstractSet
from difflib import SequenceMatcher
from functools import lru_cache

import ftfy
from ftfy.badness import BADNESS_RE, is_bad

from cleaners.matching.needles import longest_local_match, required_classes_by_alternative
from cleaners.model import CleanConfig, TextChange, frozen_counts
from cleaners.repair.gbk_as_latin1 import repair_gbk_as_latin1
from cleaners.stage import MAX_EXAMPLES


@lru_cache(maxsize=1)
def encoding_only() -> ftfy.TextFixerConfig:
    return ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_encoding=True, restore_byte_a0=True,
        replace_lossy_sequences=True, decode_inconsistent_utf8=True, fix_c1_controls=False,
        fix_latin_ligatures=False, fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
        fix_surrogates=False, remove_control_chars=False, normalization=None, explain=False,
    )


# ftfy's badness pattern has one anchored alternative (``^[ÃÂ][ ]``): at the start of any line here.
LINE_START_BADNESS = re.compile(r"^[ÃÂ] ", re.MULTILINE)


def may_hold_mojibake(text: str) -> bool:
    """False only if no line of ``text`` looks bad to ftfy, so that ``fix_encoding`` leaves every line as it is
    (the repair asks it of each line).

    ftfy changes nothing in a line its badness pattern does not match; a match
    inside a line is a match inside the page (one C-level scan of the page instead
    of one per line), but for the anchored alternative, checked at every line start.
    A page without a character of :func:`badness_screen` matches neither (one scan of
    a character class, far cheaper than ftfy's pattern of 37 alternatives).
    """
    if not badness_screen().search(text):
        return False
    return looks_bad_near_screen(text) or LINE_START_BADNESS.search(text) is not None


# Beyond this many characters of the screen on a page, one search of the whole page is cheaper than
# one per neighbourhood (a Greek or Cyrillic page holds a screen character in every word).
MAX_NEIGHBOURHOODS = 64


def looks_bad_near_screen(text: str) -> bool:
    """``is_bad(text)``, searched only around the characters of :func:`badness_screen`.

    Every match of ftfy's badness pattern holds one of them and is at most
    :func:`badness_reach` characters long, without looking outside itself, so it
    lies in the neighbourhood of ``reach - 1`` characters either side of one of
    them (its one anchored alternative only adds matches at a neighbourhood's
    start: the answer may be True where ``is_bad`` is not, never the reverse).
    A page with a mask ``×`` here and there is then read a few characters around
    each instead of through its whole length (``tests/test_clean_page_gates.py``).
    """
    reach = badness_reach()
    if reach is None:
        return is_bad(text)
    start = end = -1
    for count, hit in enumerate(badness_screen().finditer(text)):
        if count == MAX_NEIGHBOURHOODS:
            return is_bad(text[start:]) if start >= 0 else is_bad(text)
        at = hit.start()
        if end < 0 or at - reach >= end:  # apart from the neighbourhood so far: search it, start another
            if end >= 0 and is_bad(text[start:end]):
                return True
            start = max(0, at - reach + 1)
        end = at + reach
    return end >= 0 and is_bad(text[start:end])


@lru_cache(maxsize=1)
def badness_reach() -> int | None:
    """The longest match of ftfy's badness pattern (None if it were unbounded or looked around itself)."""
    return longest_local_match(BADNESS_RE)


# Characters that Chinese prose holds often (ASCII, the quotes, dashes, bullets and ellipsis of General
# Punctuation), then now and then (the mask ×, ·, °): a screen avoids them where an alternative of the
# badness pattern offers a rarer class to require.
COMMON_IN_PROSE = frozenset(range(0x80)) | frozenset(range(0x2000, 0x2070))
SOMETIMES_IN_PROSE = frozenset(map(ord, "×·°"))


def rarity(chars: AbstractSet[int]) -> tuple[int, int, int]:
    """How often prose would hit a class: its common characters, its occasional ones, its size."""
    return len(chars & COMMON_IN_PROSE), len(chars & SOMETIMES_IN_PROSE), len(chars)


@lru_cache(maxsize=1)
def badness_screen() -> re.Pattern[str]:
    """A character class that every match of ftfy's badness pattern, and of ``LINE_START_BADNESS``, holds one of.

    Made from the patterns themselves (parsed): each alternative requires some
    characters in turn, each from a class (or one literal); one of its required
    classes is taken (the one with the fewest characters common in prose, then the
    smallest), and the screen is the union of the classes taken. A text without any
    of its characters cannot match (``tests/test_clean_page_gates.py``).
    """
    taken: set[int] = set()
    for pattern in (BADNESS_RE, LINE_START_BADNESS):
        for required in required_classes_by_alternative(pattern):
            if not required:  # an alternative that requires no known character: no screen can be made
                return re.compile("(?s:.)")
            taken |= min(required, key=rarity)
    return re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(taken)) + "]")


# Blocks of the alphabets a Chinese page does not write in (Greek to Mongolian, Greek Extended, Yi to
# Cyrillic Extended-B and the scripts after it), but Hangul Jamo; Latin, CJK, kana, Hangul are native. The
# Private Use Area is foreign too: a fix that writes one of its characters reads a stretch of symbols as
# the UTF-8 of nothing a reader can see (``ī¯¯`` through cp1257 is EE 9D 9D, U+E75D).
FOREIGN_BLOCKS = ((0x0370, 0x1100), (0x1200, 0x1E00), (0x1F00, 0x2000), (0xA000, 0xA700), (0xA800, 0xAC00),
                  (0xE000, 0xF900))
PRIVATE_USE = range(0xE000, 0xF900)
# A line read back whole into that many different characters is no chance pair of symbols (those make one).
MIN_DECODED_CHARS = 3
# The 27 characters cp1252 writes for bytes 80-9F, outside Latin-1.
CP1252_ABOVE_LATIN1 = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", "ignore"))


@lru_cache(maxsize=4096)
def foreign_script(char: str) -> str | None:
    """The alphabet ``char`` belongs to (the first word of its Unicode name) if it is foreign to Chinese pages."""
    code = ord(char)
    if not any(low <= code < high for low, high in FOREIGN_BLOCKS):
        return None
    if code in PRIVATE_USE:
        return "PRIVATE-USE"
    return unicodedata.name(char, "UNNAMED").split(" ", 1)[0]


def scripts_on_page(text: str) -> frozenset[str | None]:
    """The foreign alphabets the clean text of a page already uses."""
    return frozenset(script for char in set(text) if (script := foreign_script(char))) | {None}


def is_single_byte_text(line: str) -> bool:
    """Every character of ``line`` is one byte read as Latin-1 or cp1252: a line a wrong decoder may have made whole."""
    return all(char < "\u0100" or char in CP1252_ABOVE_LATIN1 for char in line)


def decodes_enough(fixed: str) -> bool:
    """The fix of a whole line wrote several different characters: more than one chance pair of symbols makes."""
    return len({char for char in fixed if not char.isascii() and char != "\ufffd"}) >= MIN_DECODED_CHARS


def writes_foreign(piece: str, page_scripts: frozenset[str | None]) -> bool:
    """``piece`` holds a character of an alphabet foreign to the page."""
    return any(foreign_script(char) not in page_scripts for char in piece)


def read_as_western(stretch: str) -> bool:
    """Every character of ``stretch`` is one a Latin-1 or cp1252 decoder writes, or a byte it lost (U+FFFD)."""
    return all(char < "\u0100" or char in CP1252_ABOVE_LATIN1 or char == "\ufffd" for char in stretch)


def proven_stretch(source: str, fix: str, page_scripts: frozenset[str | None]) -> bool:
    """The fix of one stretch of a line is this module's mechanism: it reads Latin-1 or cp1252 characters
    (ftfy also tries Baltic, Central European, Cyrillic … codecs, whose letters are pinyin's here: ``ī¯¯``
    through cp1257 is EE 9D 9D) and writes no letter of an alphabet the page does not prove."""
    return read_as_western(source) and not writes_foreign(fix, page_scripts)


def keep_unproven_stretches(line: str, fixed: str, page_scripts: frozenset[str | None]) -> str:
    """``fixed``, but for the stretches of ``line`` whose fix :func:`proven_stretch` does not prove.

    A line that was single-byte text throughout and reads back into several
    characters is proven whole: the round trip covers it.
    """
    if is_single_byte_text(line) and decodes_enough(fixed):
        return fixed
    if read_as_western(line) and not writes_foreign(fixed, page_scripts):
        return fixed
    pieces = []
    for _op, i1, i2, j1, j2 in SequenceMatcher(None, line, fixed, autojunk=False).get_opcodes():
        source, fix = line[i1:i2], fixed[j1:j2]
        pieces.append(fix if source == fix or proven_stretch(source, fix, page_scripts) else source)
    return "".join(pieces)


def repair_utf8_as_latin1(text: str, config: CleanConfig) -> TextChange:
    """ftfy's ``fix_encoding`` on every line that is not plain ASCII.

    ftfy leaves a line its badness pattern does not match as it is, so each line is first screened
    (:func:`may_hold_mojibake`: a page of misaligned GBK has pinyin letters of the screen in most lines,
    and ftfy's pattern is then searched only around them), and only the lines that pass go through ftfy.
    """
    if text.isascii() or not badness_screen().search(text):
        return TextChange(text)
    lines = text.split("\n")
    gbk_lines: list[str] | None = None
    spans = lost = 0
    page_scripts: frozenset[str | None] | None = None
    examples: list[str] = []
    for i, line in enumerate(lines):
        if line.isascii() or not may_hold_mojibake(line):
            continue
        if gbk_lines is None:  # its stretches never hold a line break
            gbk_lines = repair_gbk_as_latin1(text, config).text.split("\n")
        if gbk_lines[i] != line:
            continue
        fixed = ftfy.fix_encoding(line, encoding_only())
        if fixed != line:
            page_scripts = scripts_on_page(text) if page_scripts is None else page_scripts
            fixed = keep_unproven_stretches(line, fixed, page_scripts)
        if fixed != line:
            spans += 1
            lost += max(0, fixed.count("\ufffd") - line.count("\ufffd"))
            if len(examples) < MAX_EXAMPLES:
                examples.append(f"{line[:40]} → {fixed[:40]}")
            lines[i] = fixed
    return TextChange("\n".join(lines), frozen_counts({"utf8_as_latin1": spans, "mojibake_chars_lost": lost}),
                      tuple(examples))
