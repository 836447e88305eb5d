"""Repair UTF-8 text that was read as Latin-1 or cp1252 (符号码: ``ä½ å¥½`` for ``你好``).

ftfy (pinned 6.3.1) knows this mechanism and its lossy variants well, so this
module only limits it to encoding fixes (no HTML unescaping, width, quote or
line-break changes) and applies it line by line, so that a damaged line is
mended on a page whose other lines are clean. A line that reads as GBK (or
Big5) read as Latin-1 is left to :mod:`cleaners.repair.gbk_as_latin1`, the next
stage: ftfy would take some of its pairs for UTF-8 (``Ä¶`` → ``Ķ``). Bytes that ftfy reports lost come
out as U+FFFD and are counted in ``mojibake_chars_lost``.

>>> repair_utf8_as_latin1("你好，世界".encode().decode("cp1252") + "\\nclean 中文", CleanConfig()).text
'你好，世界\\nclean 中文'
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from functools import lru_cache

import ftfy
from ftfy.badness import BADNESS_RE, is_bad

from cleaners.matching.needles import _parser as sre_parse  # the regex parser (private, no stubs), imported once
from cleaners.matching.needles import c as sre
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
    """False only if no line of ``text`` looks bad to ftfy, so that ``fix_encoding`` leaves every line as it is.

    ftfy changes nothing in a line its badness pattern does not match; a match
    inside a line is a match inside the page (one C-level scan of the page instead
    of one per line), but for the anchored alternative, checked at every line start.
    A page without a character of :func:`badness_screen` matches neither (one scan of
    a character class, far cheaper than ftfy's pattern of 37 alternatives).
    """
    if not badness_screen().search(text):
        return False
    return is_bad(text) or LINE_START_BADNESS.search(text) is not None


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
        for alternative in alternatives(sre_parse.parse(pattern.pattern, pattern.flags)):
            required = list(required_classes(alternative))
            if not required:  # an alternative that requires no known character: no screen can be made
                return re.compile("(?s:.)")
            taken |= min(required, key=rarity)
    return re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(taken)) + "]")


def alternatives(parsed) -> list[list]:
    """The top-level alternatives of a parsed pattern, each a list of its items."""
    items = list(parsed.data) if hasattr(parsed, "data") else list(parsed)
    if len(items) == 1 and items[0][0] is sre.BRANCH:
        return [list(branch.data) for branch in items[0][1][1]]
    if len(items) == 1 and items[0][0] is sre.SUBPATTERN:
        return alternatives(items[0][1][3])
    return [items]


def class_chars(item) -> set[int] | None:
    """The characters one item matches, if it is a literal or a plain class (no category, not negated)."""
    op, arg = item
    if op is sre.LITERAL:
        return {arg}
    if op is not sre.IN:
        return None
    chars: set[int] = set()
    for member, value in arg:
        if member is sre.LITERAL:
            chars.add(value)
        elif member is sre.RANGE:
            chars.update(range(value[0], value[1] + 1))
        else:
            return None
    return chars


def required_classes(items: list):
    """The classes of characters a match of the sequence ``items`` must hold one character of, each."""
    for item in items:
        chars = class_chars(item)
        if chars is not None:
            yield chars
        elif item[0] in (sre.MAX_REPEAT, sre.MIN_REPEAT) and item[1][0] >= 1:
            yield from required_classes(list(item[1][2].data))
        elif item[0] is sre.SUBPATTERN:
            inner = alternatives(item[1][3])
            if len(inner) == 1:
                yield from required_classes(inner[0])


def repair_utf8_as_latin1(text: str, config: CleanConfig) -> TextChange:
    """ftfy's ``fix_encoding`` on every line that is not plain ASCII."""
    if text.isascii() or not may_hold_mojibake(text):
        return TextChange(text)
    lines = text.split("\n")
    gbk_lines = repair_gbk_as_latin1(text, config).text.split("\n")  # its stretches never hold a line break
    spans = lost = 0
    examples: list[str] = []
    for i, line in enumerate(lines):
        if line.isascii() or gbk_lines[i] != line:
            continue
        fixed = ftfy.fix_encoding(line, encoding_only())
        if fixed != line:
            spans += 1
            lost += max(0, fixed.count("\ufffd") - line.count("\ufffd"))
            if len(examples) < MAX_EXAMPLES:
                examples.append(f"{line[:40]} → {fixed[:40]}")
            lines[i] = fixed
    return TextChange("\n".join(lines), frozen_counts({"utf8_as_latin1": spans, "mojibake_chars_lost": lost}),
                      tuple(examples))
