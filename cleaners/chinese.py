"""The shared facts of Chinese text: one place for each, read by every stage.

* Han characters: the blocks of ideographs as code point ranges, and the sets
  the stages read, each the body of a regex character class (see "Which Han set"
  below; :data:`IDEOGRAPH_TABLE_BLOCKS` for tables indexed by code point).
* Chinese punctuation: the CJK Symbols and Punctuation block, the full-width
  forms, and the general punctuation Chinese prose uses (“”‘’…—·).
* Time: pages give local times in China, read as Asia/Shanghai (:data:`SHANGHAI`).
* Titles: ``标题_栏目_网站`` page titles are cut at :data:`TITLE_SEPARATORS`.
* Script: a text is ``hans``, ``hant`` or ``mixed`` from how many of its
  characters only Traditional and only Simplified text write
  (:func:`script_of`, the one rule; ``clear=True`` for a clear majority); the
  counting is :mod:`cleaners.text.simplify`'s (records) and
  :func:`cleaners.repair.charlm.page_script`'s (the repairs' prior).
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

# The blocks of Han ideographs, first and last code point.
UNIFIED_BLOCK = (0x4E00, 0x9FFF)  # CJK Unified Ideographs: where every hanzi of GB2312 and Big5 lies
EXTENSION_A = (0x3400, 0x4DBF)
COMPATIBILITY_BLOCK = (0xF900, 0xFAFF)  # CJK Compatibility Ideographs (Big5's and KS X 1001's duplicates)
SUPPLEMENTARY_PLANE = (0x20000, 0x2FFFF)  # Extensions B to F and I, the compatibility supplement
EXTENSIONS_B_TO_G = (0x20000, 0x3134F)  # the supplementary plane and Extension G (U+30000–3134F)


def class_body(*blocks: tuple[int, int]) -> str:
    """The body of a regex character class holding ``blocks`` (``一-鿿`` for the unified block).

    >>> class_body(UNIFIED_BLOCK) == "\u4e00-\u9fff"
    True
    """
    return "".join(f"{chr(first)}-{chr(last)}" for first, last in blocks)


# Which Han set (each the body of a character class; a stage takes the one it was measured with):
# * HAN_BASIC, the unified block alone: what the question-mark repair and the meta line's byline
#   shapes (a reporter's name, a dateline, an ICP line's place) read as a hanzi; the benchmarks' corpus.
# * HAN_UNIFIED, Extension A and the unified block: the letters of text compared for duplicates.
# * HAN_UNIFIED_SPAN, U+3400–9FFF as one range (the Yijing hexagrams between included): the
#   character model's context classes and its page-script sample.
# * HAN, HAN_UNIFIED and the compatibility block: every BMP ideograph; what most stages mean by hanzi.
# * HAN_WITH_EXTENSIONS, HAN and the supplementary planes (Extensions B to G): for counting hanzi.
# * IDEOGRAPH_TABLE_BLOCKS, HAN's blocks and the supplementary plane as half-open code point
#   ranges: the blocks whose characters OpenCC's s2t changes one by one (cleaners.text.simplify).
HAN_BASIC = class_body(UNIFIED_BLOCK)
HAN_UNIFIED = class_body(EXTENSION_A, UNIFIED_BLOCK)
HAN_UNIFIED_SPAN = class_body((EXTENSION_A[0], UNIFIED_BLOCK[1]))
HAN = HAN_UNIFIED + class_body(COMPATIBILITY_BLOCK)
HAN_CHAR = re.compile(f"[{HAN}]")
HAN_WITH_EXTENSIONS = HAN + class_body(EXTENSIONS_B_TO_G)
ANY_HAN_CHAR = re.compile(f"[{HAN_WITH_EXTENSIONS}]")
IDEOGRAPH_TABLE_BLOCKS = tuple(
    (first, last + 1) for first, last in (EXTENSION_A, UNIFIED_BLOCK, COMPATIBILITY_BLOCK, SUPPLEMENTARY_PLANE)
)

CJK_SYMBOLS = "\u3000-\u303f"
FULL_WIDTH_FORMS = "\uff01-\uff60"  # ！ to ｠: full-width ASCII and brackets
WIDTH_FORMS_BLOCK = "\uff00-\uffef"  # the whole Halfwidth and Fullwidth Forms block (half-width kana too)
PROSE_PUNCTUATION = "“”‘’…—·"
# Hanzi and the punctuation around them, as one class body: between two of these a line wrap is no
# space (an HTML page's source wraps Chinese prose anywhere).
CJK_TEXT = HAN + CJK_SYMBOLS + WIDTH_FORMS_BLOCK

SHANGHAI_NAME = "Asia/Shanghai"
SHANGHAI = ZoneInfo(SHANGHAI_NAME)

TITLE_SEPARATORS = re.compile(r"\s*[_|｜–—]\s*|\s+-\s+")

# Share of script-specific characters that must be Traditional (or Simplified)
# before a text is called hant (or hans) rather than mixed. Sites' own S→T
# converters leave 干/于/后/范 Simplified (ARTIFACTS §9), so a real Traditional
# page is never 100 % Traditional.
SCRIPT_MAJORITY = 0.8


def script_of(traditional_chars: int, simplified_chars: int, *, clear: bool = False) -> str:
    """``hans``, ``hant`` or ``mixed`` from the counts of script-specific characters.

    The one script rule: a text is ``hant`` (``hans``) when at least
    :data:`SCRIPT_MAJORITY` of its script-specific characters are Traditional
    (Simplified), and a text with none is ``hans``, the script the corpus writes.
    ``clear=True`` asks for a clear majority instead, as the repairs' character
    model does before it trusts a page's script: more than the majority, and a
    text with no script-specific character at all is ``mixed`` (undecided).

    >>> script_of(0, 0), script_of(9, 1), script_of(1, 9), script_of(5, 5)
    ('hans', 'hant', 'hans', 'mixed')
    >>> script_of(4, 1), script_of(4, 1, clear=True), script_of(0, 0, clear=True), script_of(0, 3, clear=True)
    ('hant', 'mixed', 'mixed', 'hans')
    """
    if traditional_chars == 0:
        return "mixed" if clear and simplified_chars == 0 else "hans"
    share = traditional_chars / (traditional_chars + simplified_chars)
    if share > SCRIPT_MAJORITY if clear else share >= SCRIPT_MAJORITY:
        return "hant"
    if share < 1 - SCRIPT_MAJORITY if clear else share <= 1 - SCRIPT_MAJORITY:
        return "hans"
    return "mixed"
