"""Pinyin removal and punctuation on the real pages (ARTIFACTS §1.3, §8)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.chinese import HAN_BASIC
from cleaners.model import CleanConfig
from cleaners.repair.annotation import learn_dictionary
from cleaners.repair.misaligned_gbk import repair_mojibake
from cleaners.repair.pinyin import remove_pinyin
from cleaners.text.punctuation import normalize_punctuation
from tests.conftest import seed_text

CONFIG = CleanConfig()
PARENTHETICAL = re.compile(r"[（(]([^()（）]{1,30})[)）]")


def stages(prefix: str) -> tuple[str, str, str]:
    repaired = repair_mojibake(seed_text(prefix), CONFIG).text
    stripped = remove_pinyin(repaired, CONFIG)
    return repaired, stripped.text, normalize_punctuation(stripped.text, CONFIG).text


@pytest.mark.parametrize("prefix,removed", [("002", 4621), ("003", 2227)])
def test_every_annotation_goes_and_nothing_else(prefix, removed):
    repaired, stripped, _ = stages(prefix)
    assert remove_pinyin(repaired, CONFIG).counts["pinyin_removed"] == removed
    # exactly the annotations went: the removed text is `(reading)` pieces only
    assert len(repaired) - len(stripped) == sum(len(m.group(0)) - 1 for m in
                                                re.finditer(rf"[{HAN_BASIC}]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", repaired))


def test_the_pages_dictionaries_are_learned():
    d002, d003 = learn_dictionary(seed_text("002")), learn_dictionary(seed_text("003"))
    assert len(d002) == 46 and len(d003) == 74
    assert len(set(d002) & set(d003)) == 43
    assert d002["調"] == "diào" and d003["應"] == "yīng"  # one context-free reading per character


def test_real_parentheticals_stay():
    expected = {
        "002": {"代表": 1, "擴大": 1, "專家": 3, "事": 1, "行政": 3, "街道": 8, "勞模": 7, "門店": 2, "征求意見稿": 2,
                "會員": 2, "×": 3, "b型": 2, "reits模式": 1, "宜昌": 1, "行業": 1, "農民工": 3, "社區": 1, "市、區": 2,
                "市": 1, "工業園區": 1, "黨委": 1, "一": 3, "二": 3, "三": 4, "四": 1, "五": 2, "六": 2},
        "003": {"行政": 1, "修正案": 1, "站、點": 1, "點": 1, "人事": 2},
        "000": {"个人": 4, "工匠": 1, "市": 1},
    }
    for prefix, wanted in expected.items():
        _, _, text = stages(prefix)
        found = Counter(PARENTHETICAL.findall(text))
        for inside, n in wanted.items():
            assert found[inside] == n, (prefix, inside, found[inside])


def test_punctuation_is_full_width_in_prose_and_ascii_where_it_belongs():
    _, _, text = stages("002")
    assert "時間：2023-11-12 03:53:59" in text
    assert "1346.4億元" in text and "14.3%；" in text
    assert not re.search(f"[{HAN_BASIC}][,:;?!()]|[,:;?!()][{HAN_BASIC}]", text)
    _, _, text003 = stages("003")
    assert "“4?28”" in text003  # an unencodable character between digits is not punctuation
    assert "9.2%；實現" in text003  # the stray space beside the mark goes with it (ARTIFACTS §9)
    assert "怎么準備？看一下吧" in text003


def test_000_keeps_its_url_and_converts_the_notice_around_it():
    text = normalize_punctuation(seed_text("000"), CONFIG).text
    assert "http://www.wm114.cn" in text
    assert "（新文秘网http://www.wm114.cn省略762字，正式会员可完整阅读）" in text


def test_protected_tokens_are_those_of_the_whole_pattern_on_every_line_of_the_seeds():
    from cleaners.text.punctuation import PROTECTED, protected_tokens
    from tests.conftest import SAMPLES

    lines = [line for path in sorted(SAMPLES.iterdir()) for line in path.read_text(encoding="utf-8").split("\n")]
    lines += ["见 https://wm114.cn/a_1.html 或 www.xuexila.com,联系 editor@example.cn 哦 :-) 好;)"]
    found = 0
    for line in lines:
        expected = [m.span() for m in PROTECTED.finditer(line)]
        assert protected_tokens(line) == expected, line
        found += len(expected)
    assert found >= 4


def test_plain_prose_lines_come_out_as_if_every_mark_were_judged():
    """The fast path of plain prose lines decides exactly as the mark-by-mark judgement.

    The lines of the seeds, the same lines with spaces, brackets, digits and URLs put
    beside their first mark, and every character of the Basic Multilingual Plane on
    either side of a mark.
    """
    from cleaners.text.punctuation import is_plain_prose, judged_line, normalize_line
    from tests.conftest import SAMPLES

    lines = [line for path in sorted(SAMPLES.iterdir()) for line in path.read_text(encoding="utf-8").split("\n")]
    marked = [line for line in lines if re.search(r"[,:;?!]", line)]
    variants = []
    for line in marked:
        for pattern, replacement in ((r"([,:;?!])", r" \1"), (r"([,:;?!])", r"\1\t"), (r"([,:;?!])", r"1\g<1>2"),
                                     (r"([,:;?!])", r"(\1)"), (r"([,:;?!])", r"０\g<1>１"), (r"([,:;?!])", r"\1www.a.cn")):
            variants.append(re.sub(pattern, replacement, line, count=1))
    plain = 0
    for line in marked + variants:
        assert normalize_line(line) == judged_line(line), line
        plain += is_plain_prose(line)
    assert plain > 50  # the fast path is taken (74 times), and not always
    assert plain < len(marked) + len(variants)
    for code in range(0x10000):
        char = chr(code)
        if not 0xD800 <= code <= 0xDFFF:
            for line in (char + ",", ";" + char):
                assert normalize_line(line) == judged_line(line), hex(code)


def bracketed_real_lines() -> list[str]:  # all of them; BRACKETED: those with brackets
    """Real lines with their full-width punctuation forced to ASCII, as the sites did (ARTIFACTS §8)."""
    from tests.conftest import SAMPLES
    from tests.roundtrip import HALF, PROSE
    from tests.styles import STYLES

    pages = [path.read_text(encoding="utf-8") for path in sorted(SAMPLES.iterdir())]
    pages += [style().text for style in STYLES]
    pages.append(PROSE.read_text(encoding="utf-8"))
    return sorted({line.translate(HALF) for page in pages for line in page.split("\n")})


BRACKETED_SOURCE = bracketed_real_lines()
BRACKETED = [line for line in BRACKETED_SOURCE if re.search(r"[()]", line)]


def test_lines_with_chinese_bracket_pairs_come_out_as_if_every_mark_were_judged():
    """The fast path of prose whose brackets all hold Chinese decides exactly as the mark-by-mark judgement,
    on real lines with brackets and on the same lines with a space, an ASCII word, a nested or a
    full-width bracket put beside their first bracket."""
    from cleaners.text.punctuation import is_plain_bracketed, judged_line, normalize_line

    variants = []
    for line in BRACKETED:
        for pattern, replacement in ((r"([()])", r" \1"), (r"([()])", r"\1 "), (r"\(", "(Linux)("),
                                     (r"\(", "(("), (r"\)", "）"), (r"\(", "(a:-)"), (r"\)", "a)")):
            variants.append(re.sub(pattern, replacement, line, count=1))
    fast = 0
    for line in BRACKETED + variants:
        assert normalize_line(line) == judged_line(line), line
        fast += is_plain_bracketed(line)
    assert fast > 50  # the fast path is taken, and not always
    assert fast < len(BRACKETED) + len(variants) // 2


_PIECES = sorted({piece for line in BRACKETED for piece in re.split(r"([()])", line) if piece})[:2000]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + ["(", ")", " ", "（", "）", ",", ":", "a", "1"]), max_size=12))
def test_any_mix_of_real_pieces_and_brackets_as_judged(pieces):
    from cleaners.text.punctuation import judged_line, normalize_line

    line = "".join(pieces)
    if re.search(r"[,:;?!()]", line):
        assert normalize_line(line) == judged_line(line), line


def test_lines_with_spaces_beside_marks_come_out_as_if_every_mark_were_judged():
    """The fast path of prose with spaces beside its marks (each mark right beside Chinese) decides exactly
    as the mark-by-mark judgement, on real lines with spaces put on one side, both sides, or tabs."""
    from cleaners.text.punctuation import is_spaced_prose, judged_line, normalize_line

    marked = sorted({line for line in BRACKETED_SOURCE if re.search(r"[,:;?!]", line)})
    variants = [re.sub(pattern, replacement, line, count=count) for line in marked
                for pattern, replacement, count in ((r"([,:;?!])", r"\1 ", 1), (r"([,:;?!])", r" \1", 0),
                                                    (r"([,:;?!])", r"\1\t ", 2), (r"([,:;?!])", r" \1 ", 1))]
    spaced = 0
    for line in marked + variants:
        assert normalize_line(line) == judged_line(line), line
        spaced += is_spaced_prose(line)
    assert 50 < spaced < len(marked) + len(variants)
