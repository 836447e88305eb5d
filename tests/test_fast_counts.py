"""Counts moved from per-character Python loops to C give the same numbers as the loops did
(the loops are kept here as oracles), on any text: real prose, other scripts, unassigned code points."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.chinese import COMPATIBILITY_BLOCK, EXTENSION_A, EXTENSIONS_B_TO_G, UNIFIED_BLOCK
from cleaners.decode.encoding import high_bytes
from cleaners.text.language import ScriptShares, script_shares
from cleaners.text.quality import BLANK, duplicate_ngram_share, share
from tests.roundtrip import prose_documents

# Every ideograph: the blocks of cleaners.chinese.HAN_WITH_EXTENSIONS, compared code point by code point.
HANZI_BLOCKS = (UNIFIED_BLOCK, EXTENSION_A, EXTENSIONS_B_TO_G, COMPATIBILITY_BLOCK)


def script_shares_oracle(text: str) -> ScriptShares:
    letters = hanzi = kana = hangul = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        code = ord(ch)
        if any(first <= code <= last for first, last in HANZI_BLOCKS):
            hanzi += 1
        elif 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9D:
            kana += 1
        elif 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            hangul += 1
    return ScriptShares(letters, hanzi, kana, hangul)


def duplicate_ngram_share_oracle(text: str, n: int = 10) -> float:
    compact = BLANK.sub("", text)
    positions = len(compact) - n + 1
    if positions < n:
        return 0.0
    counts = Counter(compact[i:i + n] for i in range(positions))
    return share(sum(c for c in counts.values() if c > 1), positions)


# Every code point the ranges border on, and beyond: letters, marks, unassigned, astral.
EDGES = [0x3040, 0x3099, 0x30A0, 0x30FB, 0x30FC, 0x30FF, 0x3130, 0x3164, 0x318F, 0x31F0, 0x3400, 0x4DBF, 0x4E00,
         0x9FFF, 0xAC00, 0xD7A3, 0xD7AF, 0xF900, 0xFA6E, 0xFAFF, 0xFF66, 0xFF9D, 0x1100, 0x11FF, 0x20000, 0x2A6E0,
         0x3134F, 0x31350]
CHARS = st.one_of(st.characters(), st.sampled_from([chr(c + d) for c in EDGES for d in (-1, 0, 1)]))
PROSE = st.sampled_from(prose_documents())


@settings(max_examples=500, deadline=None)
@given(st.text(CHARS, max_size=300), PROSE, st.integers(0, 400))
def test_script_shares_count_as_the_loop_did(noise, prose, cut):
    for text in (noise, prose[:cut] + noise + prose[cut:cut * 2]):
        assert script_shares(text) == script_shares_oracle(text)


def test_script_shares_count_every_code_point_as_the_loop_did():
    """Each script's range, its borders and its holes: every code point below U+32000, one by one."""
    for start in range(0, 0x32000, 0x800):
        text = "".join(chr(c) for c in range(start, start + 0x800) if not 0xD800 <= c <= 0xDFFF)
        assert script_shares(text) == script_shares_oracle(text), hex(start)


@settings(max_examples=300, deadline=None)
@given(PROSE, st.integers(0, 3), st.integers(1, 12))
def test_duplicate_ngram_share_as_the_loop_did(prose, repeats, n):
    text = prose + (prose[: len(prose) // 3] * repeats)
    assert duplicate_ngram_share(text, n) == duplicate_ngram_share_oracle(text, n)


@given(st.binary(max_size=500))
def test_high_bytes_counts_bytes_above_ascii(data):
    assert high_bytes(data) == sum(1 for b in data if b > 0x7F)
