"""Properties of the byte-level repair stages (hypothesis).

Clean text, Simplified or Traditional, with real parentheticals, English,
numbers, times, URLs and genuine question marks, passes the mojibake repair and
the pinyin removal unchanged; every stage is idempotent, on clean and on
damaged text. The sentences are real prose (the Debian FAQ excerpt).
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.model import CleanConfig
from cleaners.repair.misaligned_gbk import repair_mojibake
from cleaners.repair.pinyin import remove_pinyin
from cleaners.text.punctuation import normalize_punctuation
from tests.damage import DamageConfig, damage
from tests.roundtrip import prose_documents, site_dictionary

CONFIG = CleanConfig()
FOLD = str.maketrans("，：；？！（）", ",:;?!()")
EXTRAS = [
    # real parentheticals of the seeds and ARTIFACTS §1.3
    "(个人)", "(擴大)", "(征求意見稿)", "(b型)", "(一)", "(×)", "(CEO)", "(2023)", "(试行)", "(reits模式)",
    "(市、區)", "(站、點)", "(a)",
    # English, numbers, times, URLs, masks
    " Debian GNU/Linux ", "1346.4億元", "9.2%", "2023-11-12 03:53:59", " https://www.debian.org/distrib/ ",
    "20xx年", "×月底前", "**", "__市", "“4·28”", "5g", "c類市",
    # genuine questions
    "怎么準備?", "演講稿呢?", "是什么?", "吗?", "怎么办?", "真的吗?!", "为什么??", "好!",
]
SETTINGS = settings(max_examples=int(__import__("os").environ.get("HYPOTHESIS_EXAMPLES", 25)), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@lru_cache(maxsize=1)
def sentences() -> tuple[str, ...]:
    out = []
    for doc in prose_documents():
        out.extend(s + "。" for s in re.split("。", doc.replace("\n", "")) if 4 <= len(s) <= 80)
    return tuple(out)


@lru_cache(maxsize=4)
def converter(name: str):
    return opencc.OpenCC(f"{name}.json").convert


@st.composite
def clean_text(draw) -> str:
    pieces = draw(st.lists(st.one_of(st.sampled_from(sentences()), st.sampled_from(EXTRAS)), min_size=2, max_size=12))
    lines = draw(st.integers(min_value=1, max_value=3))
    text = "".join(pieces)
    step = max(1, len(text) // lines)
    text = "\n".join(text[k:k + step] for k in range(0, len(text), step))
    script = draw(st.sampled_from(["s", "s2t", "s2tw"]))
    if script != "s":
        text = converter(script)(text)
    # as the sites leave prose: half-width ,:;?!() (ARTIFACTS §8)
    return text.translate(FOLD)


@given(clean_text())
@SETTINGS
def test_clean_text_passes_the_repairs_unchanged(text):
    assert repair_mojibake(text, CONFIG).text == text
    assert remove_pinyin(text, CONFIG).text == text


@given(clean_text())
@SETTINGS
def test_stages_are_idempotent_on_clean_text(text):
    for stage in (repair_mojibake, remove_pinyin, normalize_punctuation):
        once = stage(text, CONFIG).text
        assert stage(once, CONFIG).text == once


@given(st.integers(min_value=0, max_value=len(prose_documents()) - 1), st.booleans(), st.integers(0, 10_000))
@SETTINGS
def test_stages_are_idempotent_on_damaged_text(index, keep, seed):
    text = converter("s2t")(prose_documents()[index])
    damaged = damage(text, DamageConfig(site_dictionary(), keep_user_defined=keep, seed=seed, t2_rate=1.0))
    for stage in (repair_mojibake, remove_pinyin, normalize_punctuation):
        once = stage(damaged, CONFIG).text
        assert stage(once, CONFIG).text == once
        damaged = once


@given(clean_text())
@SETTINGS
def test_full_width_prose_stays_as_it_is(text):
    fixed = normalize_punctuation(text, CONFIG).text
    assert normalize_punctuation(fixed, CONFIG).counts.get("punctuation_normalized", 0) == 0
    # nothing but the seven marks changes, and only to their full-width forms; spaces beside
    # a converted mark may go, no other space does
    unspaced_text, unspaced_fixed = text.replace(" ", "").replace("\t", ""), fixed.replace(" ", "").replace("\t", "")
    assert len(unspaced_fixed) == len(unspaced_text)
    assert all(a == b or (a in ",:;?!()" and b == a.translate(str.maketrans(",:;?!()", "，：；？！（）")))
               for a, b in zip(unspaced_text, unspaced_fixed, strict=False))
    for kept in ("03:53:59", "1346.4", "9.2%", "https://www.debian.org/distrib/"):
        assert text.count(kept) == fixed.count(kept)
