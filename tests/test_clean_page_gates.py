"""The wild repairs' cheap screens for clean pages change nothing: each is checked against the
full check it skips (the oracle, written here as the repair was before the screen), on real
prose, damaged by the mechanism and cut at random places.
"""

from __future__ import annotations

import re
from unittest.mock import patch

from ftfy.badness import BADNESS_RE, is_bad
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleaners.model import CleanConfig
from cleaners.repair.utf8_as_gbk import LOST, repair_utf8_as_gbk, signature
from cleaners.repair.utf8_as_latin1 import (
    LINE_START_BADNESS,
    MAX_NEIGHBOURHOODS,
    badness_screen,
    looks_bad_near_screen,
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
    """The same repair with no screen: every line that is not plain ASCII goes through ftfy.

    (Not ftfy alone: the repair also leaves to ``gbk_as_latin1`` the lines that one reads, and refuses
    letters of an alphabet foreign to the page; only the screens, of the page and of each line, are under
    test here.)"""
    with patch("cleaners.repair.utf8_as_latin1.may_hold_mojibake", return_value=True), \
            patch("cleaners.repair.utf8_as_latin1.badness_screen", return_value=re.compile("(?s:.)")):
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


# Characters of the screen that prose holds (masks, Latin-1 signs), and damage that holds them.
SCREEN_IN_PROSE = st.sampled_from(["×", "××××", "×××××××××", "²", "±", "°", "¥", "£", "é", "à", "Ã ", "Â"])


@st.composite
def pages_with_screen_characters(draw):
    """Prose with screen characters sprinkled through it (up to past the neighbourhoods searched one by
    one), and now and then a piece of text damaged by UTF-8 read as Latin-1/cp1252."""
    text = draw(passages(DAMAGE_LATIN))
    for _ in range(draw(st.sampled_from([0, 1, 3, MAX_NEIGHBOURHOODS - 1, MAX_NEIGHBOURHOODS + 5]))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(SCREEN_IN_PROSE) + text[at:]
    return text


@settings(max_examples=400, deadline=None)
@given(pages_with_screen_characters())
def test_the_badness_search_near_screen_characters_misses_nothing(text):
    """Searching only around the screen's characters finds ftfy's badness wherever the whole page's
    search does (the neighbourhoods are necessary: never False where ``is_bad`` is True)."""
    if is_bad(text):
        assert looks_bad_near_screen(text)


@settings(max_examples=200, deadline=None)
@given(pages_with_screen_characters())
def test_utf8_as_latin1_screen_with_masks_skips_only_pages_ftfy_leaves(text):
    assert repair_utf8_as_latin1(text, CONFIG).text == repair_utf8_as_latin1_oracle(text)


def test_a_match_at_the_edge_of_a_neighbourhood_is_found():
    """A badness match as long as the pattern's longest, its screen character at either end, far from
    any other: the neighbourhood holds all of it."""
    damaged = utf8_read_as_cp1252("核以外")
    for pad in ("中文" * 40, "×" + "中文" * 40):
        for text in (pad + damaged + pad, damaged + pad, pad + damaged):
            assert is_bad(text) and looks_bad_near_screen(text)
    assert not looks_bad_near_screen("中文×中文" * 10) and not is_bad("中文×中文" * 10)


def repair_utf8_as_gbk_oracle(text: str) -> str:
    """The same repair trying every character of a run as a stretch's opening, its bytes found one
    character at a time (the form before the openings were read in C)."""
    with patch("cleaners.repair.utf8_as_gbk.pairs_only", return_value=None):
        return repair_utf8_as_gbk(text, CONFIG).text


@settings(max_examples=300, deadline=None)
@given(passages(DAMAGE_GBK))
def test_utf8_as_gbk_tries_only_the_characters_that_can_open_a_stretch(text):
    assert repair_utf8_as_gbk(text, CONFIG).text == repair_utf8_as_gbk_oracle(text)


def test_traditional_prose_that_passes_the_signature_is_read_the_same():
    """Traditional prose whose characters hold the signature by chance (the pages the first pass reads
    through), whole and with damage in it: the same text as trying every character."""
    docs = [doc for doc in script_variant("s2t") + script_variant("s2tw") if signature().search(doc)]
    assert len(docs) >= 10
    for i, doc in enumerate(docs[:40]):
        damaged = doc[:300] + utf8_read_as_gbk(doc[300:340]) + doc[340:600]
        for text in (doc[:2000], damaged):
            assert repair_utf8_as_gbk(text, CONFIG).text == repair_utf8_as_gbk_oracle(text), i


# Bytes of UTF-8 (leads of every size, continuations) and of GBK (leads and trails beyond them).
UTF8_LIKE_BYTES = st.one_of(st.integers(0xC2, 0xF4), st.integers(0x80, 0xBF), st.integers(0x81, 0xFE),
                            st.integers(0x40, 0x7E))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.integers(0x81, 0xFE), UTF8_LIKE_BYTES), min_size=1, max_size=12),
       st.sampled_from([3, 6]))
@example([(0xE4, 0xBD), (0xA0, 0xF0), (0x9F, 0x98)], 6)  # 你 and three bytes of an emoji cut short at the end
def test_stretch_openings_hold_every_character_a_stretch_opens_from(pairs, min_bytes):
    """Every character from which :func:`utf8_stretch` reads ``min_bytes`` or more (a character cut
    short at the run's end included) is among the openings found in C."""
    from cleaners.repair.utf8_as_gbk import pairs_only, stretch_openings, utf8_stretch

    chars = []
    for lead, trail in pairs:
        try:
            char = bytes((lead, trail)).decode("gb18030")
        except UnicodeDecodeError:
            continue
        if len(char) == 1:
            chars.append(char)
    code = pairs_only("".join(chars))
    if not chars or code is None:
        return
    data: list[int | None] = list(code)
    boundaries = set(range(0, len(data) + 1, 2))
    opens = set(stretch_openings(code, min_bytes))
    for index in range(len(chars)):
        _, end = utf8_stretch(data, 2 * index, boundaries, "gbk")
        if end - 2 * index >= min_bytes:
            assert index in opens
