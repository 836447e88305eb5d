"""The detector among the CJK encodings alone gives the Chinese ranking the same votes as the full detector.

``chinese_detector_guesses`` is the fast form; the oracle is the detector over
every encoding chardet knows (``detector_guesses``, what ``decode_legacy``
called before). Pages that decode strictly in both Chinese families are what
reaches it: real prose (the Debian FAQ excerpt, the samples, the real pages'
text) in Simplified and in Traditional (OpenCC s2twp), encoded in each Chinese
codec, as whole pages, lines and slices, with and without a charset declaration.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from unittest import mock

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaners.decode.encoding as enc
from cleaners.errors import Rejected
from tests.conftest import seed_text
from tests.roundtrip import prose_documents

REALPAGES = Path(__file__).resolve().parent / "data" / "realpages"
CODECS = ("gb18030", "gbk", "big5", "cp950", "big5hkscs")
FAMILIES = ("gb18030", "big5")


@lru_cache(maxsize=1)
def traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2twp.json")


@lru_cache(maxsize=1)
def real_texts() -> tuple[str, ...]:
    """Whole documents: the FAQ excerpt's blocks, the samples, the real pages' text without tags."""
    pages = [re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8", errors="replace"))
             for path in sorted(REALPAGES.glob("*.html"))]
    samples = [seed_text(f"00{n}") for n in range(5)]
    return (*prose_documents(), *samples, *pages)


@lru_cache(maxsize=1)
def real_lines() -> tuple[str, ...]:
    return tuple(line for text in real_texts() for line in text.splitlines() if line.strip())


def encoded(text: str, codec: str, script: str) -> bytes:
    """``text`` in the script, encoded in the codec (characters it lacks left out)."""
    if script == "hant":
        text = traditional().convert(text)
    return text.encode(codec, "ignore")


def ambiguous(raw: bytes) -> bool:
    """What reaches the Chinese ranking: not UTF-8, strict in both Chinese families."""
    if enc.strict_decode(raw, "utf-8") is not None:
        return False
    return all(enc.strict_decode(raw, codec) is not None for codec in FAMILIES)


def outcome(raw: bytes) -> enc.Decoded | tuple[str, str]:
    try:
        return enc.decode_bytes(raw)
    except Rejected as rejected:
        return (rejected.reason, str(rejected))


def oracle_outcome(raw: bytes) -> enc.Decoded | tuple[str, str]:
    with mock.patch.object(enc, "chinese_detector_guesses", enc.detector_guesses):
        return outcome(raw)


def votes(guesses: list[dict]) -> dict[str, float]:
    found: dict[str, float] = {}
    for guess in guesses:
        family = enc.CHARDET_FAMILY.get((guess.get("encoding") or "").lower())
        if family is not None:
            found[family] = max(found.get(family, 0.0), float(guess.get("confidence") or 0.0))
    return found


def test_whole_pages_decode_as_with_the_full_detector():
    pages = {raw for text in real_texts() for codec in CODECS for script in ("hans", "hant")
             if ambiguous(raw := encoded(text, codec, script))}
    winners = set()
    for raw in pages:
        assert votes(enc.chinese_detector_guesses(raw)) == votes(enc.detector_guesses(raw))
        decoded = outcome(raw)
        assert decoded == oracle_outcome(raw)
        winners.add(getattr(decoded, "encoding", None))
    assert len(pages) > 100 and {"big5", "gb18030"} <= winners


@settings(max_examples=300, deadline=None)
@given(line=st.integers(min_value=0), start=st.integers(min_value=0, max_value=200),
       length=st.integers(min_value=1, max_value=400), lines=st.integers(min_value=1, max_value=12),
       codec=st.sampled_from(CODECS), script=st.sampled_from(["hans", "hant"]))
def test_lines_and_slices_decode_as_with_the_full_detector(line, start, length, lines, codec, script):
    """Short text is where the detector's Chinese votes are weak and a single-byte encoding is near."""
    pool = real_lines()
    first = line % len(pool)
    text = "\n".join(pool[first:first + lines])[start:start + length]
    raw = encoded(text, codec, script)
    if not raw.strip() or not ambiguous(raw):
        return
    assert outcome(raw) == oracle_outcome(raw)


@pytest.mark.parametrize("declared", ["iso-8859-1", "utf-8", "windows-1252", "big5", "gb2312"])
def test_pages_declaring_a_charset_decode_as_with_the_full_detector(declared):
    """A declaration chardet honours before its statistics: the full detector answers."""
    body = traditional().convert(prose_documents()[3])
    for head in (f'<meta charset="{declared}">', f'<?xml version="1.0" encoding="{declared}"?>',
                 f"# -*- coding: {declared} -*-"):
        raw = (head + "\n" + body).encode("big5", "ignore")
        assert enc.may_declare_charset(raw)
        if ambiguous(raw):
            assert outcome(raw) == oracle_outcome(raw)


def test_the_declaration_screen_is_necessary():
    """Every declaration chardet's markup scan finds holds one of the screen's words."""
    from chardet.pipeline.markup import detect_markup_charset

    for text in real_texts():
        for codec in ("big5", "gb18030"):
            raw = encoded(text, codec, "hant")[:enc.DETECTOR_SAMPLE_BYTES]
            if detect_markup_charset(raw) is not None:
                assert enc.may_declare_charset(raw)
    assert not enc.may_declare_charset(traditional().convert(prose_documents()[0]).encode("big5", "ignore"))
