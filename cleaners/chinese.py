"""The shared facts of Chinese text: one place for each, read by every stage.

* Han characters: the CJK Unified Ideographs (U+4E00–9FFF), Extension A
  (U+3400–4DBF) and the Compatibility Ideographs (U+F900–FAFF), as the body of
  a regex character class; :data:`HAN_UNIFIED` without the compatibility block.
* Chinese punctuation: the CJK Symbols and Punctuation block, the full-width
  forms, and the general punctuation Chinese prose uses (“”‘’…—·).
* Time: pages give local times in China, read as Asia/Shanghai (:data:`SHANGHAI`).
* Titles: ``标题_栏目_网站`` page titles are cut at :data:`TITLE_SEPARATORS`.
* Script: a text is ``hans``, ``hant`` or ``mixed`` from how many of its
  characters only Traditional and only Simplified text write
  (:func:`script_of`); the counting is :mod:`cleaners.text.simplify`'s.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

HAN_UNIFIED = "\u3400-\u4dbf\u4e00-\u9fff"
HAN = HAN_UNIFIED + "\uf900-\ufaff"
HAN_CHAR = re.compile(f"[{HAN}]")
# Every ideograph, the supplementary planes (extensions B and later) included: for counting hanzi.
HAN_WITH_EXTENSIONS = HAN + "\U00020000-\U0003134f"
ANY_HAN_CHAR = re.compile(f"[{HAN_WITH_EXTENSIONS}]")

CJK_SYMBOLS = "\u3000-\u303f"
FULL_WIDTH_FORMS = "\uff01-\uff60"  # ！ to ｠: full-width ASCII and brackets
PROSE_PUNCTUATION = "“”‘’…—·"

SHANGHAI_NAME = "Asia/Shanghai"
SHANGHAI = ZoneInfo(SHANGHAI_NAME)

TITLE_SEPARATORS = re.compile(r"\s*[_|｜–—]\s*|\s+-\s+")

# Share of script-specific characters that must be Traditional (or Simplified)
# before a text is called hant (or hans) rather than mixed. Sites' own S→T
# converters leave 干/于/后/范 Simplified (ARTIFACTS §9), so a real Traditional
# page is never 100 % Traditional.
SCRIPT_MAJORITY = 0.8


def script_of(traditional_chars: int, simplified_chars: int) -> str:
    """``hans``, ``hant`` or ``mixed`` from the counts of script-specific characters.

    >>> script_of(0, 0), script_of(9, 1), script_of(1, 9), script_of(5, 5)
    ('hans', 'hant', 'hans', 'mixed')
    """
    if traditional_chars == 0:
        return "hans"
    share = traditional_chars / (traditional_chars + simplified_chars)
    if share >= SCRIPT_MAJORITY:
        return "hant"
    if share <= 1 - SCRIPT_MAJORITY:
        return "hans"
    return "mixed"
