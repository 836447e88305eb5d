"""Round trips for the repair stages: clean prose → simulated damage → repair → compare.

The prose is an excerpt of the Chinese Debian FAQ (``data/prose``, see
``scripts/extract_prose.py``); the annotation dictionary is the union of what
pages 002 and 003 annotate (learned from their raw text) plus 範, the entry only
visible inside a span (ARTIFACTS §1.2).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc

from cleaners.repair.annotation import learn_dictionary
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
