"""shapes.is_sentence and shapes.is_structure are the one form of what edges and furniture each wrote before:
the old forms are kept here as oracles and the new ones must agree with them, line by line, on real text (the
samples, the Debian FAQ excerpt, the unseen styles' pages) and on lines built around their edge cases."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaners.chinese import HAN
from cleaners.matching.fold import fold
from cleaners.structure.shapes import (
    HANZI_SPACE_HANZI,
    SENTENCE_END,
    cjk_count,
    has_cjk,
    is_heading,
    is_part_header,
    is_salutation,
    is_sentence,
    is_structure,
)
from tests.conftest import seed_text
from tests.roundtrip import prose_documents

NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s*[^\d\s.][^。!?]{0,40}$")
FUNCTION_CHARS = re.compile("[的了是在有和也就都而及与着把被这那之其]")


def edges_is_sentence(line: str) -> bool:
    """edges.is_sentence as it was."""
    text = fold(line.strip()).rstrip("”’」』\"'")
    if not text or not has_cjk(text) or HANZI_SPACE_HANZI.search(text):
        return False
    if text[-1] in "。!?…;":
        return cjk_count(text) >= 2
    return text[-1] == ":" and (cjk_count(text) >= 10 or FUNCTION_CHARS.search(text) is not None)


def furniture_ends_sentence(line: str) -> bool:
    """furniture.ends_sentence as it was."""
    text = fold(line.strip())
    return (bool(text) and text[-1] in SENTENCE_END and cjk_count(text) >= 2
            and HANZI_SPACE_HANZI.search(text) is None)


def edges_is_structure(line: str) -> bool:
    """edges.is_structure as it was."""
    return (is_heading(line) or is_salutation(line) or is_part_header(line)
            or NUMBERED_HEADING.match(fold(line.strip())) is not None)


def furniture_is_protected(line: str) -> bool:
    """furniture.is_protected as it was."""
    return is_salutation(line) or is_heading(line) or is_part_header(line)


def real_lines() -> list[str]:
    texts = [*prose_documents(), *(seed_text(p) for p in ("000", "001", "002", "003", "004"))]
    return sorted({line for text in texts for line in text.splitlines()})


def agree(line: str) -> None:
    assert is_sentence(line, open_ends=True) == edges_is_sentence(line), line
    assert is_sentence(line) == furniture_ends_sentence(line), line
    assert is_structure(line, numbered=True) == edges_is_structure(line), line
    assert is_structure(line) == furniture_is_protected(line), line


def test_the_one_form_judges_every_real_line_as_both_old_forms_did():
    lines = real_lines()
    assert len(lines) > 500
    for line in lines:
        agree(line)
    assert any(is_sentence(line, open_ends=True) and not is_sentence(line) for line in lines)


ENDS = ["。", "!", "?", "…", ";", ":", "：", "；", "！", "？", "”", "’", "」", "』", "\"", "'", "", " ", "篇二",
        "【篇3】", ")"]
HEADS = ["", "16.1. ", "2.3 ", "一、", "(三)", "第二章 ", "2024.06.01 ", "同志们", "尊敬的各位领导、", " ", "已赞过 "]


@given(st.sampled_from(HEADS), st.text(alphabet=st.sampled_from("的是安装步骤如下學習他说同志们 abc1。,、:"), max_size=30),
       st.lists(st.sampled_from(ENDS), max_size=3))
def test_the_one_form_judges_built_lines_as_both_old_forms_did(head, body, ends):
    agree(head + body + "".join(ends))


@pytest.mark.parametrize("line", ["分享到：", "为你推荐：", "Debian GNU/Linux 是：", f"{HAN[:1]}", "“谢谢大家。”"])
def test_the_edge_cases_of_the_doctests(line):
    agree(line)
