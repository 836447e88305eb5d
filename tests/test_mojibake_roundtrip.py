"""Simulate the damage on real clean prose, repair it, compare with the original.

229 documents of the Chinese Debian FAQ (not the samples), in Simplified and in
Traditional (OpenCC s2t and s2tw, since 002/003 are Traditional), each damaged
by :mod:`tests.damage` with the sites' annotation dictionary, both decoders
(user-defined pairs kept as PUA, or dropped), and repaired by the mojibake and
pinyin stages. Punctuation width is left aside (the damage makes it half-width
on purpose).

Targets: at most 0.2 % of the characters differ from the original, and every
character the repair could not give back is marked U+FFFD (no silent errors),
whether the decoder kept every byte (PUA variant) or dropped whole pairs. Where
it dropped pairs, how many characters a place hid is the character model's
weakest judgement: a reading is written only when the page or the word list
bears it out, or when it leads every reading with another length by
``UNATTESTED_STRUCTURE_MARGIN`` (calibrated here: the wrong readings this
corpus produced with a single margin led by up to 5.46).
"""

from __future__ import annotations

import pytest

from cleaners.model import CleanConfig
from cleaners.repair.misaligned_gbk import repair_mojibake
from cleaners.repair.pinyin import remove_pinyin
from tests.roundtrip import Tally, compare, damaged_documents, prose_documents

CONFIG = CleanConfig()


def round_trip(variant: str, keep_user_defined: bool) -> tuple[Tally, int]:
    tally = Tally()
    spans = 0
    for original, damaged in damaged_documents(variant, keep_user_defined):
        repaired = repair_mojibake(damaged, CONFIG)
        spans += repaired.counts.get("mojibake_spans", 0)
        compare(original, remove_pinyin(repaired.text, CONFIG).text, tally)
    return tally, spans


def test_the_prose_is_at_least_200_documents():
    assert len(prose_documents()) >= 200


@pytest.mark.parametrize("variant", ["s2t", "s2tw", "s"])
@pytest.mark.parametrize("keep_user_defined", [True, False], ids=["pua-kept", "pairs-dropped"])
def test_simulated_damage_is_repaired(variant, keep_user_defined):
    tally, spans = round_trip(variant, keep_user_defined)
    assert spans >= 8, "the simulation must actually damage the text"
    assert tally.share <= 0.002, tally
    assert tally.wrong == 0, tally
