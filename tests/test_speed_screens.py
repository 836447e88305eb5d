"""The speed work's screens change nothing: each is checked against the form it replaced (the
oracle, written here as the code was before the screen), on real prose damaged by its mechanism,
pinyin-annotated pages included (their tone letters are Latin-1 characters)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.model import CleanConfig
from cleaners.repair import gbk_as_latin1, question_marks
from cleaners.repair.gbk_as_latin1 import could_show_damage, pairs_end, repair_span, stretch_pattern
from cleaners.repair.lost_runs import repair_lost_runs
from tests.damage import DamageConfig, damage
from tests.roundtrip import damaged_documents, prose_documents, script_variant, site_dictionary
from tests.wild_damage import big5_read_as_latin1, gbk_read_as_cp1252, gbk_read_as_latin1, through_codec

CONFIG = CleanConfig()


def first_pass_oracle(text: str) -> bool:
    """Whether ``repair_gbk_as_latin1`` finds a long stretch, tried on every stretch (no screen)."""
    return any(repair_span(m.group()[: pairs_end(m.group())], gbk_as_latin1.MIN_HANZI)
               for m in stretch_pattern().finditer(text))


SCRIPTS = st.sampled_from(["s", "s2t"])
DAMAGE = st.sampled_from([None, gbk_read_as_latin1, gbk_read_as_cp1252, big5_read_as_latin1])


@st.composite
def passages(draw):
    """Real prose with a piece damaged as GBK/Big5 read as Latin-1 (or none), or a pinyin-annotated page."""
    if draw(st.booleans()):
        docs = pinyin_pages()
        doc = docs[draw(st.integers(0, len(docs) - 1))]
        start = draw(st.integers(0, max(0, len(doc) - 1)))
        return doc[start: start + draw(st.integers(1, 600))]
    docs = script_variant(draw(SCRIPTS))
    doc = docs[draw(st.integers(0, len(docs) - 1))]
    start = draw(st.integers(0, max(0, len(doc) - 1)))
    text = doc[start: start + draw(st.integers(1, 300))]
    how = draw(DAMAGE)
    if how is None:
        return text
    cut = draw(st.integers(0, len(text)))
    length = draw(st.integers(1, 12))
    try:
        damaged = how(text[cut: cut + length])
    except UnicodeEncodeError:
        return text
    return text[:cut] + damaged + text[cut + length:]


_PINYIN: list[str] = []


def pinyin_pages() -> list[str]:
    if not _PINYIN:
        _PINYIN.extend(damaged for _, (_, damaged) in zip(range(20), damaged_documents("s2t", False), strict=False))
    return _PINYIN


@settings(max_examples=400, deadline=None)
@given(passages())
def test_gbk_as_latin1_screen_keeps_every_repair(text):
    assert first_pass_oracle(text) == any(
        repair_span(span, gbk_as_latin1.MIN_HANZI) for m in stretch_pattern().finditer(text)
        if could_show_damage(span := m.group()[: pairs_end(m.group())], gbk_as_latin1.MIN_HANZI))


def test_gbk_as_latin1_screen_is_necessary_on_every_stretch():
    """Over every stretch of the pinyin pages and of damaged prose: a stretch the screen drops
    has no reading with that many wide characters, for each threshold the repair uses."""
    texts = pinyin_pages() + [gbk_read_as_latin1(doc[:400]) for doc in script_variant("s")[:30]]
    seen = 0
    for text in texts:
        for m in stretch_pattern().finditer(text):
            span = m.group()[: pairs_end(m.group())]
            for k in (1, 2, gbk_as_latin1.MIN_HANZI):
                if not could_show_damage(span, k):
                    seen += 1
                    assert repair_span(span, k) is None
    assert seen > 50  # the pinyin syllables' stretches are there to be screened


# ---------------------------------------------------------------- the rules' screened lines


def screened_candidates_oracle(rule, shadow) -> set[int]:
    """The lines a screened rule looks at, found the slow way: every line tested for each needle with ``in``."""
    return {i for i, line in enumerate(shadow.folded_lines) if any(n in line for n in rule.needles)}


def rule_pages() -> list[str]:
    """The five samples, the unseen site styles and damaged pinyin pages: real chrome, notices and prose."""
    from pathlib import Path

    from cleaners.decode.encoding import decode_bytes
    from tests.styles import STYLES

    samples = Path(__file__).resolve().parent.parent / "raw" / "samples"
    pages = [decode_bytes(p.read_bytes()).text for p in sorted(samples.iterdir()) if p.is_file()]
    pages += [style().text for style in STYLES]
    return pages + pinyin_pages()[:5]


def test_screened_rules_look_at_the_same_lines_as_before():
    """The page's one scan (the longest needle at each place, and the needles inside it) gives each rule
    the lines that hold one of its needles: no more, no fewer."""
    from cleaners.matching import rules as R
    from cleaners.matching.fold import fold

    profiles = R.site_profiles()
    compared = hit = 0
    for text in rule_pages() + overlapping_needle_pages():
        for kind in ("chrome", "notice"):
            stage_rules = R.rules_of_kind(profiles, kind)
            screen = R._screen_of(stage_rules)
            shadow = R._Shadow(text, fold(text), screen)
            for k, rule in enumerate(stage_rules):
                if rule.needles is None or not R._screenable(rule):
                    continue
                expected = screened_candidates_oracle(rule, shadow)
                assert shadow.rule_lines(k) == expected, rule
                compared += 1
                hit += bool(expected)
    assert compared > 500 and hit > 10, (compared, hit)


def overlapping_needle_pages() -> list[str]:
    """Lines made of the stages' needles run into each other (one needle's end another's start, one inside
    another), the places a scan that takes one needle at a place could miss the others."""
    from cleaners.matching import rules as R

    needles = sorted({n for rule in R.rules_of_kind(R.site_profiles(), "chrome") + R.rules_of_kind(
        R.site_profiles(), "notice") if R._screenable(rule) for n in rule.needles or ()})
    lines = []
    for i, needle in enumerate(needles):
        other = needles[(i * 7 + 3) % len(needles)]
        lines += [needle + other, needle[:-1] + other, "在" + needle[1:] + needle, other[-1:] + needle + "。"]
    return ["\n".join(lines[j:j + 40]) for j in range(0, len(lines), 40)]


# ---------------------------------------------------------------- the shadow after a line rule


def fresh_shadow(shadow, text: str, changed: list[int], grown=None):
    """The shadow as it was made after every change before: the whole text folded and screened again."""
    from cleaners.matching import rules as R
    from cleaners.matching.fold import fold

    return R._Shadow(text, fold(text), shadow.screen)


def shadow_state(shadow) -> tuple:
    lines = shadow.folded_lines
    rules = range(len(shadow.screen.screenable)) if shadow.screen is not None else ()
    return (shadow.text, shadow.folded, lines, shadow.line_starts, shadow.screened(), shadow.needles_by_line(),
            [shadow.stripped_length(i) for i in range(len(lines))], shadow.head_and_tail(),
            [shadow.rule_lines(k) for k in rules], shadow.view(40))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 4)), max_size=8),
       st.sampled_from(["chrome", "notice"]), st.booleans())
def test_shadow_after_changed_lines_is_the_fresh_shadow(page, edits, kind, warm):
    """Lines emptied, marked as gaps, cut, or given another line's (needle-holding) text, as rules do."""
    from cleaners.matching import rules as R
    from cleaners.matching.fold import fold
    from cleaners.structure.gaps import GAP_LINE

    pages = rule_pages()
    text = pages[page % len(pages)]
    screen = R._screen_of(R.rules_of_kind(R.site_profiles(), kind))
    shadow = R._Shadow(text, fold(text), screen)
    if warm:  # what a rule before has asked of it is carried over
        shadow_state(shadow)
    lines = text.split("\n")
    hits = shadow.screened() or [0]
    changed = []
    for at, how in edits:
        i = (hits[at % len(hits)] if at % 2 else at) % len(lines)
        lines[i] = ["", GAP_LINE.strip("\n"), lines[i][: len(lines[i]) // 2], lines[hits[at % len(hits)]],
                    lines[i] + "[注]"][how]
        changed.append(i)
    new_text = "\n".join(lines)
    assert shadow_state(shadow.with_lines(new_text, changed)) == shadow_state(fresh_shadow(shadow, new_text, changed))
    split = new_text.replace("\n", GAP_LINE, 1)  # a line that became several: made afresh
    assert shadow_state(shadow.with_lines(split, changed)) == shadow_state(fresh_shadow(shadow, split, changed))


def test_chrome_and_notices_as_with_fresh_shadows(monkeypatch):
    """The two rule stages over the samples and the site styles give what they gave when every change
    folded and screened the whole text again."""
    from cleaners.matching import rules as R
    from cleaners.model import Page
    from cleaners.structure.chrome import strip_chrome
    from cleaners.structure.notices import strip_notices

    pages = [Page.from_text(text, "text") for text in rule_pages()]

    def run() -> list:
        return [stage(page, CONFIG) for page in pages for stage in (strip_notices, strip_chrome)]

    fast = run()
    monkeypatch.setattr(R._Shadow, "with_lines", fresh_shadow)
    assert run() == fast


# ---------------------------------------------------------------- 问句码: lost runs of ``?``

URL_ORACLE = re.compile(r"\S+://\S*")  # the URL pattern before the look-behind


def lost_in_ascii_line_oracle(line: str) -> bool:
    """``question_marks.lost_in_ascii_line`` as it was: no screen, the URL pattern tried at every position."""
    outside = URL_ORACLE.sub("", line)
    visible = [c for c in outside if not c.isspace()]
    return line.isascii() and "?" * question_marks.MIN_ASCII_RUN in outside and \
        outside.count("?") >= question_marks.MIN_ASCII_SHARE * len(visible)


URL_TOKENS = st.sampled_from([
    "https://www.debian.org/doc/FAQ/?lang=zh", "ftp://ftp.debian.org/debian/??", "a://b", "://x", "x://",
    "http://a://b?c", "见http://例子.中国/路径?问=题", "??://??", "file:///etc/apt/sources.list"])
CODEC_DAMAGE = st.sampled_from([None, "latin-1", "ascii", "big5", "gb2312", "gbk-sim"])


@st.composite
def question_mark_pages(draw):
    """Real prose with ``?`` as the damage leaves them: written through a codec that lacks its characters
    (every hanzi of Latin-1/ASCII lines, Traditional-only ones of GB2312, Simplified-only ones of Big5),
    or the GBK simulator's half-width marks; URLs (with ``?`` queries) inside tokens, alone, at line starts."""
    script = draw(st.sampled_from(["s", "s2t"]))
    docs = script_variant(script)
    doc = docs[draw(st.integers(0, len(docs) - 1))]
    start = draw(st.integers(0, max(0, len(doc) - 1)))
    text = doc[start: start + draw(st.integers(1, 1500))]
    how = draw(CODEC_DAMAGE)
    if how == "gbk-sim":
        text = damage(text, DamageConfig(site_dictionary(), keep_user_defined=draw(st.booleans()),
                                         seed=draw(st.integers(0, 99))))
    elif how is not None:
        lines = text.split("\n")
        chosen = draw(st.lists(st.integers(0, len(lines) - 1), max_size=len(lines)))
        for i in chosen:
            lines[i] = through_codec(lines[i], how)
        text = "\n".join(lines)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        sep = draw(st.sampled_from(["", " ", "\n"]))
        text = text[:at] + sep + draw(URL_TOKENS) + draw(st.sampled_from(["", " ", "\n"])) + text[at:]
    return text


@settings(max_examples=300, deadline=None)
@given(question_mark_pages())
def test_url_pattern_matches_as_before(text):
    assert [m.span() for m in question_marks.URL.finditer(text)] == [m.span() for m in URL_ORACLE.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(question_mark_pages())
def test_lost_in_ascii_line_screen_keeps_every_line(text):
    for line in text.split("\n"):
        assert question_marks.lost_in_ascii_line(line) == lost_in_ascii_line_oracle(line), line
        if lost_in_ascii_line_oracle(line):
            assert question_marks.could_be_lost_in_ascii(line)


@settings(max_examples=150, deadline=None)
@given(question_mark_pages())
def test_question_marks_repair_as_before(text):
    fast = repair_lost_runs(text, CONFIG)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(question_marks, "URL", URL_ORACLE)
        patch.setattr(question_marks, "lost_in_ascii_line", lost_in_ascii_line_oracle)
        slow = repair_lost_runs(text, CONFIG)
    assert fast == slow


def test_question_mark_screens_see_the_lost_lines():
    """The property tests above reach what they guard: lines through Latin-1 that the repair marks."""
    lines = [through_codec(doc, "latin-1") for doc in prose_documents()[:60]]
    marked = [line for line in lines if lost_in_ascii_line_oracle(line)]
    assert len(marked) > 20 and all(question_marks.lost_in_ascii_line(line) for line in marked)


def all_needles() -> list[str]:
    from cleaners.matching import rules as R

    profiles = R.site_profiles()
    return sorted({n for kind in ("chrome", "notice") for r in R.rules_of_kind(profiles, kind) for n in r.needles or ()})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(all_needles()), st.text(max_size=4)), min_size=1, max_size=40),
       st.integers(0, 10_000), st.integers(0, 2000))
def test_trie_alternation_finds_what_the_plain_alternation_found(literals, page, start):
    """The stage screens' factored pattern against the alternation of the literals one by one: the same
    first place, from every start, on real pages (and on the literals themselves)."""
    import re

    from cleaners.matching.fold import fold
    from cleaners.matching.needles import trie_alternation

    pages = rule_pages()
    text = fold(pages[page % len(pages)])[start:start + 3000] + "".join(literals)
    plain = re.compile("|".join(map(re.escape, literals)))
    factored = re.compile(trie_alternation(literals))
    for at in range(0, len(text), 97):
        a, b = plain.search(text, at), factored.search(text, at)
        assert (a is None) == (b is None) and (a is None or a.start() == b.start()), (literals, at)
    assert {m.group() for m in map(factored.fullmatch, literals) if m} == set(literals)


def test_one_line_needles_are_the_scans():
    """``NeedleScan.in_line`` (a changed line screened alone) gives the lines' needles as the numpy scan does."""
    from cleaners.matching import rules as R
    from cleaners.matching.fold import fold

    compared = 0
    for kind in ("chrome", "notice"):
        scan = R._screen_of(R.rules_of_kind(R.site_profiles(), kind)).scan
        for text in rule_pages() + overlapping_needle_pages():
            lines = fold(text).split("\n")
            found = scan.by_line("\n".join(lines))
            for i, line in enumerate(lines):
                assert scan.in_line(line) == found.get(i, set()) == {n for n in scan.needles if n in line}, line
                compared += bool(found.get(i))
    assert compared > 200


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 400), st.booleans()),
                                        min_size=1, max_size=5), st.sampled_from(["chrome", "notice"]))
def test_shadow_after_lines_cut_by_gap_marks_is_the_fresh_shadow(page, cuts, kind):
    """Lines cut in two by a gap's mark (one line becoming several, the lines below moving down), as a
    gap notice inside a line leaves them: the shadow carried over equals the one made afresh."""
    from cleaners.matching import rules as R
    from cleaners.matching.fold import fold
    from cleaners.structure.gaps import GAP_LINE

    pages = rule_pages()
    text = pages[page % len(pages)]
    screen = R._screen_of(R.rules_of_kind(R.site_profiles(), kind))
    shadow = R._Shadow(text, fold(text), screen)
    shadow_state(shadow)  # everything asked of it before, as the rules before ask
    lines = text.split("\n")
    hits = shadow.screened() or [0]
    changed, grown = [], {}
    for at, cut, gap in cuts:
        i = (hits[at % len(hits)] if at % 2 else at) % len(lines)
        if i in grown:
            continue
        line = lines[i]
        lines[i] = (line[:cut].rstrip(" \t") + GAP_LINE + line[cut:]) if gap else line[cut:]
        changed.append(i)
        if "\n" in lines[i]:
            grown[i] = lines[i].count("\n") + 1
    new_text = "\n".join(lines)
    assert shadow_state(shadow.with_lines(new_text, changed, grown)) == \
        shadow_state(fresh_shadow(shadow, new_text, changed))


def test_hanzi_count_by_runs_is_the_count_of_every_hanzi():
    """Counted over runs of hanzi, the count is that of the list of every hanzi it replaced, on real
    prose of both scripts, damaged pages and text with ``?`` put between hanzi."""
    docs = list(prose_documents()[:60]) + list(script_variant("s2t")[:30])
    docs += [damaged for _, (_, damaged) in zip(range(30), damaged_documents("s", False), strict=False)]
    docs += [doc.replace("的", "?").replace("是", "??") for doc in prose_documents()[:20]] + ["", "abc", "?中?"]
    for doc in docs:
        assert question_marks.hanzi_count(doc) == len(question_marks.HAN.findall(doc))


_NEEDLE_PIECES = [piece for n in all_needles() for piece in {n, n[:2], n[:-1], n[1:]} if piece]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_NEEDLE_PIECES), st.sampled_from(["\n", " ", "的", "a"])),
                min_size=1, max_size=30), st.sampled_from(["chrome", "notice"]))
def test_needle_scan_on_pieces_of_needles(pieces, kind):
    """The scan's pair and third-character tables against ``needle in line``, on texts made of needles, their
    first two characters, and needles cut short or cut at the front (a pair that starts a longer needle
    followed by another character, or by the end of the text)."""
    from cleaners.matching import rules as R

    scan = R._screen_of(R.rules_of_kind(R.site_profiles(), kind)).scan
    text = "".join(pieces)
    found = scan.by_line(text)
    for i, line in enumerate(text.split("\n")):
        assert found.get(i, set()) == {n for n in scan.needles if n in line}, line
