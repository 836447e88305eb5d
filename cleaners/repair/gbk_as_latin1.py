"""Repair GBK text that was read as Latin-1 or cp1252 (拼音码: ``ÄãºÃ`` for ``你好``).

The mechanism: every byte of a GBK character became one Latin-1 (or cp1252)
character. Run backwards: a run of characters from the upper half of those
code pages is turned back into its bytes and decoded as GBK strictly; the run
is repaired only when that reading is common hanzi and punctuation, two
characters at least, and reads clearly better than the Latin letters did
(French ``déjà`` or German ``Größe`` hold single accented letters between ASCII
ones, which never pair up into common hanzi).

>>> repair_gbk_as_latin1("ÄãºÃ£¬ÊÀ½ç (hello)", CleanConfig()).text
'你好，世界 (hello)'
>>> repair_gbk_as_latin1("Größe, déjà vu", CleanConfig()).text
'Größe, déjà vu'
"""

from __future__ import annotations

import re
from functools import lru_cache

from cleaners.model import CleanConfig, TextChange, frozen_counts
from cleaners.repair.wrong_codec import reads_better

MIN_HANZI = 2


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
def run_pattern() -> re.Pattern[str]:
    chars = "".join(re.escape(c) for c in byte_of())
    return re.compile(f"[{chars}]{{{2 * MIN_HANZI},}}")


def repair_span(span: str) -> str | None:
    """The GBK reading of ``span`` if it is clearly the text that was meant."""
    if len(span) % 2:
        return None
    data = bytes(byte_of()[c] for c in span)
    try:
        reading = data.decode("gbk")
    except UnicodeDecodeError:
        return None
    if len(reading) < MIN_HANZI or not reads_better(span, reading):
        return None
    return reading


def repair_gbk_as_latin1(text: str, config: CleanConfig) -> TextChange:
    """Decode back the runs of GBK bytes that were read as Latin-1/cp1252."""
    if text.isascii():
        return TextChange(text)
    spans = 0
    examples: list[str] = []

    def fix(match: re.Match[str]) -> str:
        nonlocal spans
        reading = repair_span(match.group())
        if reading is None:
            return match.group()
        spans += 1
        if len(examples) < 5:
            examples.append(f"{match.group()} → {reading}")
        return reading

    fixed = run_pattern().sub(fix, text)
    return TextChange(fixed, frozen_counts({"gbk_as_latin1": spans}), tuple(examples))
