import re

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.chinese import SCRIPT_MAJORITY, script_of
from cleaners.model import CleanConfig
from cleaners.repair.charlm import page_script
from cleaners.text.simplify import (
    fix_zhe,
    original_script,
    to_simplified,
    zhe_keep_pattern,
    zhe_keep_words,
    zhe_pattern,
)
from tests.conftest import seed_text
from tests.encoded import simplified_speech
from tests.roundtrip import prose_documents, script_variant

T2S = opencc.OpenCC("t2s.json")


def test_traditional_seed_comes_out_with_nothing_t2s_would_still_change():
    change, script = to_simplified(seed_text("003"), CleanConfig())
    assert T2S.convert(change.text) == change.text
    assert script == "hant"
    assert change.counts["t2s_changed"] > 5000


@pytest.mark.parametrize("prefix,script", [("000", "hans"), ("001", "hans"), ("004", "hans"), ("002", "hant"), ("003", "hant")])
def test_original_script_of_the_seeds(prefix, script):
    assert to_simplified(seed_text(prefix), CleanConfig())[1] == script


def test_half_traditional_text_is_mixed():
    simp = simplified_speech()
    trad = opencc.OpenCC("s2t.json").convert(simp)
    half = trad[: len(trad) // 2] + simp[len(simp) // 2 :]
    assert to_simplified(half, CleanConfig())[1] == "mixed"


def test_zhe_means_zhe_in_the_traditional_seeds_and_stays_in_keep_words():
    # Every 著 of 002 that t2s leaves: converted unless it is in a keep-word (ARTIFACTS §10: 顯著, 原著).
    change, _ = to_simplified(seed_text("002"), CleanConfig())
    remaining = [change.text[max(0, m.start() - 2) : m.end() + 2] for m in re.finditer("著", change.text)]
    assert remaining, "002 has 显著 and 原著, which keep 著"
    assert all(zhe_keep_pattern().search(context) for context in remaining)
    assert "随着" in change.text and "随著" not in change.text


def test_zhe_rule_round_trip_on_simplified_prose():
    # Real Simplified prose written with 着 (page 004), taken to Traditional (着 → 著), then back.
    original = seed_text("004")
    assert original.count("着") >= 3
    traditional = opencc.OpenCC("s2tw.json").convert(original)  # Taiwan standard writes 著 for 着
    assert "着" not in traditional
    back, _ = to_simplified(traditional, CleanConfig())
    assert back.text.count("着") == original.count("着")
    assert back.text.count("著") == original.count("著")


@pytest.mark.parametrize("word", ["显著", "著名", "著作", "原著", "编著", "专著", "卓著", "土著"])
def test_keep_words_keep_zhe(word):
    assert fix_zhe(f"随著他的{word}")[0] == f"随着他的{word}"


def test_conversion_is_idempotent():
    once, _ = to_simplified(seed_text("002"), CleanConfig())
    twice, _ = to_simplified(once.text, CleanConfig())
    assert twice.text == once.text and not twice.counts


def test_original_script_thresholds():
    assert original_script(0, "anything") == "hans"


def s2t_pass_script(traditional_chars: int, text: str) -> str:
    """The oracle: the label from a second OpenCC pass (s2t) over the whole text, as it was computed before."""
    if traditional_chars == 0:
        return "hans"
    after = opencc.OpenCC("s2t.json").convert(text)
    simplified_chars = sum(a != b for a, b in zip(text, after, strict=False)) + abs(len(text) - len(after))
    return script_of(traditional_chars, simplified_chars)


def labelled_by_both(text: str) -> tuple[str, str]:
    converted = T2S.convert(text)
    changed = sum(a != b for a, b in zip(text, converted, strict=False)) + abs(len(text) - len(converted))
    return original_script(changed, text), s2t_pass_script(changed, text)


def s2t_share(text: str) -> float:
    """The oracle's share of Traditional among the script-specific characters."""
    converted, after = T2S.convert(text), opencc.OpenCC("s2t.json").convert(text)
    traditional = sum(a != b for a, b in zip(text, converted, strict=False))
    simplified = sum(a != b for a, b in zip(text, after, strict=False))
    return traditional / ((traditional + simplified) or 1)


def test_script_label_from_the_table_is_that_of_a_second_s2t_pass_on_real_documents():
    """The samples and the prose in Simplified and three Traditional conventions: the same label."""
    texts = [*prose_documents(), *(seed_text(p) for p in ("000", "001", "002", "003", "004"))]
    for variant in ("s2t", "s2tw", "s2hk"):
        texts += script_variant(variant)
    labels = [labelled_by_both(text) for text in texts]
    assert all(new == old for new, old in labels)
    assert {new for new, _ in labels} == {"hans", "hant"}


def test_script_label_of_mixtures_agrees_away_from_the_thresholds():
    """Traditional heads with Simplified tails in every proportion. s2t's phrases change a few characters
    in context that it leaves alone (布 in 发布, 系 in 关系), so at a share within a few hundredths of a
    threshold the counts may fall on either side; everywhere else the label must be the oracle's."""
    simplified = prose_documents()
    labels = []
    for variant in ("s2t", "s2tw", "s2hk"):
        for i, (hans, hant) in enumerate(zip(simplified, script_variant(variant), strict=True)):
            cut = len(hant) * (i % 10) // 10
            text = hant[:cut] + hans[cut:]
            share = s2t_share(text)
            if min(abs(share - SCRIPT_MAJORITY), abs(share - (1 - SCRIPT_MAJORITY))) > 0.03:
                labels.append(labelled_by_both(text))
    assert len(labels) > 500
    assert all(new == old for new, old in labels)
    assert {new for new, _ in labels} == {"hans", "hant", "mixed"}  # every label was put to the test


def page_script_rule_oracle(traditional: int, simplified: int) -> str | None:
    """The repairs' page-script rule as charlm.page_script wrote it before it called script_of."""
    if traditional > 4 * simplified:
        return "hant"
    if simplified > 4 * traditional:
        return "hans"
    return None


@given(st.integers(0, 40_000), st.integers(0, 40_000))
def test_clear_script_rule_is_the_repairs_old_four_to_one_rule(traditional, simplified):
    script = script_of(traditional, simplified, clear=True)
    assert (None if script == "mixed" else script) == page_script_rule_oracle(traditional, simplified)


@given(st.integers(0, 200), st.integers(0, 200))
def test_a_clear_script_is_also_the_records_script(traditional, simplified):
    clear = script_of(traditional, simplified, clear=True)
    assert clear == "mixed" or script_of(traditional, simplified) == clear


@pytest.mark.parametrize("prefix,script", [("000", "hans"), ("001", "hans"), ("004", "hans"), ("002", "hant"), ("003", "hant")])
def test_the_repairs_page_script_of_the_seeds_is_the_records_script(prefix, script):
    assert page_script(seed_text(prefix)) == script


def fix_zhe_oracle(text: str) -> str:
    """The 著 rule's pattern tried at every character of the text (the form before the neighbourhoods)."""
    return zhe_pattern().sub(lambda m: m.group(1) or "着", text)


@st.composite
def texts_with_zhe(draw):
    """Real prose (Simplified, or Traditional where 着 is written 著) with keep-words, their parts and lone
    著 put in at random places, side by side now and then (overlapping neighbourhoods)."""
    docs = draw(st.sampled_from([prose_documents(), script_variant("s2tw")]))
    doc = docs[draw(st.integers(0, len(docs) - 1))]
    start = draw(st.integers(0, max(0, len(doc) - 1)))
    text = doc[start: start + draw(st.integers(0, 300))]
    words = zhe_keep_words()
    inserts = st.one_of(st.sampled_from(words), st.just("著"), st.just("著著"),
                        st.sampled_from(words).map(lambda w: w[: w.index("著") + 1]),
                        st.sampled_from(words).map(lambda w: w[w.index("著"):]))
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(inserts) + text[at:]
    return text


@settings(max_examples=500, deadline=None)
@given(texts_with_zhe())
def test_zhe_rule_in_the_neighbourhoods_of_zhe_is_the_rule_over_the_whole_text(text):
    assert fix_zhe(text)[0] == fix_zhe_oracle(text)
    assert fix_zhe(text)[1] == fix_zhe_oracle(text).count("着") - text.count("着")
