"""The usual forms of a character in the mojibake repair's model (``charlm.simplified_form``) are OpenCC's.

``s2tw``/``s2hk`` are not loaded at run time: what they add to ``s2t`` ships as
``cleaners/data/variants.txt`` (``scripts/build_variants.py``).
"""

import subprocess
import sys
from importlib import resources

import opencc

from cleaners.repair.charlm import VARIANT_SHARE, simplified_form
from cleaners.repair.gbk import tables
from scripts.build_variants import build
from tests.conftest import ROOT


def test_the_shipped_file_is_what_the_build_script_makes_from_the_installed_opencc():
    shipped = resources.files("cleaners").joinpath("data/variants.txt").read_text(encoding="utf-8")
    assert shipped == build()


def test_every_gbk_and_big5_character_gets_the_share_the_four_opencc_tables_give_it():
    t2s, s2t, s2tw, s2hk = (opencc.OpenCC(c) for c in ("t2s.json", "s2t.json", "s2tw.json", "s2hk.json"))
    big5 = {bytes((lead, trail)).decode("big5", "ignore") for lead in range(0xA1, 0xFA) for trail in range(0x40, 0xFF)}
    chars = (set(tables()[1]) | big5) - {""}
    variants = 0
    for char in chars:
        simple = t2s.convert(char)
        simple = simple if len(simple) == 1 else char
        usual = char in {simple, s2t.convert(simple), s2tw.convert(simple), s2hk.convert(simple)}
        assert simplified_form(char) == (simple, 1.0 if usual else VARIANT_SHARE), char
        variants += not usual
    assert len(chars) > 20_000 and variants > 100  # both kinds are exercised


def test_cleaning_a_damaged_page_loads_neither_the_taiwan_nor_the_hong_kong_table():
    code = ("import opencc\nloaded = []\nmake = opencc.OpenCC\n"
            "def recorded(config):\n    loaded.append(config)\n    return make(config)\n"
            "opencc.OpenCC = recorded\n"
            "from pathlib import Path\nfrom cleaners.pipeline import clean_bytes\n"
            "for path in sorted(Path('raw/samples').iterdir()):\n    clean_bytes(path.read_bytes())\n"
            "print(sorted(set(loaded)))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['s2t.json', 't2s.json']"
