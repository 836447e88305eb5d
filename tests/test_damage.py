"""The forward simulator reproduces the real damage of pages 002 and 003 byte for byte.

Each case runs the repaired text of a span of ARTIFACTS §2.8 forward through
:func:`tests.damage.damage` with the sites' annotation dictionary and must give
the damaged text the page really holds; the repair must then take it back.
"""

from __future__ import annotations

import pytest

from cleaners.model import CleanConfig
from cleaners.repair.misaligned_gbk import repair_mojibake
from cleaners.repair.pinyin import remove_pinyin
from tests.conftest import seed_text
from tests.damage import DamageConfig, damage, lenient_decode
from tests.roundtrip import site_dictionary

# (clean text, user-defined pairs kept?, T2 and closing byte forced?, text of the raw page)
CASES = [
    ("實打實服務職工", False, False, "實打?qū)嵎?wù)職工"),  # 002:11, T1 驅, a dropped FE84
    ("實打實服務職工", True, False, "實打?qū)嵎\ue848?wù)職工"),  # 003:131, the same kept as U+E848
    ("勇挑重擔，積", True, False, "勇挑重?fù)?dān),積"),  # 003:193, T1 負, trail pinned by 擔(dān)
    ("泛開展爭創模范", True, False, "泛開展?fàn)巹?chuàng)模范"),  # 003:27, T1 範 (not in the page's list)
    ("德才兼備原則，選", False, False, "德才兼?zhèn)湓瓌t,選"),  # 002:81, T1 鎮
    ("事跡。可以說，南", True, True, "事跡??梢哉f,南"),  # 003:65, T2 A3BF
    ("家人”。“職工之家”、“", False, True, "家人”?!奥毠ぶ摇?、“"),  # 002:47, T2 + dropped pair + closing byte
]


@pytest.mark.parametrize("clean,keep,forced,observed", CASES)
def test_simulator_gives_the_damage_the_page_holds(clean, keep, forced, observed):
    config = DamageConfig(site_dictionary(), keep_user_defined=keep,
                          t2_rate=1.0 if forced else 0.0, closing_rate=1.0 if forced else 0.0)
    assert damage(clean, config) == observed
    assert observed in seed_text("003" if keep else "002")


# A pair the decoder dropped leaves both of its neighbours half unknown: alone, without
# the rest of the page as evidence, such a span is not always recoverable (the page
# tests cover those in place).
ALONE = [case for case in CASES if case[1] or "德才" in case[0]]


@pytest.mark.parametrize("clean,keep,forced,observed", ALONE)
def test_repair_takes_the_simulated_damage_back(clean, keep, forced, observed):
    config = DamageConfig(site_dictionary(), keep_user_defined=keep,
                          t2_rate=1.0 if forced else 0.0, closing_rate=1.0 if forced else 0.0)
    damaged = damage(clean, config)
    repaired = remove_pinyin(repair_mojibake(damaged, CleanConfig()).text, CleanConfig()).text
    assert repaired == clean.translate(str.maketrans("，！？；：（）", ",!?;:()"))


def test_without_annotations_or_accidents_only_the_punctuation_changes():
    text = "同志們：今天（星期一）召開大會！大家好嗎？"
    assert damage(text, DamageConfig({}, t2_rate=0, closing_rate=0)) == "同志們:今天(星期一)召開大會!大家好嗎?"


def test_lenient_decoder_swallows_the_byte_after_a_lead_byte():
    assert lenient_decode(b"\xb5(ab)", True) == "?ab)"
    assert lenient_decode(b"\xfe\x84", True) == "\ue848"
    assert lenient_decode(b"\xfe\x84", False) == ""
    assert lenient_decode(b"\xb5", True) == "?"
