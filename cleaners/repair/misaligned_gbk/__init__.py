"""Repair GBK text that a lenient decoder read one byte out of step (ARTIFACTS §2).

How the damage arose (pages 002 and 003, verified byte for byte): a GBK page got
``(pinyin)`` appended after the bytes of listed characters, also where those
bytes straddled two characters (trigger T1), or an invalid byte landed after a
lead byte (trigger T2); a lenient decoder turned that lead byte and the byte
after it into ``?`` and then paired every trail byte with the next lead byte
until an ASCII byte put it back in step. User-defined pairs it met became
private-use characters or vanished; afterwards ``，！？；：（）`` were made
half-width.

The repair runs the mechanism backwards, for every ``?`` that opens a run of
characters (a *span*):

1. the run is turned back into bytes: GBK characters to their codes, ``,!?;:()``
   to the full-width A3xx codes, private-use characters to their user-defined
   bytes, a surfaced ASCII trail byte to itself; the trigger annotation is dropped;
2. the byte the opening ``?`` swallowed is put back: for T1 it is the second
   byte of the character the orphan annotation names (its first byte must be the
   trail of the character before); for T2 it is unknown;
3. if the run ends in ``?``, the last character's trail byte is unknown (or pinned
   by the annotation that follows); where the decoder dropped user-defined pairs,
   pairs may be missing between any two units;
4. the bytes are re-paired and decoded strictly; the unknown bytes are chosen by
   a beam search scored with the character model of :mod:`cleaners.repair.charlm` (jieba's
   word list plus the page's own text, whose 4-grams are the best witness).

A span is repaired only when the repaired text reads far better than the damaged
one (so a genuine question mark stays). Every hypothesis reads the same units, so
the output splits into *slots*, one per unit (what its lead byte and the pending
byte make, with any characters dropped pairs hid between them) and one for the
closing. A slot's reading is written only when the best hypothesis that reads the
slot otherwise scores clearly lower (far lower, when the rival has another length
and neither the page nor the word list bears the reading out; and, for a character
none of whose bytes is on the page, an intact copy of its passage stands elsewhere
on the page); otherwise
the slot becomes U+FFFD, as many as the longest close reading has characters (on a
page whose decoder dropped pairs, as many as the longest reading the search
admits), counted in ``mojibake_chars_lost``, as is an ASCII character the decoder
swallowed.

The package, one idea per module: :mod:`.spans` (find the spans of a page, repair each),
:mod:`.search` (the beam search), :mod:`.closing` (a run closed by ``?``), :mod:`.gaps`
(dropped-pair chains), :mod:`.ranking` (candidate characters), :mod:`.confidence` (which
readings are written), :mod:`.scoring`, :mod:`.hypothesis`, :mod:`.text` and :mod:`.params`
(the tuning, one frozen object).

>>> from cleaners.model import CleanConfig
>>> repair_mojibake("當(dāng)?shù)幕A", CleanConfig()).text
'當(dāng)的基礎'
"""
from cleaners.repair.misaligned_gbk.spans import repair_mojibake

__all__ = ["repair_mojibake"]
