"""Patterns rewritten for speed find exactly what the plain forms find, on the seeds and the batch styles."""

import re

from cleaners.decode.encoding import decode_bytes
from cleaners.matching.fold import fold
from cleaners.repair.pinyin import ASCII_ANNOTATION, ASCII_ANNOTATION_SCREEN
from cleaners.text.masks import MASK
from cleaners.text.simplify import fix_zhe, zhe_keep_words
from tests.conftest import SAMPLES
from tests.styles import STYLES

TEXTS = [decode_bytes(p.read_bytes()).text for p in sorted(SAMPLES.iterdir())] + [m().text for m in STYLES]


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_mask_pattern_finds_what_its_plain_form_finds():
    plain = re.compile(r"\*{2,}|_+|[xX]{2,}|×+|“”|‘’|「」|『』")
    found = 0
    for text in TEXTS:
        folded = fold(text)
        assert spans(MASK, folded) == spans(plain, folded)
        found += len(spans(plain, folded))
    assert found >= 10


def test_zhe_fix_is_the_plain_keep_word_substitution():
    plain = re.compile("(" + "|".join(map(re.escape, zhe_keep_words())) + ")|著")
    texts = TEXTS + ["随著经济发展，成绩显著，面临著挑战，他是著名作家，著作等身，土著，著\n著名"]
    for text in texts:
        expected = plain.sub(lambda m: m.group(1) or "着", text)
        assert fix_zhe(text)[0] == expected


def test_ascii_annotation_screen_never_misses_a_straddling_annotation():
    for text in TEXTS + ["時候,F(xiàn)TP 服務器"]:
        if ASCII_ANNOTATION.search(text):
            assert ASCII_ANNOTATION_SCREEN.search(text)
    assert ASCII_ANNOTATION_SCREEN.search("時候,F(xiàn)TP")
