"""What the wild-mojibake repairs share: judging whether a reading is Chinese text."""

from __future__ import annotations

from functools import cache

from cleaners.decode.encoding import HIT, common_hanzi, judge_char
from cleaners.text.simplify import converter

# A repaired span must read as common hanzi and CJK punctuation at least this much.
MIN_REPAIRED_SHARE = 0.9
# ... and clearly better than the damaged span did.
MIN_GAIN = 0.3


@cache
def opencc_traditional() -> frozenset[str]:
    """The Traditional forms OpenCC's ``s2t`` writes for common hanzi that Big5's level 1 lacks
    (爲, 裏, 衆, 饋 …: Big5 writes 為, 裡, 眾): common in Traditional text converted by OpenCC."""
    convert = converter("s2t.json").convert
    forms = (convert(char) for char in common_hanzi())
    return frozenset(form for form in forms if len(form) == 1 and form not in common_hanzi())


# The punctuation of the Latin-1 block that Chinese text writes: the middle dot of 让·雅克. The rest
# (¡ ¿ « » § ¶ …) is what a wrong codec writes for bytes A1-BF, never evidence that a reading is Chinese.
LATIN1_PUNCTUATION_OF_CHINESE = frozenset("·")


def is_common(char: str) -> bool:
    """A common hanzi of either script (OpenCC's Traditional forms included) or punctuation of Chinese text."""
    if "\x80" <= char <= "\xff" and char not in LATIN1_PUNCTUATION_OF_CHINESE:
        return False
    return judge_char(char) == HIT or char in opencc_traditional()


def common_share(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are common hanzi or punctuation."""
    wide = [c for c in text if ord(c) > 0x7F and not c.isspace()]
    if not wide:
        return 0.0
    return sum(is_common(c) for c in wide) / len(wide)


def reads_better(damaged: str, repaired: str, min_share: float = MIN_REPAIRED_SHARE) -> bool:
    """The repaired reading is Chinese text and clearly better than the damaged one."""
    share = common_share(repaired)
    return share >= min_share and share - common_share(damaged) >= MIN_GAIN
