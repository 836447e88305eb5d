"""Round trips for the repair stages: clean prose → simulated damage → repair → compare.

The prose is an excerpt of the Chinese Debian FAQ (``data/prose``, see
``scripts/extract_prose.py``); the annotation dictionary is the union of what
pages 002 and 003 annotate (learned from their raw text) plus 範, the entry only
visible inside a span (ARTIFACTS §1.2).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc

from cleaners.repair.annotation import learn_dictionary
from tests import wild_damage
from tests.conftest import seed_text
from tests.damage import DamageConfig, damage

PROSE = Path(__file__).resolve().parent / "data" / "prose" / "debian-faq-zh-cn.txt"
HALF = str.maketrans("，！？；：（）", ",!?;:()")


@lru_cache(maxsize=1)
def prose_documents() -> tuple[str, ...]:
    """The clean Simplified documents of the excerpt (blocks separated by a blank line)."""
    return tuple(block.strip() for block in PROSE.read_text(encoding="utf-8").split("\n\n") if block.strip())


@lru_cache(maxsize=4)
def script_variant(name: str) -> tuple[str, ...]:
    """The documents in Simplified (``s``) or converted with an OpenCC config (``s2t``, ``s2tw``)."""
    if name == "s":
        return prose_documents()
    convert = opencc.OpenCC(f"{name}.json").convert
    return tuple(convert(doc) for doc in prose_documents())


@lru_cache(maxsize=1)
def site_dictionary() -> dict[str, str]:
    dictionary = learn_dictionary(seed_text("002"))
    dictionary.update(learn_dictionary(seed_text("003")))
    dictionary["範"] = "fàn"
    return dictionary


@dataclass
class Tally:
    chars: int = 0
    differing: int = 0  # characters of the original not given back exactly
    marked: int = 0  # U+FFFD written by the repair
    wrong: int = 0  # differing characters that are not U+FFFD (silent errors)
    damaged_docs: int = 0
    counted: int = 0  # mojibake_chars_lost the repairs reported

    @property
    def share(self) -> float:
        return self.differing / max(1, self.chars)


def compare(original: str, repaired: str, tally: Tally) -> list[tuple[str, str]]:
    """Add the differences (punctuation width aside) to ``tally``; return the differing pieces."""
    a, b = original.translate(HALF), repaired.translate(HALF)
    tally.chars += len(a)
    diffs = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        piece = b[j1:j2]
        tally.differing += max(i2 - i1, j2 - j1)
        tally.marked += piece.count("\ufffd")
        tally.wrong += max(i2 - i1, j2 - j1) - piece.count("\ufffd")
        diffs.append((a[max(0, i1 - 4):i2 + 4], b[max(0, j1 - 4):j2 + 4]))
    return diffs


def damage_config(index: int, keep_user_defined: bool) -> DamageConfig:
    return DamageConfig(site_dictionary(), keep_user_defined=keep_user_defined, seed=index)


def damaged_documents(variant: str, keep_user_defined: bool):
    """(original, damaged) for every document of a script variant."""
    for index, doc in enumerate(script_variant(variant)):
        yield doc, damage(doc, damage_config(index, keep_user_defined))


@dataclass(frozen=True)
class WildCase:
    """One kind of wild mojibake, one codec variant, one script: how to damage a document."""

    kind: str
    variant: str
    script: str  # "s" or "s2t"
    damage: Callable[[str, int], str]  # (clean document, its index) -> damaged text

    @property
    def name(self) -> str:
        return f"{self.kind}/{self.variant}/{self.script}"


def each(damage: Callable[[str], str]) -> Callable[[str, int], str]:
    return lambda text, index: damage(text)


def wild_cases() -> tuple[WildCase, ...]:
    kinds: list[tuple[str, str, Callable[[str, int], str], tuple[str, ...]]] = [
        ("utf8_as_latin1", "latin-1", each(wild_damage.utf8_read_as_latin1), ("s", "s2t")),
        ("utf8_as_latin1", "cp1252", each(wild_damage.utf8_read_as_cp1252), ("s", "s2t")),
        ("gbk_as_latin1", "latin-1", each(wild_damage.gbk_read_as_latin1), ("s", "s2t")),
        ("gbk_as_latin1", "cp1252", each(wild_damage.gbk_read_as_cp1252), ("s", "s2t")),
        ("gbk_as_latin1", "big5 as latin-1", each(wild_damage.big5_read_as_latin1), ("s2t",)),
        ("utf8_as_gbk", "gbk, U+FFFD", each(wild_damage.utf8_read_as_gbk), ("s", "s2t")),
        ("utf8_as_gbk", "gb18030, U+FFFD", each(wild_damage.utf8_read_as_gb18030), ("s", "s2t")),
        ("utf8_as_gbk", "gbk, ?", each(wild_damage.utf8_read_as_gbk_question_marks), ("s", "s2t")),
        ("lost_runs", "锟斤拷 pairs", wild_damage.replacement_pairs_read_as_gbk, ("s", "s2t")),
        ("lost_runs", "锟斤拷 in 古文码", wild_damage.utf8_with_lost_chars_read_as_gbk, ("s", "s2t")),
        ("lost_runs", "烫烫烫", wild_damage.fill_runs, ("s", "s2t")),
        ("lost_runs", "屯屯屯", lambda text, index: wild_damage.fill_runs(text, index, fill="屯"), ("s", "s2t")),
        ("question_marks", "via latin-1", each(lambda t: wild_damage.through_codec(t, "latin-1")), ("s", "s2t")),
        ("question_marks", "s2t via gb2312", each(lambda t: wild_damage.through_codec(t, "gb2312")), ("s2t",)),
        ("question_marks", "via big5", each(lambda t: wild_damage.through_codec(t, "big5")), ("s",)),
    ]
    return tuple(WildCase(kind, variant, script, damage) for kind, variant, damage, scripts in kinds
                 for script in scripts)


WILD_CASES = wild_cases()


def repair_wild(text: str) -> tuple[str, int]:
    """``text`` through the wild-mojibake stages in pipeline order, and the characters they report lost."""
    from cleaners.model import CleanConfig
    from cleaners.pipeline import WILD_REPAIRS

    config = CleanConfig()
    lost = 0
    for _, fix in WILD_REPAIRS:
        change = fix(text, config)
        text = change.text
        lost += change.counts.get("mojibake_chars_lost", 0)
    return text, lost


def wild_round_trip(case: WildCase) -> tuple[Tally, list[tuple[str, str]]]:
    """Damage every document of the case's script, repair it, and tally the differences."""
    tally = Tally()
    diffs: list[tuple[str, str]] = []
    for index, doc in enumerate(script_variant(case.script)):
        damaged = case.damage(doc, index)
        if damaged == doc:
            continue
        tally.damaged_docs += 1
        repaired, lost = repair_wild(damaged)
        tally.counted += lost
        diffs.extend(compare(doc, repaired, tally))
    return tally, diffs
