"""Repair GBK (or Big5) text that was read as Latin-1 or cp1252 (拼音码: ``ÄãºÃ`` for ``你好``).

The mechanism: every byte of a GBK character became one Latin-1 (or cp1252)
character. A lead byte is always in the upper half; the trail byte is too for
the GB2312 characters, but Traditional characters and Big5 text often have an
ASCII trail (``這`` is ``DF 40``, read ``ß@``). Run backwards: the text is read
as a GBK decoder reads bytes (an upper-half character takes the next one as its
trail, ASCII stands alone), and each stretch of such pairs, ASCII between
them, is decoded strictly as GBK and as Big5. A stretch is repaired when its
reading is common hanzi and punctuation and reads clearly better than the
Latin letters did, and not better as UTF-8 (that is 符号码, for ftfy).

A page shows its damage in its long stretches first: one of four characters at
least. Once it has, the short stretches of the page (one character between
ASCII words, ``±¾ FAQ`` for ``本 FAQ``) are read the same way. French ``déjà``
or German ``Größe`` hold single accented letters between ASCII ones, which
never make a long stretch of common hanzi.

>>> repair_gbk_as_latin1("ÄãºÃ£¬ÊÀ½ç (hello)", CleanConfig()).text
'你好，世界 (hello)'
>>> repair_gbk_as_latin1("Größe, déjà vu", CleanConfig()).text
'Größe, déjà vu'
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from cleaners.model import CleanConfig, TextChange, frozen_counts
from cleaners.repair.wrong_codec import common_share, reads_better
from cleaners.stage import MAX_EXAMPLES

MIN_HANZI = 4  # characters of the stretch that shows a page's damage
SYMBOL_RUN_SHARE = 0.5  # of a stretch's upper-half characters beside themselves: typography, not GBK
CODECS = ("gbk", "big5")


@lru_cache(maxsize=1)
def byte_of() -> dict[str, int]:
    """The byte each upper-half Latin-1 or cp1252 character stands for."""
    table = {chr(b): b for b in range(0x80, 0x100)}
    for b in range(0x80, 0xA0):
        try:
            table[bytes((b,)).decode("cp1252")] = b
        except UnicodeDecodeError:
            pass
    return table


@lru_cache(maxsize=1)
def stretch_pattern() -> re.Pattern[str]:
    """Pairs (an upper-half character and its trail, upper-half or ``@``–``~``) with ASCII between them."""
    upper = "".join(re.escape(c) for c in byte_of())
    pair = f"[{upper}][{upper}@-~]"
    return re.compile(f"{pair}(?:{pair}|[ -~])*")


def pairs_end(stretch: str) -> int:
    """Where the last pair of ``stretch`` ends (the ASCII after it is not part of the damage)."""
    at = end = 0
    table = byte_of()
    while at < len(stretch):
        if stretch[at] in table:
            at += 2
            end = at
        else:
            at += 1
    return end


def reading_of(span: str) -> str | None:
    """The best strict GBK or Big5 reading of ``span``'s bytes, or None."""
    table = byte_of()
    data = bytes(table.get(c, ord(c)) for c in span)
    readings = []
    for codec in CODECS:
        try:
            readings.append(data.decode(codec))
        except UnicodeDecodeError:
            continue
    if not readings:
        return None
    best = max(readings, key=common_share)  # the first (GBK) on a tie
    utf8 = utf8_reading(data)
    if utf8 and common_share(utf8) >= common_share(best):
        return None  # UTF-8 read as Latin-1: ftfy's repair
    return best


def utf8_reading(data: bytes) -> str | None:
    """``data`` as UTF-8, a character cut short at the end allowed (a stretch ends where its pairs do,
    which may be inside the last character: ``æ\xa0¸ä»¥å¤`` is 核以 and the first bytes of 外), or None."""
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return None


def could_show_damage(span: str, min_hanzi: int) -> bool:
    """Whether :func:`repair_span` can read ``span`` with ``min_hanzi`` wide characters: each of them
    takes an upper-half byte, so the span needs as many non-ASCII characters (a pinyin syllable's
    ``án`` has one; the stretches of an undamaged page are mostly such)."""
    return len(span) - len(span.encode("ascii", "ignore")) >= min_hanzi


def is_symbol_run(text: str, start: int, end: int) -> bool:
    """Most upper-half characters of ``text[start:end]`` stand beside themselves (``××××`` masks, a ``¯¯¯¯``
    rule, ``×××¯¯``, a quote before ``········``): typography, though such bytes pair up into hanzi (D7 D7
    is GBK 鬃). GBK text read as Latin-1 repeats a byte beside itself now and then, not for most of them."""
    upper = [at for at in range(start, end) if not text[at].isascii()]
    repeated = sum(text[at - 1: at] == text[at] or text[at + 1: at + 2] == text[at] for at in upper)
    return repeated > SYMBOL_RUN_SHARE * len(upper)


def repair_span(span: str, min_hanzi: int) -> str | None:
    """The GBK/Big5 reading of ``span`` if it is clearly the text that was meant."""
    reading = reading_of(span)
    if reading is None:
        return None
    wide = sum(not c.isascii() for c in reading)
    if wide < min_hanzi or not reads_better(span, reading):
        return None
    return reading


def repair_gbk_as_latin1(text: str, config: CleanConfig) -> TextChange:
    """Decode back the stretches of GBK/Big5 bytes that were read as Latin-1/cp1252."""
    if text.isascii():
        return TextChange(text)
    stretches = [m for m in stretch_pattern().finditer(text)
                 if not is_symbol_run(text, m.start(), m.start() + pairs_end(m.group()))]
    if not any(repair_span(span, MIN_HANZI) for m in stretches
               if could_show_damage(span := m.group()[: pairs_end(m.group())], MIN_HANZI)):
        return TextChange(text)
    spans = last = 0
    pieces: list[str] = []
    examples: list[str] = []
    for match in stretches:
        span = match.group()[: pairs_end(match.group())]
        reading = repair_span(span, 1)
        if reading is None:
            continue
        pieces.append(text[last: match.start()])
        pieces.append(reading)
        last = match.start() + len(span)
        spans += 1
        if len(examples) < MAX_EXAMPLES:
            examples.append(f"{span[:20]} → {reading[:10]}")
    pieces.append(text[last:])
    return TextChange("".join(pieces), frozen_counts({"gbk_as_latin1": spans}), tuple(examples))
