"""Build ``cleaners/data/readings.txt``: the readings of single characters the cleaners look up.

Source: the single-character table of pypinyin 0.55.0 (``pypinyin.pinyin_dict``,
MIT licence; its data come from mozillazg/pinyin-data), the readings of each
character with tone marks, the default first. Only the characters the
cleaners can ask about are kept:

* the Chinese characters an inline annotation can follow (``annotation.HAN``:
  CJK Extension A, the Unified Ideographs, the compatibility ideographs);
* every character of the GBK code table, private-use ones included
  (``cleaners.repair.gbk.tables``): the mojibake repair reads the characters a lost
  byte pair can make, and pypinyin knows readings for some of the user-defined
  pairs' private-use characters (U+E815 …) and for 〇.

All of them are in the Basic Multilingual Plane. One character a line, in
code-point order::

    學<TAB>xué,huá,jiào

The pipeline reads this file (``cleaners.repair.annotation.readings_of``) and no
longer imports pypinyin at run time: ``import pypinyin.pinyin_dict`` runs the
package's ``__init__``, which loads its phrase table, about 55 MB per process
for readings that fit in 300 KB. Run once, by hand, after upgrading pypinyin
(a test compares the shipped file with what this script makes)::

    /work/main/.venv/bin/python scripts/build_readings.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "cleaners" / "data" / "readings.txt"


def wanted(char: str, gbk_chars, han: re.Pattern[str]) -> bool:
    return char in gbk_chars or bool(han.fullmatch(char))


def build() -> str:
    """The text of ``readings.txt`` from the installed pypinyin."""
    from importlib.metadata import version

    from pypinyin.pinyin_dict import pinyin_dict

    sys.path.insert(0, str(ROOT))
    from cleaners.repair.annotation import HAN
    from cleaners.repair.gbk import tables

    gbk_chars = tables()[1].keys()
    han = re.compile(f"[{HAN}]")
    lines = [f"# Readings of single characters (tone marks, the default first) from pypinyin "
             f"{version('pypinyin')} (pinyin_dict, MIT licence);",
             "# only the characters the cleaners look up. Built by scripts/build_readings.py; do not edit."]
    for code in sorted(pinyin_dict):
        char = chr(code)
        if wanted(char, gbk_chars, han):
            lines.append(f"{char}\t{pinyin_dict[code]}")
    return "\n".join(lines) + "\n"


def main() -> int:
    text = build()
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT}: {text.count(chr(10)) - 2} characters, {len(text.encode())} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
