"""What the wild-mojibake repairs share: judging whether a reading is Chinese text."""

from __future__ import annotations

from cleaners.decode.encoding import HIT, judge_char

# A repaired span must read as common hanzi and CJK punctuation at least this much.
MIN_REPAIRED_SHARE = 0.9
# ... and clearly better than the damaged span did.
MIN_GAIN = 0.3


def common_share(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are common hanzi or punctuation."""
    wide = [c for c in text if ord(c) > 0x7F and not c.isspace()]
    if not wide:
        return 0.0
    return sum(judge_char(c) == HIT for c in wide) / len(wide)


def reads_better(damaged: str, repaired: str, min_share: float = MIN_REPAIRED_SHARE) -> bool:
    """The repaired reading is Chinese text and clearly better than the damaged one."""
    share = common_share(repaired)
    return share >= min_share and share - common_share(damaged) >= MIN_GAIN
