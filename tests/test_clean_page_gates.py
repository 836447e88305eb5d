"""The wild repairs' cheap screens for clean pages change nothing: each is checked against the
full check it skips (the oracle, written here as the repair was before the screen), on real
prose, damaged by the mechanism and cut at random places.
"""

from __future__ import annotations

import re
from unittest.mock import patch

from ftfy.badness import BADNESS_RE, is_bad
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.model import CleanConfig
from cleaners.repair.utf8_as_gbk import LOST, repair_utf8_as_gbk
from cleaners.repair.utf8_as_latin1 import (
    LINE_START_BADNESS,
    badness_screen,
    repair_utf8_as_latin1,
)
from tests.roundtrip import prose_documents, script_variant
from tests.wild_damage import (
    replacement_pairs_read_as_gbk,
    utf8_read_as_cp1252,
    utf8_read_as_gb18030,
    utf8_read_as_gbk,
    utf8_read_as_latin1,
)

CONFIG = CleanConfig()


def repair_utf8_as_latin1_oracle(text: str) -> str:
    """The same repair with no screen: every page that is not plain ASCII goes through its lines.

    (Not ftfy alone: the repair also leaves to ``gbk_as_latin1`` the lines that one reads, and refuses
    letters of an alphabet foreign to the page; only the screen is under test here.)"""
    with patch("cleaners.repair.utf8_as_latin1.may_hold_mojibake", return_value=True):
        return repair_utf8_as_latin1(text, CONFIG).text


SCRIPTS = st.sampled_from(["s", "s2t", "s2tw"])
DAMAGE_GBK = st.sampled_from([None, utf8_read_as_gbk, utf8_read_as_gb18030, "pairs"])
DAMAGE_LATIN = st.sampled_from([None, utf8_read_as_latin1, utf8_read_as_cp1252, "line-start"])


@st.composite
def passages(draw, damages):
    """A passage of real prose (Simplified or Traditional) with a damaged piece inside, or none."""
    docs = script_variant(draw(SCRIPTS))
    doc = docs[draw(st.integers(0, len(docs) - 1))]
    start = draw(st.integers(0, max(0, len(doc) - 1)))
    text = doc[start: start + draw(st.integers(1, 400))]
    how = draw(damages)
    if how is None:
        return text
    cut = draw(st.integers(0, len(text)))
    length = draw(st.integers(1, 40))
    piece = text[cut: cut + length]
    if how == "pairs":
        damaged = replacement_pairs_read_as_gbk(piece, draw(st.integers(0, 1000)), share=0.3)
    elif how == "line-start":
        damaged = "\nÃ " + piece
    else:
        damaged = how(piece)
    lose = draw(st.integers(0, 2))  # the damaged bytes cut short: lost bytes at the end
    return text[:cut] + damaged[: len(damaged) - lose] + text[cut + length:]


@settings(max_examples=300, deadline=None)
@given(passages(DAMAGE_LATIN))
def test_utf8_as_latin1_screen_skips_only_pages_ftfy_leaves(text):
    assert repair_utf8_as_latin1(text, CONFIG).text == repair_utf8_as_latin1_oracle(text)


def test_the_prose_itself_is_screened_out_and_left_as_it_is():
    """Clean prose: both repairs leave every document as it is (and the screens are what decide it)."""
    for doc in prose_documents()[:60]:
        assert repair_utf8_as_gbk(doc, CONFIG).text == doc
        assert repair_utf8_as_latin1(doc, CONFIG).text == doc


def test_damage_made_by_the_mechanism_is_still_repaired():
    doc = prose_documents()[3][:200]
    assert repair_utf8_as_gbk(utf8_read_as_gbk(doc), CONFIG).text.replace(LOST, "") in doc or \
        repair_utf8_as_gbk(utf8_read_as_gbk(doc), CONFIG).counts.get("utf8_as_gbk", 0) > 0
    assert repair_utf8_as_latin1(utf8_read_as_latin1(doc), CONFIG).text == doc


def badness_characters_outside_the_screen() -> list[str]:
    """Every character ftfy's badness pattern names (its classes and literals), but the screen's own."""
    named = {ch for ch in re.sub(r"\\.|[\x00-\x7f]", "", BADNESS_RE.pattern)}
    ranges = re.findall(r"(.)-(.)", BADNESS_RE.pattern)
    named |= {chr(c) for a, b in ranges if ord(a) < ord(b) for c in range(ord(a), ord(b) + 1)}
    return sorted(ch for ch in named if not badness_screen().search(ch))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(badness_characters_outside_the_screen()),
                          st.characters(max_codepoint=0x7F), st.sampled_from(prose_documents()[:40])),
                max_size=60))
def test_a_text_without_a_screen_character_never_looks_bad(pieces):
    """The screen is necessary: prose, ASCII and every other character the badness pattern names,
    in any order, match neither ftfy's pattern nor the line-start one unless a screen character is there."""
    text = "".join(pieces)
    if not badness_screen().search(text):
        assert not is_bad(text) and not LINE_START_BADNESS.search(text)


def test_the_screen_passes_damaged_prose_and_skips_most_clean_pages():
    docs = prose_documents()
    assert all(badness_screen().search(utf8_read_as_cp1252(doc[:30])) for doc in docs[:100] if not doc[:30].isascii())
    assert sum(not badness_screen().search(doc) for doc in docs) > len(docs) * 0.9
