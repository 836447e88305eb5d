"""Repair UTF-8 text that was read as GBK (古文码: ``浣犲ソ`` for ``你好``).

The mechanism: the UTF-8 bytes of a hanzi (three each) were paired two by two
as GBK characters. Run backwards: a run of non-ASCII characters is encoded
back to GBK and the longest stretches that decode strictly as UTF-8 are
candidates; a stretch is repaired only when its UTF-8 reading is common hanzi
and punctuation and reads clearly better than the GBK one (clean Chinese text
almost never forms valid UTF-8 when encoded as GBK, and when it does, it reads
as rare characters).

A byte that opened no valid GBK pair is lost: the decoder wrote U+FFFD (or
``?``) for it alone and went on with the next byte. That happens to ``80``
(never a GBK lead), to a byte whose pair with the next one GBK leaves
undefined, and to the last byte of an odd count before an ASCII byte no pair
admits. So the lost byte is one of the values for which the decoder would have
done exactly that, given the byte after it, and one that fits the UTF-8
sequence around it: often a single value (``80`` in ``一``, ``。``), else a few
dozen characters. The character model of the page chooses among them
(:mod:`cleaners.repair.charlm`) when one is clearly the likeliest; otherwise
the character is written U+FFFD and counted in ``mojibake_chars_lost``.

>>> repair_utf8_as_gbk("他说：浣犲ソ涓栫晫", CleanConfig()).text
'他说：你好世界'
>>> repair_utf8_as_gbk("你好，世界。".encode().decode("gbk", "replace"), CleanConfig()).text
'你好，世界。'
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from functools import cache

from cleaners.model import CleanConfig, TextChange, frozen_counts
from cleaners.repair.charlm import CharModel, DocumentModel
from cleaners.repair.wrong_codec import reads_better
from cleaners.stage import MAX_EXAMPLES

# Non-ASCII runs; U+FFFD (a byte no GBK pair admitted) and ``?`` (the same, by decoders that
# write ``?``) inside or at the end each stand for one byte that was there and is lost.
RUN = re.compile(r"[^\x00-\x7f][^\x00-\x7f?]*(?:\?+[^\x00-\x7f?]+)*\?{0,3}")
MIN_STRETCH_BYTES = 6  # two hanzi; one (3 bytes) on a page where longer stretches were found
MAX_LOST_SHARE = 0.5  # of the characters of a stretch
# Share of common hanzi and punctuation a reading needs: a valid UTF-8 stretch is itself strong
# evidence, and Traditional prose holds more characters beyond the level-1 sets than Simplified.
MIN_SHARE = 0.75
LOST = "\ufffd"
PENDING = "\ufdd0"  # a noncharacter: a lost character whose candidates are still to be weighed
MAX_CANDIDATES = 4096  # byte combinations tried for one character (two lost bytes at most)
SHORTLIST = 32  # candidates likeliest after the character before, weighed with the one after
MIN_MARGIN = math.log(8)  # the chosen character is this much likelier than the next one


@dataclass(frozen=True)
class Lost:
    """A character with lost bytes: the characters its known and possible bytes can spell."""

    candidates: tuple[str, ...]


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


@cache
def lost_values(after: int | None, codec: str) -> tuple[int, ...]:
    """The bytes a ``codec`` decoder marks alone when ``after`` follows them (any non-ASCII byte at the end)."""
    if after is None:
        return tuple(range(0x80, 0x100))
    return tuple(b for b in range(0x80, 0x100) if not decodes_as_pair(b, after, codec))


def decodes_as_pair(lead: int, trail: int, codec: str) -> bool:
    try:
        return len(bytes((lead, trail)).decode(codec)) == 1
    except UnicodeDecodeError:
        return False


def decoder_of(text: str) -> str:
    """``gb18030`` when the page holds user-defined pairs as private-use characters (browsers), else ``gbk``
    (Python's and iconv's GBK lose them)."""
    return "gb18030" if USER_DEFINED.search(text) else "gbk"


USER_DEFINED = re.compile("[\ue000-\ue765]")


def byte_options(data: tuple[int | None, ...] | list[int | None], at: int, continuation: bool, codec: str) -> tuple[int, ...]:
    """The values byte ``at`` can have: its own, or for a lost byte those the decoder would have lost."""
    byte = data[at]
    if byte is not None:
        return (byte,)
    after = data[at + 1] if at + 1 < len(data) else None
    values = lost_values(after, codec)
    return tuple(b for b in values if 0x80 <= b <= 0xBF) if continuation else values


@cache
def spellings(data: tuple[int | None, ...], at: int, size: int, codec: str) -> tuple[str, ...]:
    """Every character the bytes ``at:at+size`` can spell, their lost bytes filled in every way the decoder allows."""
    options = [byte_options(data, at, False, codec)] + [byte_options(data, k, True, codec)
                                                        for k in range(at + 1, at + size)]
    options[0] = tuple(b for b in options[0] if utf8_size(b) == size)
    if math.prod(len(o) for o in options) > MAX_CANDIDATES:
        return ()
    found = []
    for combo in itertools.product(*options):
        try:
            found.append(bytes(combo).decode("utf-8"))
        except UnicodeDecodeError:
            continue
    return tuple(dict.fromkeys(found))


def next_char(data: list[int | None], at: int, codec: str) -> tuple[str | Lost, int] | None:
    """The character the UTF-8 sequence at ``at`` spells (a :class:`Lost` if a byte of it is lost) and its end."""
    lead = data[at]
    if lead is None:  # a lost lead byte: the continuation bytes after it belong to the same character
        end = at + 1
        while end < len(data) and end - at < 4 and is_continuation(data[end]):
            end += 1
        if end == at + 1:
            return None  # a mark or ``?`` standing alone: nothing says it was part of a character
        return Lost(spellings(tuple(data[at:end + 1]), 0, end - at, codec)), end
    size = utf8_size(lead)
    if size == 0:
        return None
    body = data[at:at + size]
    if len(body) < size or None in body:
        if any(b is not None and not 0x80 <= b <= 0xBF for b in body[1:]):
            return None
        if len(body) < size:
            return Lost(()), at + len(body)
        return Lost(spellings(tuple(data[at:at + size + 1]), 0, size, codec)), at + size
    try:
        return bytes(body).decode("utf-8"), at + size  # type: ignore[arg-type]
    except UnicodeDecodeError:
        return None


def utf8_stretch(data: list[int | None], start: int, boundaries: set[int],
                 codec: str) -> tuple[list[str | Lost], int]:
    """The longest UTF-8 reading from ``start`` that ends on a character boundary, and that boundary."""
    at, best, chars, best_chars = start, start, [], 0
    while at < len(data):
        step = next_char(data, at, codec)
        if step is None:
            break
        chars.append(step[0])
        at = step[1]
        if at in boundaries:
            best, best_chars = at, len(chars)
    return chars[:best_chars], best


def plain(reading: list[str | Lost]) -> str:
    """The characters of a reading that its bytes spell for sure, replacement characters aside
    (``锟斤拷`` is ``EF BF BD EF BF BD``: two characters an earlier decoder had already lost)."""
    return "".join(c for c in reading if isinstance(c, str) and c != LOST)


def repair_run(run: str, pending: list[Lost], codec: str,
               min_bytes: int = MIN_STRETCH_BYTES) -> tuple[str, int, int] | None:
    """The run with its UTF-8 stretches decoded (lost characters as PENDING, their candidates
    appended to ``pending``), the number of stretches and of U+FFFD their bytes spell, or None."""
    encoded = gbk_bytes(run)
    if encoded is None:
        return None
    data, starts = encoded
    boundaries = set(starts) | {len(data)}
    char_at = {start: i for i, start in enumerate(starts)}
    pieces: list[str] = []
    stretches = spelled = 0
    index = 0
    while index < len(run):
        reading, end = utf8_stretch(data, starts[index], boundaries, codec)
        if end - starts[index] >= min_bytes:
            damaged = run[index: char_at.get(end, len(run))]
            lost = [c for c in reading if isinstance(c, Lost)]
            if acceptable(damaged, reading, lost, single=min_bytes < MIN_STRETCH_BYTES):
                pieces.extend(c if isinstance(c, str) else PENDING for c in reading)
                pending.extend(lost)
                stretches += 1
                spelled += reading.count(LOST)
                index += len(damaged)
                continue
        pieces.append(run[index])
        index += 1
    if not stretches:
        return None
    return "".join(pieces), stretches, spelled


def acceptable(damaged: str, reading: list[str | Lost], lost: list[Lost], single: bool) -> bool:
    """A stretch reads as Chinese: few characters in doubt, the rest common hanzi, clearly better than before.

    On a page already shown to hold 古文码 (``single``), one character standing
    between ASCII is read too, even with a byte lost (``鑺� `` for ``节 ``).
    """
    doubtful = sum(len(item.candidates) != 1 for item in lost)
    known = plain(reading)
    if single and not known:
        return True
    if single:
        return reads_better(damaged, known, MIN_SHARE)
    return doubtful <= MAX_LOST_SHARE * len(reading) and reads_better(damaged, known, MIN_SHARE)


def choose(model: CharModel, before: str, after: str, candidates: tuple[str, ...]) -> str | None:
    """The candidate the page's character model clearly prefers between ``before`` and ``after``, or None."""
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return None
    scores = []
    left = model.logps(before, candidates) if before else [model.logp("", char) for char in candidates]
    shortlist = sorted(zip(left, candidates, strict=True), reverse=True)[:SHORTLIST]
    for score, char in shortlist:
        if after == "\n" or not after:
            score += model.line_end_logp(char)
        elif after != PENDING:
            score += model.logp(char, after)
        scores.append((score, char))
    scores.sort(reverse=True)
    if scores[0][0] - scores[1][0] >= MIN_MARGIN:
        return scores[0][1]
    return None


def settle(text: str, pending: list[Lost]) -> tuple[str, int]:
    """Each PENDING character chosen from its candidates with the page's model, or U+FFFD; and how many are lost."""
    model = CharModel(DocumentModel(text.replace(PENDING, "")))
    out = list(text)
    lost = 0
    positions = [i for i, c in enumerate(out) if c == PENDING]
    for at, item in zip(positions, pending, strict=True):
        before = out[at - 1] if at else ""
        after = out[at + 1] if at + 1 < len(out) else ""
        chosen = choose(model, before if before != PENDING else "", after, item.candidates)
        if chosen is None:
            lost += 1
        out[at] = chosen or LOST
    return "".join(out), lost


def repair_utf8_as_gbk(text: str, config: CleanConfig) -> TextChange:
    """Decode back the stretches of UTF-8 bytes that were read as GBK; infer or mark their lost bytes."""
    if text.isascii() or PENDING in text:
        return TextChange(text)
    pending: list[Lost] = []
    runs = list(RUN.finditer(text))
    codec = decoder_of(text)
    results = [repair_run(m.group(), pending, codec) for m in runs]
    if not any(results):
        return TextChange(text)
    # The page has 古文码: a single character between ASCII (``鑺� ``) is read the same way.
    pending.clear()
    pieces: list[str] = []
    spans = last = earlier = 0
    examples: list[str] = []
    for match in runs:
        result = repair_run(match.group(), pending, codec, min_bytes=3)
        pieces.append(text[last:match.start()])
        last = match.end()
        if result is None:
            pieces.append(match.group())
            continue
        repaired, count, spelled = result
        spans += count
        earlier += spelled  # U+FFFD the bytes spell (锟斤拷): characters lost before
        pieces.append(repaired)
        if len(examples) < MAX_EXAMPLES:
            examples.append(f"{match.group()[:20]} → {repaired[:20]}")
    pieces.append(text[last:])
    fixed = "".join(pieces)
    if not spans:
        return TextChange(text)
    lost = 0
    if pending:
        fixed, lost = settle(fixed, pending)
    lost += earlier
    return TextChange(fixed, frozen_counts({"utf8_as_gbk": spans, "mojibake_chars_lost": lost}), tuple(examples))
