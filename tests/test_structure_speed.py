"""Fast forms of the page-structure stages' line judgements, each against its slow form (the oracle)."""

from __future__ import annotations

import re
from pathlib import Path
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.chinese import HAN
from cleaners.decode.encoding import decode_bytes
from cleaners.matching.fold import fold
from cleaners.structure import shapes
from tests.conftest import SAMPLES
from tests.roundtrip import PROSE
from tests.styles import STYLES

_NOT_HAN = re.compile(f"[^{HAN}]+")


def cjk_count_oracle(text: str) -> int:
    return len(_NOT_HAN.sub("", text))


def is_body_line_oracle(line: str) -> bool:
    """``shapes.is_body_line`` as it was: every hanzi counted."""
    if len(line) < 20:
        return False
    text = fold(line)
    return any(mark in text for mark in shapes.SENTENCE_END) and cjk_count_oracle(text) >= 20


def is_prose_line_oracle(line: str) -> bool:
    """``shapes.is_prose_line`` as it was: no shortcut for short lines, every hanzi counted."""
    text = fold(line.strip())
    if is_body_line_oracle(text):
        return True
    return cjk_count_oracle(text) >= 20 and not (
        shapes.is_heading(text) or shapes.is_field_line(text) or shapes.is_nav_line(text))


def real_lines() -> list[str]:
    pages = [decode_bytes(p.read_bytes()).text for p in sorted(SAMPLES.iterdir()) if p.is_file()]
    pages += [style().text for style in STYLES]
    pages.append(PROSE.read_text(encoding="utf-8")[:200_000])
    return [line for page in pages for line in page.split("\n")]


LINES = real_lines()


def test_line_judgements_as_before_on_real_lines():
    body = prose = 0
    for line in LINES:
        assert shapes.is_body_line(line) == is_body_line_oracle(line), line
        assert shapes.is_prose_line(line) == is_prose_line_oracle(line), line
        body += shapes.is_body_line(line)
        prose += shapes.is_prose_line(line)
    assert body > 100 and prose > body  # both answers are given often


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(LINES) - 1), st.integers(0, 200), st.integers(0, 200),
       st.text(alphabet="。!?…,: a1中文ＡＢ　", max_size=30), st.integers(1, 40))
def test_line_judgements_as_before_on_cut_and_mixed_lines(index, start, length, noise, least):
    """Real lines cut anywhere and mixed with marks, spaces, Latin and hanzi: the shortcuts
    (a prefix's hanzi first, short lines out first) decide as the full count does."""
    line = LINES[index][start:start + length] + noise + LINES[(index + 1) % len(LINES)][:length]
    assert shapes.is_body_line(line) == is_body_line_oracle(line)
    assert shapes.is_prose_line(line) == is_prose_line_oracle(line)
    assert shapes.has_hanzi(line, least) == (cjk_count_oracle(line) >= least)


def bar_rows_oracle(lines: list[str], first: int, last: int) -> list[int]:
    """``edges.bar_rows`` as it was: every line split at its bars."""
    from cleaners.structure.edges import BAR_ROW, is_heading, is_sentence

    drop = []
    for i in range(first + 1, last):
        text = fold(lines[i].strip())
        parts = [p for p in BAR_ROW.split(text) if p]
        if len(parts) >= 3 and all(len(p) <= 12 for p in parts) and not is_sentence(text, open_ends=True) \
                and not is_heading(text):
            drop.append(i)
    return drop


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(LINES) - 60), st.lists(st.sampled_from(
    ["首页 | 关于我们 | 联系我们", "首页｜新闻｜正文", "a|b", "|", "｜｜", "甲 | 乙", "上一篇 | 下一篇 | 返回", ""]),
    max_size=6), st.integers(0, 59))
def test_bar_rows_as_before(start, rows, at):
    from cleaners.structure.edges import bar_rows

    lines = LINES[start:start + 60]
    lines[at:at] = rows
    assert bar_rows(lines, 0, len(lines) - 1) == bar_rows_oracle(lines, 0, len(lines) - 1)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 150_000), st.integers(4_097, 20_000), st.integers(0, 19_999),
       st.sampled_from(["學", "，", "a", "\n", "體"]))
def test_long_texts_fold_as_before_when_kept(start, length, at, char):
    """A long text's shadow, kept for the next stage, is the shadow of exactly that text: the same text
    again gives it, a text of the same length with one character changed gets its own."""
    from cleaners.matching import fold as F

    text = PROSE.read_text(encoding="utf-8")[start:start + length]
    if len(text) <= F._MEMO_MAX_CHARS:
        return
    assert F.fold(text) == F._fold_array(text)
    assert F.fold(text) == F._fold_array(text)  # kept
    at %= len(text)
    changed = text[:at] + char + text[at + 1:]
    assert F.fold(changed) == F._fold_array(changed)
    assert F.fold(text) == F._fold_array(text)


def site_naming_lines() -> list[str]:
    """The real lines, and the text lines of the real HTML pages (their footers name sites: 版权所有, ICP, 主办)."""
    lines = list(LINES)
    for path in sorted((Path(__file__).parent / "data" / "realpages").glob("*.html")):
        markup = decode_bytes(path.read_bytes()).text
        lines += [line for line in re.sub(r"<[^>]+>", "\n", markup).split("\n") if line.strip()]
    return lines


SITE_LINES = site_naming_lines()


def assert_screen_keeps_site_names(line: str) -> bool:
    """A line the site vote's screen (``site_vote.NAMED``) passes over names no site by owner, source or ICP."""
    from cleaners.structure import site_vote

    text = fold(line.strip())
    found = [site_vote.names_in(text, patterns) for patterns in (site_vote.OWNER, site_vote.SOURCE, site_vote.ICP)]
    if site_vote.NAMED is None or site_vote.NAMED.search(text) is None:
        assert found == [[], [], []], line
    return any(found)


def test_site_vote_screen_misses_no_name_on_real_lines():
    named = sum(map(assert_screen_keeps_site_names, SITE_LINES))
    assert named > 20  # lines naming a site are there, and the screen passes them


def test_site_vote_candidates_as_unscreened(monkeypatch):
    from cleaners.structure import site_vote

    pages = [SITE_LINES[i:i + 60] for i in range(0, len(SITE_LINES), 60)]
    screened = [site_vote.candidates(page, 5, len(page) - 5) for page in pages]
    monkeypatch.setattr(site_vote, "NAMED", None)
    assert screened == [site_vote.candidates(page, 5, len(page) - 5) for page in pages]
    assert sum(map(len, screened)) > 20


_SITE_PIECES = sorted({piece for line in SITE_LINES[::7] for piece in re.split(r"(\W)", line) if piece})[:3000]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SITE_PIECES + ["版权所有", "COPYRIGHT", "(c)", "(C)", "©", "主办", "来源:",
                                                  "ICP备", "all rights reserved", "ſ", " "]), max_size=10))
def test_site_vote_screen_misses_no_name_in_mixes(pieces):
    assert_screen_keeps_site_names("".join(pieces))


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32))
def test_remembered_line_judgements_as_judged_afresh(seed):
    """The per-line memory of is_body_line/is_prose_line answers as the judgement does, in any order of
    asking, repeated, across the cache being emptied when full."""
    random = Random(seed)
    lines = random.sample(SITE_LINES, min(len(SITE_LINES), 3000)) * 2
    random.shuffle(lines)
    for line in lines:
        assert shapes.is_body_line(line) == (len(line) >= 20 and shapes.judged_body_line(line)), line
        assert shapes.is_prose_line(line) == shapes.judged_prose_line(line), line
        assert shapes.is_prose_line(line) == is_prose_line_oracle(line), line
    assert len(shapes._BODY_LINES) <= shapes.LINE_CACHE_MAX
