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
from functools import lru_cache

import ftfy
from ftfy.badness import is_bad

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
    """
    return is_bad(text) or LINE_START_BADNESS.search(text) is not None


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
