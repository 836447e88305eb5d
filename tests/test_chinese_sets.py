"""The Han sets of cleaners.chinese: each class body holds exactly the code points of its blocks, and no
module of the tree writes a Han range out by itself (issue 10: "Chinese character" is defined once)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleaners import chinese
from cleaners.chinese import (
    COMPATIBILITY_BLOCK,
    EXTENSION_A,
    EXTENSIONS_B_TO_G,
    SUPPLEMENTARY_PLANE,
    UNIFIED_BLOCK,
)

ROOT = Path(__file__).resolve().parent.parent
# Every code point a block starts or ends at, and its neighbours; the gap between Extension A and the
# unified block (the Yijing hexagrams); the end of the supplementary plane and of Extension G.
EDGES = sorted({code + step for block in (UNIFIED_BLOCK, EXTENSION_A, COMPATIBILITY_BLOCK, SUPPLEMENTARY_PLANE,
                                          EXTENSIONS_B_TO_G) for code in block for step in (-1, 0, 1)}
               | {0x4DC0, 0x4DE0, 0x4DFF, 0x3000, 0x303F, 0xFF00, 0xFF01, 0xFF60, 0xFFEF, 0xFFF0, ord("a"), ord("，")})
SETS = {
    "HAN_BASIC": (UNIFIED_BLOCK,),
    "HAN_UNIFIED": (EXTENSION_A, UNIFIED_BLOCK),
    "HAN_UNIFIED_SPAN": ((EXTENSION_A[0], UNIFIED_BLOCK[1]),),
    "HAN": (EXTENSION_A, UNIFIED_BLOCK, COMPATIBILITY_BLOCK),
    "HAN_WITH_EXTENSIONS": (EXTENSION_A, UNIFIED_BLOCK, COMPATIBILITY_BLOCK, EXTENSIONS_B_TO_G),
}


@pytest.mark.parametrize("name", SETS)
def test_each_han_set_holds_exactly_its_blocks(name):
    pattern = re.compile(f"[{getattr(chinese, name)}]")
    for code in EDGES:
        inside = any(first <= code <= last for first, last in SETS[name])
        assert bool(pattern.fullmatch(chr(code))) == inside, (name, hex(code))


def test_the_table_blocks_are_han_and_the_supplementary_plane_half_open():
    covered = {code for first, end in chinese.IDEOGRAPH_TABLE_BLOCKS for code in range(first, end)}
    han = re.compile(f"[{chinese.HAN}]")
    assert all(han.fullmatch(chr(code)) for code in covered if code < 0x10000)
    assert max(covered) == SUPPLEMENTARY_PLANE[1] and 0x30000 not in covered
    assert sum(1 for code in range(0x10000) if han.fullmatch(chr(code))) == sum(1 for c in covered if c < 0x10000)


def test_the_chinese_text_set_takes_hanzi_and_their_punctuation_not_latin():
    text = re.compile(f"[{chinese.CJK_TEXT}]")
    assert all(text.fullmatch(c) for c in "中文，。「」（）：㐀豈")
    assert not any(text.fullmatch(c) for c in "a1,.:( ")


# A Han range written out: a class range from the start of a Han block (escaped or literal), or a
# comparison of a code point or character with a Han block's first or last.
HAN_RANGE = re.compile(r"(?:\\u(?:4e00|3400|f900)|\\U00020000|[一㐀豈])-"
                       r"|\(0x(?:4e00|3400|f900|20000),|(?:0x(?:4e00|3400|f900|20000)|\"\\u(?:4e00|3400|f900)\")\s*<="
                       r"|<=\s*(?:0x(?:9fff|4dbf|fa[ef]f)|\"\\u(?:9fff|4dbf|faff)\")", re.I)


def test_no_module_writes_a_han_range_of_its_own():
    mine = {ROOT / "cleaners" / "chinese.py", Path(__file__).resolve()}
    sources = [p for folder in ("cleaners", "ingest", "flows", "benchmarks", "scripts", "tests")
               for p in (ROOT / folder).rglob("*.py") if p not in mine]
    found = [f"{p.relative_to(ROOT)}:{n}" for p in sources
             for n, line in enumerate(p.read_text("utf-8").splitlines(), 1) if HAN_RANGE.search(line)]
    assert found == []
