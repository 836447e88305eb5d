"""Repair UTF-8 text that was read as GBK (古文码: ``浣犲ソ`` for ``你好``).

The mechanism: the UTF-8 bytes of a hanzi (three each) were paired two by two
as GBK characters. Run backwards: a run of non-ASCII characters is encoded
back to GBK and the longest stretches that decode strictly as UTF-8 are
candidates; a stretch is repaired only when its UTF-8 reading is common hanzi
and punctuation and reads clearly better than the GBK one (clean Chinese text
almost never forms valid UTF-8 when encoded as GBK, and when it does, it reads
as rare characters). Where the byte count was odd, the last byte met an ASCII
byte that no GBK pair admits and the decoder wrote ``?`` or U+FFFD: that
character's last byte is lost, and it is marked U+FFFD (counted in
``mojibake_chars_lost``), never guessed.

>>> repair_utf8_as_gbk("他说：浣犲ソ涓栫晫", CleanConfig()).text
'他说：你好世界'
>>> repair_utf8_as_gbk("浣犲ソ锛屼笘鐣?", CleanConfig()).text
'你好，世\\ufffd'
"""

from __future__ import annotations

import re

from cleaners.model import CleanConfig, TextChange, frozen_counts
from cleaners.repair.wrong_codec import reads_better

RUN = re.compile(r"[^\x00-\x7f\ufffd]+([?\ufffd]*)")
MIN_STRETCH_BYTES = 6  # two hanzi


def gbk_bytes(run: str) -> tuple[bytes, list[int]] | None:
    """The GBK bytes of ``run`` and the byte offset where each character starts, or None."""
    data = bytearray()
    starts = []
    for char in run:
        try:
            code = char.encode("gbk")
        except UnicodeEncodeError:
            return None
        starts.append(len(data))
        data += code
    return bytes(data), starts


def utf8_length(data: bytes, at: int) -> int:
    """Length of the valid UTF-8 sequence starting at ``at`` (0 if none, -1 if cut by the end)."""
    lead = data[at]
    size = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0
    if size == 0:
        return 0
    if at + size > len(data):
        tail = data[at + 1:]
        return -1 if all(0x80 <= b <= 0xBF for b in tail) else 0
    try:
        data[at:at + size].decode("utf-8")
    except UnicodeDecodeError:
        return 0
    return size


def stretch_end(data: bytes, start: int, boundaries: set[int], cut_allowed: bool) -> tuple[int, bool]:
    """Furthest character boundary reached by valid UTF-8 from ``start``; and whether it ends cut."""
    at, best = start, start
    while at < len(data):
        size = utf8_length(data, at)
        if size == -1 and cut_allowed:
            return len(data), True
        if size <= 0:
            break
        at += size
        if at in boundaries:
            best = at
    return best, False


def repair_run(run: str, mark: str) -> tuple[str, int, int] | None:
    """The run with its UTF-8 stretches decoded: (text, stretches, chars lost), or None."""
    encoded = gbk_bytes(run)
    if encoded is None:
        return None
    data, starts = encoded
    boundaries = set(starts) | {len(data)}
    pieces: list[str] = []
    stretches = lost = 0
    index = 0  # character index in run
    while index < len(run):
        start = starts[index]
        end, cut = stretch_end(data, start, boundaries, cut_allowed=bool(mark))
        if end - start >= MIN_STRETCH_BYTES or (cut and end - start >= 4):
            damaged = run[index:] if end == len(data) else run[index:starts.index(end)]
            body = data[start:end]
            repaired = body.decode("utf-8", "replace") if cut else body.decode("utf-8")
            if cut:
                repaired = repaired.rstrip("\ufffd") + "\ufffd"
            if reads_better(damaged, repaired.replace("\ufffd", "")):
                pieces.append(repaired)
                stretches += 1
                lost += cut
                index += len(damaged)
                continue
        pieces.append(run[index])
        index += 1
    if not stretches:
        return None
    return "".join(pieces), stretches, lost


def repair_utf8_as_gbk(text: str, config: CleanConfig) -> TextChange:
    """Decode back the stretches of UTF-8 bytes that were read as GBK."""
    spans = lost = 0
    examples: list[str] = []

    def fix(match: re.Match[str]) -> str:
        nonlocal spans, lost
        mark = match.group(1)
        run = match.group()[: len(match.group()) - len(mark)]
        result = repair_run(run, mark)
        if result is None:
            return match.group()
        repaired, count, cut = result
        spans += count
        lost += cut
        if len(examples) < 5:
            examples.append(f"{match.group()} → {repaired}")
        # A cut stretch consumed the mark the decoder wrote for its lost byte.
        return repaired if cut else repaired + mark

    fixed = RUN.sub(fix, text)
    return TextChange(fixed, frozen_counts({"utf8_as_gbk": spans, "mojibake_chars_lost": lost}), tuple(examples))
