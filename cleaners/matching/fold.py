"""A same-length shadow of a text, for matching patterns in one script and one punctuation width.

Chrome and notice patterns must recognise ``學習啦`` and ``学习啦``, ``時間:`` and
``时间：`` alike: until punctuation normalisation and Simplified conversion have
run (they run after the page-structure stages), a page may hold Traditional
text with half-width punctuation, Simplified text with full-width punctuation,
or any mix. Rather than writing every pattern four times, patterns are written
once, in Simplified with ASCII punctuation, and matched against :func:`fold`\\ ed
text:

* every character is converted to Simplified on its own (OpenCC ``t2s``, one
  character at a time, so the shadow keeps the length and every offset of the
  original);
* full-width ASCII forms (``，：；？！（）＞`` …) become ASCII, the ideographic
  space a space.

A match in the shadow is a span of the original: what is removed or captured
is always cut from the original text.
"""

from __future__ import annotations

import re

import numpy as np

from cleaners.text.simplify import converter

WHITESPACE = re.compile(r"\s+")

# Full-width ASCII forms U+FF01..U+FF5E map to U+0021..U+007E.
_WIDE_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDE_ASCII[0x3000] = 0x20


def fold_char(char: str) -> str:
    """One character in the shadow: Simplified, ASCII punctuation; always one character.

    >>> fold_char("學"), fold_char("，"), fold_char("a"), fold_char("著")
    ('学', ',', 'a', '著')
    """
    code = ord(char)
    if code < 0x80:
        return char
    if code in _WIDE_ASCII:
        return chr(_WIDE_ASCII[code])
    simplified = converter("t2s.json").convert(char)
    return simplified if len(simplified) == 1 else char


# The shadow of every code point, in an array over all of them (4.5 MB), filled from
# ``fold_char`` the first time a code point is seen: long texts are folded by gathering
# their code points through it (about ten times faster than ``str.translate``).
_CODES = np.arange(0x110000, dtype=np.uint32)
_KNOWN = np.zeros(0x110000, dtype=bool)
_KNOWN[:0x80] = True
_ARRAY_FROM = 128  # shorter strings: the array's fixed cost is more than translate's


def _learn(codes) -> None:
    for code in codes:
        _CODES[code] = ord(fold_char(chr(code)))
        _KNOWN[code] = True


class _FoldTable(dict):
    """Code point → shadow character for ``str.translate``, filled from the array the first time
    ``str.translate`` asks for one (bounded by the alphabet: one entry per character ever seen)."""

    def __missing__(self, code: int) -> str:
        if not _KNOWN[code]:
            _learn((code,))
        value = self[code] = chr(_CODES[code])
        return value


_TABLE = _FoldTable()


def _fold_array(text: str) -> str:
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    unknown = codes[~_KNOWN[codes]]
    if unknown.size:
        _learn(np.unique(unknown).tolist())
    return _CODES[codes].tobytes().decode("utf-32-le", "surrogatepass")


# Lines are folded again by every rule and stage that looks at them: the shadows of
# line-sized strings are remembered, never of whole pages, up to a budget of characters
# (of the lines; their shadows are as long), after which the memo starts afresh. A count
# of entries alone does not bound it: 16,384 lines of up to 4,096 characters held ~10 M
# characters (60 MB) after a 10 MB batch, and would have held more after a larger one.
_MEMO_MAX_CHARS = 4096
_MEMO_BUDGET = 2_000_000
_memo: dict[str, str] = {}
_memo_chars = 0


def fold(text: str) -> str:
    """The shadow of ``text``: same length, Simplified, ASCII punctuation.

    >>> fold("時間：2023-11-12（週日）")
    '时间:2023-11-12(周日)'
    >>> len(fold("學習啦>實用範文>")) == len("學習啦>實用範文>")
    True
    """
    if len(text) > _MEMO_MAX_CHARS:
        return _fold_page(text)
    folded = _memo.get(text)
    if folded is None:
        folded = _fold_line(text)
    return folded


# A page's text is folded by several stages (the notices, the head, both chrome passes …) while it
# stays the same: the shadows of the last few long texts are kept, and found by comparing the texts
# (a comparison stops at the first differing character; hashing a page would read all of it).
_RECENT_MAX = 6
_RECENT_MAX_CHARS = 262_144  # a longer text is folded each time: the few kept stay small
_recent: list[tuple[str, str]] = []


def _fold_page(text: str) -> str:
    for known, folded in _recent:
        if known == text:
            return folded
    folded = _fold_array(text)
    if len(text) <= _RECENT_MAX_CHARS:
        if len(_recent) >= _RECENT_MAX:
            _recent.pop()
        _recent.insert(0, (text, folded))
    return folded


def _fold_line(text: str) -> str:
    global _memo_chars
    folded = text.translate(_TABLE) if len(text) < _ARRAY_FROM else _fold_array(text)
    if _memo_chars + len(text) > _MEMO_BUDGET:
        _memo.clear()
        _memo_chars = 0
    _memo[text] = folded
    _memo_chars += len(text)
    return folded


def compact(text: str) -> str:
    """The folded shadow without any whitespace: how two lines are compared as the same words.

    >>> compact("安裝 前 需要：") == compact("安装前需要:")
    True
    """
    return WHITESPACE.sub("", fold(text))
