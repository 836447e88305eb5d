"""The shipped readings (``cleaners/data/readings.txt``) are pypinyin's, for every character the cleaners ask about.

pypinyin is a build (dev) dependency only: the cleaners read the data file and
never import it (``scripts/build_readings.py``).
"""

import re
import subprocess
import sys
from importlib import resources

from pypinyin.pinyin_dict import pinyin_dict

from cleaners.chinese import EXTENSION_A
from cleaners.repair.annotation import ANNOTATION, HAN, readings_of
from cleaners.repair.gbk import tables
from scripts.build_readings import build
from tests.conftest import SAMPLES


def test_the_shipped_file_is_what_the_build_script_makes_from_the_installed_pypinyin():
    shipped = resources.files("cleaners").joinpath("data/readings.txt").read_text(encoding="utf-8")
    assert shipped == build()


def test_every_annotatable_or_gbk_character_reads_as_pypinyin_says():
    han = re.compile(f"[{HAN}]")
    wanted = set(tables()[1]) | {chr(c) for c in range(EXTENSION_A[0], 0x10000) if han.fullmatch(chr(c))}
    known = 0
    for char in wanted:
        entry = pinyin_dict.get(ord(char))
        assert readings_of(char) == (tuple(entry.split(",")) if entry else ()), char
        known += entry is not None
    assert known > 26_000
    # PUA characters of GBK's user-defined pairs and 〇 are outside HAN but have readings
    assert readings_of("\ue815") == tuple(pinyin_dict[0xE815].split(",")) and readings_of("〇")[0] == "líng"


def test_characters_the_table_leaves_out_have_no_reading():
    assert readings_of("a") == readings_of("，") == readings_of("\U00020000") == ()


def test_every_annotated_character_of_the_seeds_has_its_annotation_among_its_readings():
    from cleaners.decode.encoding import decode_bytes

    pairs = [m.groups() for path in sorted(SAMPLES.iterdir())
             for m in ANNOTATION.finditer(decode_bytes(path.read_bytes()).text)]
    assert len(pairs) > 100
    listed = sum(reading in readings_of(char) for char, reading in pairs)
    assert listed >= 0.9 * len(pairs)


def test_the_cleaners_do_not_import_pypinyin():
    code = ("import sys, cleaners.pipeline, cleaners.repair.misaligned_gbk; from cleaners.repair.annotation import readings_of; "
            "readings_of('學'); print(any(m.split('.')[0] == 'pypinyin' for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
