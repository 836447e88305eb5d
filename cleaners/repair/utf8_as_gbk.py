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
from bisect import bisect_left

from cleaners.model import CleanConfig, TextChange, frozen_counts
from cleaners.repair.wrong_codec import reads_better

# Non-ASCII runs; U+FFFD inside (a byte no GBK pair admitted) and ``?`` at the end (the same, by
# decoders that write ``?``) each stand for one byte that was there and is lost.
RUN = re.compile(r"[^\x00-\x7f]+\??")
MIN_STRETCH_BYTES = 6  # two hanzi
# What a UTF-8 character's bytes can be (a superset of what strict decoding accepts), and a character
# cut by the end of the run (next_char reads it as lost). Its lead byte tells its length, so the
# characters from a given byte on are read one way only.
UTF8_CHARS = re.compile(rb"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
                        rb"|[\xc2-\xf4][\x80-\xbf]{0,2}\Z){2,}")  # one character is never long enough
MAX_LOST_SHARE = 0.34  # of the characters of a stretch
LOST = "\ufffd"


def gbk_bytes(run: str) -> tuple[list[int | None], list[int]] | None:
    """The GBK bytes of ``run`` (None for a lost byte) and where each character starts, or None.

    A mark stands for one byte: the decoder (Python's, and most) wrote it for a
    byte that opened no valid pair and went on with the next byte. User-defined
    pairs that a decoder read as private-use characters are read back.
    """
    data: list[int | None] = []
    starts = []
    for char in run:
        starts.append(len(data))
        if char in "\ufffd?":
            data.append(None)
            continue
        try:
            code = char.encode("gb18030")
        except UnicodeEncodeError:
            return None
        if len(code) != 2:
            return None
        data.extend(code)
    return data, starts


def utf8_size(lead: int) -> int:
    return 1 if lead < 0x80 else 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0


def is_continuation(byte: int | None) -> bool:
    return byte is not None and 0x80 <= byte <= 0xBF


def next_char(data: list[int | None], at: int) -> tuple[str, int] | None:
    """The character the UTF-8 sequence at ``at`` spells (U+FFFD if a byte of it is lost) and its end."""
    lead = data[at]
    if lead is None:  # a lost lead byte: the continuation bytes after it belong to the same character
        end = at + 1
        while end < len(data) and end - at < 4 and is_continuation(data[end]):
            end += 1
        return LOST, end
    size = utf8_size(lead)
    if size == 0:
        return None
    body = data[at:at + size]
    if len(body) < size or None in body:
        if any(b is not None and not 0x80 <= b <= 0xBF for b in body[1:]):
            return None
        return LOST, at + len(body)
    try:
        return bytes(body).decode("utf-8"), at + size  # type: ignore[arg-type]
    except UnicodeDecodeError:
        return None


def utf8_stretch(data: list[int | None], start: int, boundaries: set[int]) -> tuple[str, int]:
    """The longest UTF-8 reading from ``start`` that ends on a character boundary, and that boundary."""
    at, best, chars, best_chars = start, start, [], 0
    while at < len(data):
        step = next_char(data, at)
        if step is None:
            break
        chars.append(step[0])
        at = step[1]
        if at in boundaries:
            best, best_chars = at, len(chars)
    return "".join(chars[:best_chars]), best


def stretch_starts(run: str) -> list[int] | None:
    """The characters of ``run`` where a stretch of ``MIN_STRETCH_BYTES`` can start, found by one
    encoding and one scan in C; None if the run has lost bytes (the stretches may run through them).

    A stretch from a byte is a chain of UTF-8 characters from that byte; a chain that starts
    inside a chain :data:`UTF8_CHARS` found starts on one of its character boundaries (a
    continuation byte starts none), so it is a suffix of that chain, no longer than it. A run
    with a character that is no GBK pair has none (:func:`gbk_bytes` gives None).
    """
    if "\ufffd" in run or "?" in run:
        return None
    try:
        data = run.encode("gb18030")
    except UnicodeEncodeError:
        return []
    if len(data) != 2 * len(run):
        return []
    found: list[int] = []
    for match in UTF8_CHARS.finditer(data):
        last = match.end() - MIN_STRETCH_BYTES  # the last byte a long enough suffix starts at
        if last >= match.start():
            found.extend(range((match.start() + 1) // 2, last // 2 + 1))
    return found


def repair_run(run: str) -> tuple[str, int, int] | None:
    """The run with its UTF-8 stretches decoded: (text, stretches, chars lost), or None.

    Only the characters where a stretch can start are tried (:func:`stretch_starts`);
    from any other the stretch is too short, and the character stays.
    """
    candidates = stretch_starts(run)
    if candidates == []:
        return None
    if candidates is None:
        encoded = gbk_bytes(run)
        if encoded is None:
            return None
        data, starts = encoded
    else:
        data, starts = list(run.encode("gb18030")), list(range(0, 2 * len(run), 2))
    boundaries = set(starts) | {len(data)}
    char_at = {start: i for i, start in enumerate(starts)}
    pieces: list[str] = []
    stretches = lost = 0
    index = 0
    while index < len(run):
        if candidates is not None:
            following = bisect_left(candidates, index)
            skip_to = candidates[following] if following < len(candidates) else len(run)
            if skip_to > index:  # no stretch starts before it: those characters stay
                pieces.append(run[index:skip_to])
                index = skip_to
                continue
        reading, end = utf8_stretch(data, starts[index], boundaries)
        if end - starts[index] >= MIN_STRETCH_BYTES:
            damaged = run[index: char_at.get(end, len(run))]
            marks = reading.count(LOST)
            if marks <= MAX_LOST_SHARE * len(reading) and reads_better(damaged, reading.replace(LOST, "")):
                pieces.append(reading)
                stretches += 1
                lost += marks - damaged.count(LOST) - damaged.count("?") + (1 if damaged.endswith("?") else 0)
                lost = max(lost, 0)
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
        result = repair_run(match.group())
        if result is None:
            return match.group()
        repaired, count, cut = result
        spans += count
        lost += cut
        if len(examples) < 5:
            examples.append(f"{match.group()} → {repaired}")
        return repaired

    fixed = RUN.sub(fix, text)
    return TextChange(fixed, frozen_counts({"utf8_as_gbk": spans, "mojibake_chars_lost": lost}), tuple(examples))
