"""Map the private-use characters that GBK's user-defined code points became.

GBK kept three user-defined areas (``AAA1``–``AFFE``, ``F8A1``–``FEFE``,
``A140``–``A7A0``) that decoders map to U+E000–U+E765. Old pages put two of them
to common use: ``A3A0`` (U+E5E5) as a full-width space, which GB18030 later
left unassigned. That one is mapped to what it meant, U+3000. Any other
character of the range held a glyph of some site's private font that the bytes
no longer say: it is marked U+FFFD and counted in ``mojibake_chars_lost``.

Icon fonts (iconfont and the like, from U+E600 on) write private-use code points
of their own into UTF-8 pages: one glyph set apart from the words, before a menu
word or a count (``\\ue600 首页``, ``阅读 \\ue62b 12``). Such a lone character at a
line's edge or beside a space is no decoded GBK pair, and stays as it is; GBK's
characters stand inside the words they belong to or in runs.

Runs after :func:`cleaners.repair.misaligned_gbk.repair_mojibake`, which reads these
characters back into bytes when they sit in a misaligned span.

>>> repair_private_use("第一章\\ue5e5总则", CleanConfig()).text
'第一章\\u3000总则'
>>> repair_private_use("\\ue600 首页\\n王\\ue123明", CleanConfig()).text
'\\ue600 首页\\n王\\ufffd明'
"""

from __future__ import annotations

import re

from cleaners.model import CleanConfig, TextChange, frozen_counts

FULL_WIDTH_SPACE_PUA = "\ue5e5"  # GBK A3A0
# The private-use characters GBK's user-defined areas decode to.
GBK_USER_DEFINED = re.compile("[\ue000-\ue765]")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# What sets an icon apart from the words in extracted text: a line's edge, a space or a tab (an A3A0
# indent is GBK's own full-width space, no separator of HTML).
ICON_SEPARATORS = " \t\n"


def is_icon_glyph(text: str, at: int) -> bool:
    """The private-use character at ``at`` stands alone beside a line edge or a space, as an icon does."""
    before = text[at - 1] if at else "\n"
    after = text[at + 1] if at + 1 < len(text) else "\n"
    if PRIVATE_USE.match(before) or PRIVATE_USE.match(after) or "\ufffd" in (before, after):
        return False
    return before in ICON_SEPARATORS or after in ICON_SEPARATORS


def repair_private_use(text: str, config: CleanConfig) -> TextChange:
    """U+E5E5 becomes U+3000; other GBK user-defined characters, but icons, become U+FFFD."""
    if not GBK_USER_DEFINED.search(text):
        return TextChange(text)
    mapped = text.count(FULL_WIDTH_SPACE_PUA)
    spaced = text.replace(FULL_WIDTH_SPACE_PUA, "\u3000")
    lost = 0
    pieces: list[str] = []
    last = 0
    for match in GBK_USER_DEFINED.finditer(spaced):
        if is_icon_glyph(spaced, match.start()):
            continue
        pieces.append(spaced[last: match.start()] + "\ufffd")
        last = match.end()
        lost += 1
    fixed = "".join(pieces) + spaced[last:]
    examples = (f"{mapped} × U+E5E5 → U+3000",) if mapped else ()
    return TextChange(fixed, frozen_counts({"pua_mapped": mapped, "mojibake_chars_lost": lost}), examples)
