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

from functools import lru_cache

import numpy as np

from cleaners.simplify import converter

# Full-width ASCII forms U+FF01..U+FF5E map to U+0021..U+007E.
_WIDE_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDE_ASCII[0x3000] = 0x20


@lru_cache(maxsize=65536)
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


class _FoldTable(dict):
    """Code point → shadow character, filled the first time ``str.translate`` asks for one."""

    def __missing__(self, code: int) -> str:
        value = fold_char(chr(code))
        self[code] = value
        return value


_TABLE = _FoldTable()

# The same table as an array over every code point, for long texts: ``str.translate``
# looks each character up in a dict (~100 ns a character); gathering code points
# through an array is about ten times faster. Filled from ``fold_char`` the first
# time a code point is seen, like the dict.
_CODES = np.arange(0x110000, dtype=np.uint32)
_KNOWN = np.zeros(0x110000, dtype=bool)
_KNOWN[:0x80] = True
_ARRAY_FROM = 128  # shorter strings: the array's fixed cost is more than translate's


def _fold_array(text: str) -> str:
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    unknown = codes[~_KNOWN[codes]]
    if unknown.size:
        for code in np.unique(unknown).tolist():
            _CODES[code] = ord(fold_char(chr(code)))
            _KNOWN[code] = True
    return _CODES[codes].tobytes().decode("utf-32-le", "surrogatepass")


# Lines are folded again by every rule that looks at them: remember the shadows
# of line-sized strings (bounded), never of whole pages.
_MEMO_MAX_CHARS = 4096


def fold(text: str) -> str:
    """The shadow of ``text``: same length, Simplified, ASCII punctuation.

    >>> fold("時間：2023-11-12（週日）")
    '时间:2023-11-12(周日)'
    >>> len(fold("學習啦>實用範文>")) == len("學習啦>實用範文>")
    True
    """
    if len(text) <= _MEMO_MAX_CHARS:
        return _fold_line(text)
    return _fold_array(text)


@lru_cache(maxsize=16384)
def _fold_line(text: str) -> str:
    return text.translate(_TABLE) if len(text) < _ARRAY_FROM else _fold_array(text)
