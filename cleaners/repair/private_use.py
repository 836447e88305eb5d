"""Map the private-use characters that GBK's user-defined code points became.

GBK kept three user-defined areas (``AAA1``–``AFFE``, ``F8A1``–``FEFE``,
``A140``–``A7A0``) that decoders map to U+E000–U+E765. Old pages put two of them
to common use: ``A3A0`` (U+E5E5) as a full-width space, which GB18030 later
left unassigned. That one is mapped to what it meant, U+3000. Any other
character of the range held a glyph of some site's private font that the bytes
no longer say: it is marked U+FFFD and counted in ``mojibake_chars_lost``.

Runs after :func:`cleaners.repair.misaligned_gbk.repair_mojibake`, which reads these
characters back into bytes when they sit in a misaligned span.

>>> repair_private_use("第一章\\ue5e5总则", CleanConfig()).text
'第一章\\u3000总则'
"""

from __future__ import annotations

import re

from cleaners.model import CleanConfig, TextChange, frozen_counts

FULL_WIDTH_SPACE_PUA = "\ue5e5"  # GBK A3A0
# The private-use characters GBK's user-defined areas decode to.
GBK_USER_DEFINED = re.compile("[\ue000-\ue765]")


def repair_private_use(text: str, config: CleanConfig) -> TextChange:
    """U+E5E5 becomes U+3000; other GBK user-defined characters become U+FFFD."""
    if not GBK_USER_DEFINED.search(text):
        return TextChange(text)
    mapped = text.count(FULL_WIDTH_SPACE_PUA)
    fixed = text.replace(FULL_WIDTH_SPACE_PUA, "\u3000")
    lost = len(GBK_USER_DEFINED.findall(fixed))
    fixed = GBK_USER_DEFINED.sub("\ufffd", fixed)
    examples = (f"{mapped} × U+E5E5 → U+3000",) if mapped else ()
    return TextChange(fixed, frozen_counts({"pua_mapped": mapped, "mojibake_chars_lost": lost}), examples)
