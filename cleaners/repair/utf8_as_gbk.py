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
(:mod:`cleaners.repair.charlm`, with the page's own use of each candidate, and
a number or a Latin word beside it, the words that link a sentence to a Latin
word: :func:`choose`; a row of such characters side by side together:
:func:`choose_chain`) when one is clearly the likeliest; otherwise the
character is written U+FFFD and counted in ``mojibake_chars_lost``.

A page is searched only when it holds the three GBK characters in a row that
such a stretch leaves (:func:`signature`): plain pages stop there.

>>> repair_utf8_as_gbk("他说：浣犲ソ涓栫晫", CleanConfig()).text
'他说：你好世界'
>>> repair_utf8_as_gbk("你好，世界。".encode().decode("gbk", "replace"), CleanConfig()).text
'你好，世界。'
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from cleaners.chinese import HAN_CHAR
from cleaners.model import CleanConfig, TextChange, frozen_counts
from cleaners.repair.charlm import CharModel, DocumentModel, simplified_char
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
# Between two hanzi (a byte lost inside a sentence: Python's GBK, not a browser's gb18030), the margin
# asked of the chosen one. There the character model's doubt is real: 这个 and 这一, 一个 and 一一, 系统中
# and 统一 are all words, and it was wrong in 1 of 4 choices with margins under log 64 (none above).
BETWEEN_HANZI_MARGIN = math.log(64)
BIGRAM_WEIGHT = 0.7  # against the page's own share of the character
LINE_END_HINT = math.log(20)  # for the mark a line's words call for
NUMERALS = "一二三四五六七八九十"  # what a number in digits stands for
LINK_HINT = math.log(4)  # for a word that links the sentence to a Latin word after it
ASCII_AFTER_PRIOR = 0.1  # P(ASCII after a character) the page's count of it is smoothed towards


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


def pairs_only(run: str) -> bytes | None:
    """The GB18030 bytes of ``run`` when every character of it is one two-byte pair (no mark, no
    four-byte character): then they are :func:`gbk_bytes`' bytes, each character's two at ``2 * i``."""
    if "?" in run or "\ufffd" in run:
        return None
    try:
        code = run.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return code if len(code) == 2 * len(run) else None


def stretch_openings(code: bytes, min_bytes: int) -> list[int]:
    """The characters of a run of pairs (``code``, from :func:`pairs_only`) that can open a UTF-8 stretch
    of ``min_bytes`` bytes or more, found for all of them at once in C.

    At byte ``p`` :func:`next_char` reads a character only where its lead gives a size and the
    bytes after it, up to that size, are continuations (or the run ends first): ``valid``, a
    looser test than UTF-8's own. A stretch from a pair opens with such a character, and unless
    that one alone is ``min_bytes`` long, goes on with a second one right after it. Any other
    pair gives a stretch too short, so a loop that tried every character found nothing there.
    """
    data = np.frombuffer(code, dtype=np.uint8)
    n = len(data)
    size = UTF8_SIZE[data]
    cont = np.ones(n + 4, dtype=bool)  # past the end: a character cut short there is still read
    cont[:n] = (data >= 0x80) & (data <= 0xBF)
    valid = (size == 1) | ((size >= 2) & cont[1:n + 1] & ((size < 3) | cont[2:n + 2]) & ((size < 4) | cont[3:n + 3]))
    valid_after = np.zeros(n + 5, dtype=bool)  # at the end or past it: no second character
    valid_after[:n] = valid
    opening = np.arange(0, n, 2)
    first = size[opening]
    opens = valid[opening] & ((first >= min_bytes) | valid_after[opening + first])
    return np.flatnonzero(opens).tolist()


# What :func:`utf8_size` gives for each byte.
UTF8_SIZE = np.array([1 if b < 0x80 else 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else
                      4 if 0xF0 <= b <= 0xF4 else 0 for b in range(256)], dtype=np.int64)


def next_opening(openings: list[int], index: int, end: int) -> int:
    """The first of ``openings`` (sorted) at ``index`` or after, else ``end``."""
    at = bisect.bisect_left(openings, index)
    return openings[at] if at < len(openings) else end


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
    code = pairs_only(run)
    openings = None if code is None else stretch_openings(code, min_bytes)
    if openings is not None and not openings:
        return None  # no character of the run can open a stretch
    encoded: tuple[list[int | None], list[int]] | None = (
        gbk_bytes(run) if code is None else (list(code), list(range(0, len(code), 2))))
    if encoded is None:
        return None
    data, starts = encoded
    boundaries = set(starts) | {len(data)}
    char_at = {start: i for i, start in enumerate(starts)}
    pieces: list[str] = []
    stretches = spelled = 0
    index = 0
    while index < len(run):
        if openings is not None and (opening := next_opening(openings, index, len(run))) != index:
            pieces.append(run[index:opening])  # none of these opens a stretch: each stays as it is
            index = opening
            continue
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


def choose(model: CharModel, before: str, after: str, candidates: tuple[str, ...],
           line_end: str = "") -> str | None:
    """The candidate the page's character model clearly prefers between ``before`` and ``after``, or None.

    Left, the bigram after ``before`` mixed with how often the page itself uses
    the candidate (a page repeats its words); right, the next character, the
    end of the line, or, before ASCII (a Latin word, a number), the chance that
    a word ends with the candidate and that the page puts ASCII after it. A
    number beside it reads like a numeral; at the end of a line, ``line_end`` is
    the mark the line's words call for (``？`` after a question word, ``：`` after
    ``以下``), if any.
    """
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return None
    scores = ranked(model, before, after, candidates, line_end)
    if scores[0][0] - scores[1][0] >= required_margin(before, after):
        return scores[0][1]
    return None


def required_margin(before: str, after: str) -> float:
    """How much likelier the chosen candidate must be than the next one, between ``before`` and ``after``."""
    if HAN_CHAR.match(before) and HAN_CHAR.match(after):
        return BETWEEN_HANZI_MARGIN
    return MIN_MARGIN


def ranked(model: CharModel, before: str, after: str, candidates: tuple[str, ...],
           line_end: str = "") -> list[tuple[float, str]]:
    """The candidates (two at least) with their log scores between ``before`` and ``after``, best first."""
    left = left_logps(model, before, candidates)
    shortlist = sorted(zip(left, candidates, strict=True), reverse=True)[:SHORTLIST]
    return sorted(((score + right_logp(model, char, after, line_end) + link_hint(char, before, after), char)
                   for score, char in shortlist), reverse=True)


@cache
def links() -> frozenset[str]:
    """The words that stand before a Latin word (``data/before_latin.toml``)."""
    text = resources.files("cleaners").joinpath("data/before_latin.toml").read_text(encoding="utf-8")
    return frozenset(tomllib.loads(text)["characters"])


def link_hint(char: str, before: str, after: str) -> float:
    """:data:`LINK_HINT` for a word that links the sentence to the Latin word ``after`` it, else 0."""
    if not after or after == "\n" or not after.isascii() or is_digit(after) or is_digit(before):
        return 0.0
    return LINK_HINT if simplified_char(char) in links() else 0.0


def left_logps(model: CharModel, before: str, candidates: tuple[str, ...]) -> list[float]:
    """log P(candidate | ``before``): the bigram (a number read as numerals) mixed with the page's own share."""
    if is_digit(before):
        left = after_number_logps(model, candidates)
    else:
        left = model.logps(before, candidates) if before else [model.logp("", char) for char in candidates]
    return with_page_unigrams(model, left, candidates)


def right_logp(model: CharModel, char: str, after: str, line_end: str = "") -> float:
    """log P(``after`` | ``char``): the next character, the end of the line, a number or ASCII."""
    if after == "\n" or not after:
        return model.line_end_logp(char) + (LINE_END_HINT if char == line_end else 0.0)
    if is_digit(after):
        return before_number_logp(model, char)
    if after.isascii():
        return before_ascii_logp(model, char)
    if after == PENDING:
        return 0.0
    return model.logp(char, after)


def choose_chain(model: CharModel, before: str, after: str, chain: list[tuple[str, ...]],
                 line_end: str = "") -> list[str | None]:
    """Each character of a row of lost ones (``其中一个`` with a byte of each lost), chosen together.

    Apart, each would be weighed with nothing known on one side; together the
    best row is found (Viterbi over the page's bigrams), and a character is kept
    when the best row with another character there scores :data:`MIN_MARGIN` less.
    """
    options = [shortlisted(model, before if i == 0 else "", candidates) for i, candidates in enumerate(chain)]
    first = options[0]
    forward = [dict(zip(first, left_logps(model, before, first), strict=True))]
    steps = [transitions(model, options[i - 1], options[i]) for i in range(1, len(options))]
    for i in range(1, len(options)):
        forward.append({char: max(forward[-1][prev] + steps[i - 1][prev][char] for prev in options[i - 1])
                        for char in options[i]})
    backward = [{char: right_logp(model, char, after, line_end) for char in options[-1]}]
    for i in range(len(options) - 2, -1, -1):
        backward.insert(0, {char: max(steps[i][char][nxt] + backward[0][nxt] for nxt in options[i + 1])
                            for char in options[i]})
    chosen: list[str | None] = []
    for ahead, behind in zip(forward, backward, strict=True):
        scores = sorted(((ahead[char] + behind[char], char) for char in ahead), reverse=True)
        clear = len(scores) == 1 or scores[0][0] - scores[1][0] >= MIN_MARGIN
        chosen.append(scores[0][1] if scores and clear else None)
    return chosen


def shortlisted(model: CharModel, before: str, candidates: tuple[str, ...]) -> tuple[str, ...]:
    """The :data:`SHORTLIST` candidates likeliest after ``before`` (or alone)."""
    if len(candidates) <= SHORTLIST:
        return candidates
    left = left_logps(model, before, candidates)
    return tuple(char for _, char in sorted(zip(left, candidates, strict=True), reverse=True)[:SHORTLIST])


def transitions(model: CharModel, previous: tuple[str, ...], following: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """log P(next | prev) for every pair, mixed with the page's own share of the next one."""
    return {prev: dict(zip(following, left_logps(model, prev, following), strict=True)) for prev in previous}


def is_digit(char: str) -> bool:
    return "0" <= char <= "9"


def after_number_logps(model: CharModel, candidates: tuple[str, ...]) -> list[float]:
    """log P(candidate | a number): a number written in digits stands where a numeral would (``6 月``);
    the mean over the numerals in log space, so that one numeral's words (五花) do not decide."""
    rows = [model.logps(numeral, candidates) for numeral in NUMERALS]
    return [sum(row[i] for row in rows) / len(rows) for i in range(len(candidates))]


def before_number_logp(model: CharModel, char: str) -> float:
    """log P(a number follows ``char``), a numeral standing for it (``第 12``)."""
    return math.log(sum(math.exp(model.logp(char, numeral)) for numeral in NUMERALS) / len(NUMERALS))


def with_page_unigrams(model: CharModel, logps: list[float], candidates: tuple[str, ...]) -> list[float]:
    """log of the bigram probabilities mixed with the page's own share of each candidate (a cache model)."""
    document = model.document
    if document is None:
        return logps
    total = model.memo.get("wide_total")
    if total is None:
        total = model.memo["wide_total"] = sum(n for char, n in document.unigrams.items() if not char.isascii())
    if not total:
        return logps
    counts = document.unigrams
    return [math.log(BIGRAM_WEIGHT * math.exp(lp) + (1 - BIGRAM_WEIGHT) * counts.get(char, 0) / total)
            for lp, char in zip(logps, candidates, strict=True)]


def before_ascii_logp(model: CharModel, char: str) -> float:
    """log P(ASCII follows ``char``): a word ends with it (the word list) and the page puts ASCII after it."""
    if char.isascii():
        return 0.0
    context = model.background.context(simplified_char(char))
    ending = context[0] if context is not None else 0.5
    document = model.document
    seen = followed = 0
    if document is not None and document.unigrams.get(char, 0):
        seen = document.unigrams[char]
        followed = sum(n for c, n in document.followers(char).items() if c.isascii() and c != "\n")
    return math.log(ending) + math.log((followed + ASCII_AFTER_PRIOR) / (seen + 1))


def settle(text: str, pending: list[Lost]) -> tuple[str, int]:
    """Each PENDING character chosen from its candidates with the page's model, or U+FFFD; and how many are lost.

    Lost characters side by side are chosen together (:func:`choose_chain`).
    """
    model = CharModel(DocumentModel(text.replace(PENDING, "")))
    out = list(text)
    lost = 0
    positions = [i for i, c in enumerate(out) if c == PENDING]
    for row in rows(positions, pending):
        start, end = row[0][0], row[-1][0]
        before = beside(out, start, -1)
        after = beside(out, end, 1)
        hint = line_end_mark(text, end) if after in ("\n", "") else ""
        if len(row) == 1:
            picks = [choose(model, before, after, row[0][1].candidates, hint)]
        else:
            picks = choose_chain(model, before, after, [item.candidates for _, item in row], hint)
        for (at, _), chosen in zip(row, picks, strict=True):
            if chosen is None:
                lost += 1
            out[at] = chosen or LOST
    return "".join(out), lost


def rows(positions: list[int], pending: list[Lost]) -> list[list[tuple[int, Lost]]]:
    """The lost characters grouped into rows of neighbours that all have candidates."""
    grouped: list[list[tuple[int, Lost]]] = []
    for at, item in zip(positions, pending, strict=True):
        last = grouped[-1][-1] if grouped else None
        if last is not None and last[0] == at - 1 and last[1].candidates and item.candidates:
            grouped[-1].append((at, item))
        else:
            grouped.append([(at, item)])
    return grouped


# Words that make a line a question, and words that announce what follows (a list, a command).
ASKS = re.compile("吗|嗎|么|麼|是否|哪|如何|为何|為何|能否|可否|多少")
ANNOUNCES = re.compile("以下|如下|下列|下面|包括|例如|比如|之一")
CLAUSES = re.compile("[，。；：！？,;:!?]")
LIST_ITEM = re.compile(r"\s*(?:[*+•·-]|\d+[.)、])\s")


def line_end_mark(text: str, at: int) -> str:
    """The mark a line ending at ``at`` calls for by the words of its last clause: ``？`` for a
    question, ``：`` for one that announces what follows, or before a list; else none."""
    line = CLAUSES.split(text[text.rfind("\n", 0, at) + 1:at])[-1]  # its last clause
    if ASKS.search(line):
        return "？"
    following = text[at + 2:text.find("\n", at + 2) if "\n" in text[at + 2:] else len(text)] if at + 1 < len(text) else ""
    if ANNOUNCES.search(line) or LIST_ITEM.match(following):
        return "："
    return ""


def beside(chars: list[str], at: int, step: int) -> str:
    """The character next to ``at`` (``step`` -1 before, 1 after), or a digit one space further on."""
    near = at + step
    if not 0 <= near < len(chars):
        return ""
    if chars[near] == " " and 0 <= near + step < len(chars) and is_digit(chars[near + step]):
        return chars[near + step]
    return chars[near]


def gbk_chars(leads: range, trails: range) -> str:
    """The characters whose two GB18030 bytes have a lead in ``leads`` and a trail in ``trails``."""
    found = []
    for lead in leads:
        for trail in trails:
            try:
                char = bytes((lead, trail)).decode("gb18030")
            except UnicodeDecodeError:
                continue
            if len(char) == 1:
                found.append(char)
    return "".join(sorted(set(found)))


@cache
def signature() -> re.Pattern[str]:
    """What every stretch of two UTF-8 characters or more leaves when read as GBK: a character
    of a UTF-8 lead and its first continuation byte, then one of that character's second
    continuation and the next lead, then one opening with a continuation byte; or, where the
    decoder lost the second continuation, a mark and the next character's lead pair.

    A stretch opens on a pair boundary, so its first multi-byte character lends the lead
    of a pair; the repair's first pass needs six bytes at least, so the pairs after it
    exist. Plain Chinese text holds the three in a row almost never (few Traditional
    pages do), so a page without them is left as it is without the search.
    """
    first = gbk_chars(range(0xE0, 0xF5), range(0x80, 0xC0))
    second = gbk_chars(range(0x80, 0xC0), range(0xC2, 0xF5))
    third = gbk_chars(range(0x80, 0xC0), range(0x40, 0xFF))
    return re.compile(f"[{first}](?:[{second}][{third}{LOST}?]|[{LOST}?][{first}])")


def runs_hit(runs: list[re.Match[str]], hits: list[int]) -> list[re.Match[str]]:
    """The runs inside which a hit of :func:`signature` starts, in order (``runs`` and ``hits`` sorted).

    Each hit is looked up among the runs' starts: a page of misaligned GBK has thousands of
    runs and a few dozen hits.

    >>> runs = list(re.finditer("[^a]+", "xxaayyaazz"))
    >>> [m.group() for m in runs_hit(runs, [1, 3, 6, 7, 9])]
    ['xx', 'zz']
    """
    starts = [m.start() for m in runs]
    found: list[re.Match[str]] = []
    for hit in hits:
        at = bisect.bisect_right(starts, hit) - 1
        if at >= 0 and hit < runs[at].end() and (not found or found[-1] is not runs[at]):
            found.append(runs[at])
    return found


def repair_utf8_as_gbk(text: str, config: CleanConfig) -> TextChange:
    """Decode back the stretches of UTF-8 bytes that were read as GBK; infer or mark their lost bytes."""
    if text.isascii() or PENDING in text:
        return TextChange(text)
    hits = [m.start() for m in signature().finditer(text)]
    if not hits:  # plain text: no run can hold a stretch (most pages stop here)
        return TextChange(text)
    pending: list[Lost] = []
    runs = list(RUN.finditer(text))
    codec = decoder_of(text)
    if not any(repair_run(m.group(), pending, codec) for m in runs_hit(runs, hits)):
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
