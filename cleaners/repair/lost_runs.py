"""Mark the runs that stand for bytes already lost: ``锟斤拷``, ``烫烫烫``, ``屯屯屯``.

``锟斤拷`` is the UTF-8 encoding of two U+FFFD (``EF BF BD EF BF BD``) read as
GBK: an earlier decoder had already replaced two undecodable characters, and
the page only shows its replacement marks in a second wrong encoding. ``烫``
(``CC CC``) and ``屯`` (``CD CD``) are the bytes debug builds of MSVC fill
uninitialised stack and heap memory with: no character stood there. Neither
holds any trace of the lost text, so each becomes U+FFFD and is counted in
``mojibake_chars_lost``: one per character lost (two per ``锟斤拷``, one per
two-byte ``烫``/``屯``). ``烫`` and ``屯`` are words too, so only runs of three or
more are marks of lost memory. A ``锟斤拷`` inside 古文码 (the UTF-8 of the whole
text read as GBK) is left to :mod:`cleaners.repair.utf8_as_gbk`, which reads
its bytes back as the U+FFFD they were, together with the characters around it.

>>> repair_lost_runs("你好锟斤拷锟斤拷世界", CleanConfig()).text
'你好\\ufffd\\ufffd\\ufffd\\ufffd世界'
>>> repair_lost_runs("水很烫，烫烫的", CleanConfig()).text
'水很烫，烫烫的'
"""

from __future__ import annotations

import re

from cleaners.model import CleanConfig, TextChange, frozen_counts
from cleaners.repair.question_marks import repair_question_marks
from cleaners.repair.utf8_as_gbk import repair_utf8_as_gbk
from cleaners.stage import MAX_EXAMPLES

# 锟斤拷 pairs, a trailing 锟 (the first GBK char of a third U+FFFD cut short) included.
KUNJINKAO = re.compile(r"(?:锟斤拷)+锟?")
# Fill bytes of uninitialised memory: three or more in a row.
FILL = re.compile(r"烫{3,}|屯{3,}")


def lost_in(run: str) -> int:
    """How many characters a run of lost-byte marks stands for."""
    if run.startswith("锟"):
        return 2 * run.count("锟斤拷") + (1 if run.endswith("锟") and not run.endswith("锟斤拷") else 0)
    return len(run)


NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def inside_gu_wen_ma(text: str, match: re.Match[str]) -> bool:
    """The run sits in 古文码: its UTF-8 bytes are those of two U+FFFD among others read as GBK,
    and :mod:`cleaners.repair.utf8_as_gbk` reads them back (and counts them) with their neighbours."""
    start, end = match.start(), match.end()
    while start > 0 and not text[start - 1].isascii():
        start -= 1
    while end < len(text) and not text[end].isascii():
        end += 1
    around = text[start:match.start()] + text[match.end():end]
    return len(around) >= 3 and repair_utf8_as_gbk(text[start:end], CleanConfig()).text != text[start:end]


def repair_lost_runs(text: str, config: CleanConfig) -> TextChange:
    """Replace ``锟斤拷``/``烫烫烫``/``屯屯屯`` runs with one U+FFFD per lost character; then
    the ``?`` of 问句码 (:mod:`cleaners.repair.question_marks`)."""
    runs = marked_runs(text)
    if "?" not in runs.text:
        return runs
    marks = repair_question_marks(runs.text, config)
    if marks.text == runs.text:
        return runs
    counts = {k: runs.counts.get(k, 0) + marks.counts.get(k, 0) for k in ("lost_runs_marked", "mojibake_chars_lost")}
    return TextChange(marks.text, frozen_counts(counts), runs.examples + marks.examples)


def marked_runs(text: str) -> TextChange:
    """``锟斤拷``/``烫烫烫``/``屯屯屯`` runs as one U+FFFD per lost character."""
    if "锟斤拷" not in text and "烫烫烫" not in text and "屯屯屯" not in text:
        return TextChange(text)
    runs = 0
    lost = 0
    examples: list[str] = []

    def mark(match: re.Match[str]) -> str:
        nonlocal runs, lost
        if match.group().startswith("锟") and inside_gu_wen_ma(text, match):
            return match.group()
        count = lost_in(match.group())
        runs += 1
        lost += count
        if len(examples) < MAX_EXAMPLES:
            examples.append(f"{match.group()} → {count} × U+FFFD")
        return "\ufffd" * count

    fixed = FILL.sub(mark, KUNJINKAO.sub(mark, text))
    return TextChange(fixed, frozen_counts({"lost_runs_marked": runs, "mojibake_chars_lost": lost}), tuple(examples))
