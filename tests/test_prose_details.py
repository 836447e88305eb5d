"""Prose details (issue 12, item 6): spaces left by removed links, bracket width, link-damage joins, cut annotations.

Damage is made from real clean prose (the Debian FAQ, the sample speeches) by
its mechanism, and cleaning must give the clean prose back.
"""

import re

import pytest

from cleaners.chinese import HAN
from cleaners.pipeline import clean_text
from tests.pages import finished, page_text
from tests.styles import faq_paragraphs
from tests.unseen_styles import FAQ

PARAGRAPHS = [p for name in FAQ for p in faq_paragraphs(name)]
WORD = re.compile(f"(?<=[{HAN}])[{HAN}]{{2}}(?=[{HAN}])")


def link_spaces(paragraph: str) -> str:
    """The paragraph as a page that dropped the links of its first two-hanzi words leaves it: words between spaces."""
    return WORD.sub(lambda m: f" {m.group()} ", paragraph, count=2)


@pytest.mark.parametrize("paragraph", [p for p in PARAGRAPHS if WORD.search(p) and len(p) > 40][:25])
def test_spaces_that_removed_links_left_between_hanzi_go(paragraph):
    damaged = link_spaces(paragraph)
    assert damaged != paragraph
    page, _ = clean_text(damaged, "text")
    assert page.articles[0].text == finished(paragraph)


@pytest.mark.parametrize("line", [
    "在安装 Python 环境之前，请先确认系统的版本号是否符合要求，否则后续步骤可能失败。",
    "一、铸魂领航 把稳思想“定盘星”",
    "第 9 章 使您的 Debian 系统保持最新",
])
def test_spaces_beside_latin_words_and_in_headings_stay(line):
    page, _ = clean_text(line, "text")
    assert page.articles[0].text == line


BRACKETED = [p for p in PARAGRAPHS if re.search(r"（[ -~]+）", p)]


@pytest.mark.parametrize("paragraph", BRACKETED)
def test_brackets_made_ascii_by_a_site_come_back_full_width(paragraph):
    """The FAQ writes ``自由软件（free software）的``: the width the neighbours call for, whatever the content."""
    page, _ = clean_text(paragraph.replace("（", "(").replace("）", ")"), "text")
    assert page.articles[0].text == finished(paragraph)


def test_there_are_enough_bracketed_paragraphs():
    assert len(BRACKETED) >= 8


@pytest.mark.parametrize("text, expected", [
    ("在安装(Linux)系统之前备份数据。", "在安装（Linux）系统之前备份数据。"),
    ("请参阅 ls(1) 手册页了解更多选项。", "请参阅 ls(1) 手册页了解更多选项。"),
    ("调用 f(x) 时会返回一个整数。", "调用 f(x) 时会返回一个整数。"),
    ("它遵循 POSIX (IEEE 1003.1) 标准。", "它遵循 POSIX (IEEE 1003.1) 标准。"),
    ("详见官方网站(https://www.debian.org)。", "详见官方网站(https://www.debian.org)。"),
])
def test_bracket_width_follows_the_outside_neighbours(text, expected):
    page, _ = clean_text(text, "text")
    assert page.articles[0].text == expected


def cut_inside_annotation(prefix: str, letters: int) -> tuple[str, str]:
    """A sample page with pinyin annotations cut inside one (``…的(z``) and cut just before it, both with a notice."""
    from cleaners.repair.annotation import ANNOTATION
    from tests.conftest import seed_text

    raw = seed_text(prefix).split("\n")
    k = next(i for i, line in enumerate(raw) if i > 20 and len(ANNOTATION.findall(line)) >= 3 and len(line) > 60)
    last = list(ANNOTATION.finditer(raw[k]))[2]
    at = last.start() + 1  # the "(" after the annotated character
    notice = "……（未完，登录后阅读全文）"
    head = raw[:k]
    return ("\n".join([*head, raw[k][:at + 1 + letters], notice]), "\n".join([*head, raw[k][:at], notice]))


@pytest.mark.parametrize("prefix, letters", [("003", 1), ("003", 2), ("002", 1), ("002", 0)])
def test_an_annotation_cut_at_a_truncation_point_is_removed(prefix, letters):
    cut, whole = cut_inside_annotation(prefix, letters)
    (cut_page, _), (whole_page, _) = clean_text(cut, "text"), clean_text(whole, "text")
    assert [a.text for a in cut_page.articles] == [a.text for a in whole_page.articles]
    assert cut_page.meta.truncated


def test_link_damage_joins_need_a_page_that_shows_the_damage():
    """A poem quoted in prose has short lines ending in 。 between lines of text: none is an anchor fragment."""
    lines = page_text("004").split("\n")
    first, second = lines[8].strip(), lines[12].strip()
    poem = ["床前明月光，", "疑是地上霜。", "举头望明月，", "低头思故乡。"]
    page, _ = clean_text("\n".join([first, *poem, second]), "text")
    assert page.articles[0].text.split("\n") == [finished(x) for x in [first, *poem, second]]


def test_the_link_damage_of_page_002_is_still_joined():
    text = page_text("002")
    assert "要推動《。\n勞動合同。\n法》" in text
    page, _ = clean_text(text, "text")
    assert "要推动《劳动合同法》的贯彻实施" in page.text and "健全完善劳动合同集体合同" in page.text
