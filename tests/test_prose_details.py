"""Prose details (issue 12, item 6): spaces left by removed links, bracket width, link-damage joins, cut annotations.

Damage is made from real clean prose (the Debian FAQ, the sample speeches) by
its mechanism, and cleaning must give the clean prose back.
"""

import re

import pytest

from cleaners.chinese import HAN
from cleaners.pipeline import clean_text
from tests.pages import finished
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
