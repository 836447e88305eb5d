"""Mark the characters lost to a codec that could not hold them (问句码: ``?`` for each).

The mechanism: text was written through a codec that lacks some of its
characters (Chinese through Latin-1, Simplified through Big5, Traditional
through GB2312) with ``?`` for each, and read back. Nothing of those characters
is left, so each ``?`` that stands for one becomes U+FFFD, counted in
``mojibake_chars_lost`` (each line so marked is a ``lost_runs_marked``: this
runs in the stage of :mod:`cleaners.repair.lost_runs`, the marks of what is
already lost). Only two shapes are taken as that damage, both far
from the ``?`` of prose, placeholders, code and URLs:

* a line of plain ASCII that is mostly ``?``, with a run of six at least
  (Chinese through Latin-1: every hanzi and full-width mark lost, words and
  digits kept), and on such a page its other ASCII lines with ``??``;
* ``?`` standing between hanzi many times in one line, rarely at the end of a
  clause that asks (吗, 呢, 怎么, 有没有 …): the characters a codec of the other
  script lacked. When
  the page as a whole shows that shape, its short lines lost characters the same
  way: there a ``?`` beside a hanzi is marked too, and one beside a mark that
  opens (``“``) or goes on with a sentence (``，``, ``：``), where no question
  mark stands; one between spaces or ASCII is left (a literal one may stand there).

>>> repair_question_marks("?????? Debian ????, ??? 12.1 ?", CleanConfig()).text.count("\\ufffd")
14
>>> repair_question_marks("姓名：???  电话：???  为什么?是吗?", CleanConfig()).text
'姓名：???  电话：???  为什么?是吗?'
"""

from __future__ import annotations

import re

from cleaners.chinese import HAN_BASIC
from cleaners.model import CleanConfig, TextChange, frozen_counts

LOST = "\ufffd"
MIN_ASCII_SHARE = 0.5  # of the non-space characters of an ASCII line
MIN_ASCII_RUN = 6
BETWEEN_HANZI = re.compile(rf"(?<=[{HAN_BASIC}?])\?(?=[{HAN_BASIC}?])")
BESIDE_HANZI = re.compile(rf"(?<=[{HAN_BASIC}?])\?|\?(?=[{HAN_BASIC}?])")
# On a page that shows the shape, a ``?`` beside a mark no question mark stands next to: one that
# opens (``“《（``) or goes on with the sentence (``，、：；。``), before or after it.
BESIDE_MARK = re.compile(rf"(?<=[{HAN_BASIC}?“《（，、：；。])\?|\?(?=[{HAN_BASIC}?“《（，、：；。])")
HAN = re.compile(f"[{HAN_BASIC}]")
HAN_RUN = re.compile(f"[{HAN_BASIC}]+")
MIN_BETWEEN = 5  # such ``?`` in one line
MIN_BETWEEN_SHARE = 0.05  # of the line's hanzi
# Words that ask, Simplified and Traditional (this runs before t2s): a ``?`` that ends a clause holding one
# is a question mark. The clause, not only the character before it: a question ends as often on a noun
# (有没有已知的缺陷的记录?) as on 吗. In 问句码 the ``?`` split the text every few characters, so their
# clauses are short and rarely hold one.
ASKING = frozenset("吗嗎呢么麼啊吧谁誰何哪几幾怎嘛否")
A_NOT_A = re.compile(rf"([{HAN_BASIC}])[不没沒]\1")  # 有没有, 是不是, 会不会: a question by its form
CLAUSE_END = re.compile(r"[。！？；!?;…\n]")
MAX_CLAUSE = 30  # characters looked back from a ``?`` for a word that asks
MAX_ASKING_SHARE = 0.25
QUESTION_RUN = re.compile(r"\?+")
MAX_PLACEHOLDER_SHARE = 0.5  # of the ``?`` groups of a line that are runs of three or more
# A whole space-delimited token with ``://`` after its first character. Matched from token starts
# only (the look-behind): ``\S+://\S*`` alone tried every position of a long token and cost the square
# of its length (a line of hanzi is one token); the matches are the same (tests/test_speed_screens.py).
URL = re.compile(r"(?<!\S)\S+://\S*")


def lost_in_ascii_line(line: str) -> bool:
    if not could_be_lost_in_ascii(line):
        return False
    outside = URL.sub("", line)
    visible = [c for c in outside if not c.isspace()]
    return line.isascii() and "?" * MIN_ASCII_RUN in outside and outside.count("?") >= MIN_ASCII_SHARE * len(visible)


def page_lost_in_ascii(lines: list[str]) -> bool:
    """A line of the page lost its hanzi to a single-byte codec: its other ASCII lines with ``??`` did too."""
    return any(lost_in_ascii_line(line) for line in lines)


def lost_as_ascii(line: str, page_lost: bool) -> bool:
    """Every ``?`` of this ASCII line stands for a hanzi a single-byte codec lost (Chinese through Latin-1)."""
    return lost_in_ascii_line(line) or (page_lost and line.isascii() and "??" in URL.sub("", line))


def could_be_lost_in_ascii(line: str) -> bool:
    """Necessary for :func:`lost_in_ascii_line`, in C: an ASCII line with a run of ``?`` long enough.
    Removing URLs takes whole space-delimited tokens, so it never joins two runs into a longer one."""
    return line.isascii() and "?" * MIN_ASCII_RUN in line


def marked_outside_urls(line: str) -> str:
    """Every ``?`` of ``line`` as U+FFFD, those of its URLs (queries) aside."""
    pieces, last = [], 0
    for url in URL.finditer(line):
        pieces.append(line[last:url.start()].replace("?", LOST))
        pieces.append(url.group())
        last = url.end()
    pieces.append(line[last:].replace("?", LOST))
    return "".join(pieces)


def lost_between_hanzi(line: str) -> list[int]:
    """Where the ``?`` standing for lost hanzi are in ``line`` (none unless the shape is clear)."""
    if not shows_the_shape(line):
        return []
    # the shape is clear: every ``?`` beside a hanzi or another ``?`` stands for a lost character
    return [m.start() for m in BESIDE_HANZI.finditer(line)]


def shows_the_shape(text: str) -> bool:
    """``?`` stand between hanzi many times, rarely ending a clause that asks, rarely in runs of three."""
    found = [m.start() for m in BETWEEN_HANZI.finditer(text)]
    if len(found) < MIN_BETWEEN or len(found) < MIN_BETWEEN_SHARE * hanzi_count(text):
        return False
    asking = sum(asks(clause_before(text, at)) for at in found)
    if asking > MAX_ASKING_SHARE * len(found):
        return False
    groups = [len(m.group()) for m in QUESTION_RUN.finditer(text)]
    # ``???`` after ``???``: placeholders for what was never there, not a codec's losses
    return sum(n >= 3 for n in groups) <= MAX_PLACEHOLDER_SHARE * len(groups)


def hanzi_count(text: str) -> int:
    """How many characters of ``text`` :data:`HAN` matches, summed over their runs (a list of every
    hanzi was made to count them)."""
    return sum(map(len, HAN_RUN.findall(text)))


def clause_before(text: str, at: int) -> str:
    """The clause that the mark at ``at`` ends: back to the previous mark that ends one, at most ``MAX_CLAUSE``."""
    start = max(0, at - MAX_CLAUSE)
    ends = list(CLAUSE_END.finditer(text, start, at))
    return text[ends[-1].end() if ends else start:at]


def asks(clause: str) -> bool:
    """``clause`` holds a word that asks, or asks by its form (A不A)."""
    return not ASKING.isdisjoint(clause) or A_NOT_A.search(clause) is not None


def lost_on_the_page(line: str) -> list[int]:
    """On a page that shows the shape, the ``?`` of any of its lines beside a hanzi, another ``?``,
    or a mark that opens or goes on with a sentence (where no question mark stands)."""
    return [m.start() for m in BESIDE_MARK.finditer(line)]


def in_gu_wen_ma(line: str) -> bool:
    """The ``?`` are bytes a GBK decoder lost in UTF-8 (古文码): :mod:`cleaners.repair.utf8_as_gbk` reads them."""
    from cleaners.repair.utf8_as_gbk import repair_utf8_as_gbk

    return repair_utf8_as_gbk(line, CleanConfig()).text != line


def repair_question_marks(text: str, config: CleanConfig) -> TextChange:
    """Each ``?`` of a line of that shape becomes U+FFFD."""
    if "?" * 2 not in text and text.count("?") < MIN_BETWEEN:
        return TextChange(text)
    lines = text.split("\n")
    lost = marked_lines = 0
    # a page that shows the shape in one line has lost its hanzi in its shorter ASCII lines too
    page_lost = page_lost_in_ascii(lines)
    # a page that shows ``?`` between hanzi as a whole (its lines may be short) lost them everywhere
    page_shape = shows_the_shape(URL.sub("", text))
    for i, line in enumerate(lines):
        if "?" not in line:
            continue
        if lost_as_ascii(line, page_lost):
            fixed = marked_outside_urls(line)
        else:
            where = set(lost_on_the_page(URL.sub(lambda m: " " * len(m.group()), line)) if page_shape
                        else lost_between_hanzi(line))
            if not where or in_gu_wen_ma(line):
                continue
            fixed = "".join(LOST if at in where else c for at, c in enumerate(line))
        lost += fixed.count(LOST) - line.count(LOST)
        marked_lines += 1
        lines[i] = fixed
    if not marked_lines:
        return TextChange(text)
    return TextChange("\n".join(lines), frozen_counts({"lost_runs_marked": marked_lines, "mojibake_chars_lost": lost}))
