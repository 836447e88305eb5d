"""Counts moved from per-character Python loops to C give the same numbers as the loops did
(the loops are kept here as oracles), on any text: real prose, other scripts, unassigned code points."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.chinese import ANY_HAN_CHAR, COMPATIBILITY_BLOCK, EXTENSION_A, EXTENSIONS_B_TO_G, UNIFIED_BLOCK
from cleaners.decode.encoding import high_bytes, noise_count
from cleaners.text import quality
from cleaners.text.language import ScriptShares, script_shares
from cleaners.text.quality import (
    BLANK,
    BULLETS,
    END_PUNCT,
    duplicate_ngram_share,
    exactly_repeated_positions,
    ngram_keys,
    quality_signals,
    repeated_positions,
    share,
    without_blanks,
)
from tests.roundtrip import prose_documents

# The classes quality_signals counted one character at a time, before it counted runs (the oracle's).
HANZI = ANY_HAN_CHAR
DIGIT = re.compile(r"\d")
SYMBOL = re.compile(r"[^\w\s]|_")

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


def quality_signals_oracle(text: str) -> dict[str, float]:
    """The signals as they were counted before: a match object a character, a slice a position."""
    lines = [line for raw in text.split("\n") if (line := raw.strip())]
    compact = BLANK.sub("", text)
    chars = len(compact)
    seen = Counter(lines)
    punct_end = sum(1 for line in lines if line[-1] in END_PUNCT)
    bullets = sum(1 for line in lines if line[0] in BULLETS or line.endswith(("...", "…")))
    return {
        "hanzi_share": share(len(HANZI.findall(compact)), chars),
        "mean_line_chars": round(sum(map(len, lines)) / len(lines), 2) if lines else 0.0,
        "punct_end_share": share(punct_end, len(lines)),
        "dup_line_share": share(sum(n for n in seen.values() if n > 1), len(lines)),
        "dup_ngram_share": duplicate_ngram_share_oracle(compact),
        "symbol_share": share(len(SYMBOL.findall(compact)), chars),
        "digit_share": share(len(DIGIT.findall(compact)), chars),
        "bullet_share": share(bullets, len(lines)),
    }


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
        shares = script_shares(text)
        assert shares == script_shares_oracle(text)
        assert all(type(count) is int for count in vars(shares).values())


def code_point_blocks(end: int, size: int):
    """(start, text of the code points start..start+size, surrogates left out) for each block below ``end``."""
    for start in range(0, end, size):
        yield start, "".join(chr(c) for c in range(start, start + size) if not 0xD800 <= c <= 0xDFFF)


def test_script_shares_count_every_code_point_as_the_loop_did():
    """Each script's range, its borders and its holes: every code point below U+32000, one by one."""
    for start, text in code_point_blocks(0x32000, 0x800):
        assert script_shares(text) == script_shares_oracle(text), hex(start)


@settings(max_examples=300, deadline=None)
@given(PROSE, st.integers(0, 3), st.integers(1, 12))
def test_duplicate_ngram_share_as_the_loop_did(prose, repeats, n):
    text = prose + (prose[: len(prose) // 3] * repeats)
    assert duplicate_ngram_share(text, n) == duplicate_ngram_share_oracle(text, n)


def noise_count_oracle(text: str) -> int:
    """The loop ``reads_as_text`` ran over every character."""
    return sum(1 for c in text if unicodedata.category(c) in ("Cc", "Cn", "Cs") and c not in "\t\n\r\f\x0b")


@settings(max_examples=500, deadline=None)
@given(st.text(st.one_of(CHARS, st.sampled_from("\x00\x07\t\n\r\f\x0b\x1b\x7f\x85\ufffd\U000e0000")), max_size=300),
       PROSE, st.integers(0, 400))
def test_noise_count_counts_as_the_loop_did(noise, prose, cut):
    for text in (noise, prose[:cut] + noise + prose[cut:cut * 2] + noise):
        assert noise_count(text) == noise_count_oracle(text)


def test_noise_count_of_every_code_point_as_the_loop_did():
    for start, text in code_point_blocks(0x110000, 0x10000):
        assert noise_count(text) == noise_count_oracle(text), hex(start)
    assert noise_count("\ud800a\udfff") == noise_count_oracle("\ud800a\udfff") == 2  # lone surrogates


@given(st.binary(max_size=500))
def test_high_bytes_counts_bytes_above_ascii(data):
    assert high_bytes(data) == sum(1 for b in data if b > 0x7F)


@settings(max_examples=300, deadline=None)
@given(st.text(CHARS, max_size=200), PROSE, st.integers(0, 600), st.integers(0, 3))
def test_quality_signals_as_the_loops_did(noise, prose, cut, repeats):
    """Real prose with other scripts, digits, symbols, unassigned and astral code points, and repeats."""
    text = prose[:cut] + noise + prose[cut:cut * 2] + noise[:cut % 50] * repeats
    signals = quality_signals(text)
    assert signals == quality_signals_oracle(text)
    assert all(type(value) is float for value in signals.values())  # no numpy scalar reaches the records


def test_quality_signals_of_every_code_point_as_the_loops_did():
    """Each code point's class (hanzi, digit, symbol, blank) as the per-character patterns gave it."""
    for start, text in code_point_blocks(0x110000, 0x4000):
        assert quality_signals(text) == quality_signals_oracle(text), hex(start)


@settings(max_examples=100, deadline=None)
@given(PROSE, st.integers(0, 3), st.integers(1, 12))
def test_repeated_ngrams_when_hashes_collide(prose, repeats, n):
    """A hash that makes every n-gram collide is caught, and the exact sort gives the loop's count."""
    compact = BLANK.sub("", prose + prose[: len(prose) // 3] * repeats)
    if len(compact) - n + 1 < n:
        return
    keys = ngram_keys(compact, n)
    colliding = np.zeros(len(keys[0]), dtype=np.uint64)
    positions = len(compact) - n + 1
    expected = duplicate_ngram_share_oracle(compact, n)
    assert share(exactly_repeated_positions(keys), positions) == expected
    caught = repeated_positions(keys, colliding)
    assert caught is None or share(caught, positions) == expected


def test_duplicate_ngram_share_falls_back_on_a_collision(monkeypatch):
    prose = prose_documents()[0]
    monkeypatch.setattr(quality, "mixed_hash", lambda keys: np.zeros(len(keys[0]), dtype=np.uint64))
    assert duplicate_ngram_share(prose + prose[:200]) == duplicate_ngram_share_oracle(prose + prose[:200])


def test_without_blanks_drops_what_the_blank_pattern_drops_of_every_code_point():
    every = "".join(map(chr, range(0x110000)))  # lone surrogates too
    assert without_blanks(every) == BLANK.sub("", every)
    assert without_blanks(every[:0x3100]) != every[:0x3100]
