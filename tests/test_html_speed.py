"""The HTML extraction's fast forms select and read what their reference forms do (the oracles, written here
or kept in the module as the code was before): on every page of the real-page development set and on
generated markup that mixes the attributes and styles the rules look at."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from benchmarks.extraction import dev_pages
from cleaners.decode.encoding import decode_bytes
from cleaners.structure.html import NAMED_OR_HIDDEN, markup_start, named_or_hidden, parse_html

PAGES = dev_pages()


def page_root(raw: bytes):
    text = decode_bytes(raw).text
    root = parse_html(text[markup_start(text) or 0:])
    etree.strip_elements(root, "script", "style", with_tail=False)
    return root


@pytest.mark.parametrize(("name", "raw", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_named_or_hidden_walk_selects_what_the_xpath_selects(name, raw, expected):
    root = page_root(raw)
    for top in (root, root.find("body")):
        if top is not None:
            assert named_or_hidden(top) == top.xpath(NAMED_OR_HIDDEN)


ATTRIBUTES = st.sampled_from([
    "", ' class="nav"', ' class=""', ' id="main"', " hidden", ' style="display:none"', ' style="DISPLAY: NONE"',
    ' style="visibility:hidden"', ' style="color:red"', ' style="overflow:Hidden"', ' title="x"', ' data-id="3"',
])
TAGS = st.sampled_from(["div", "p", "header", "span", "ul", "li", "a", "section"])


@st.composite
def markup(draw, depth=0):
    """Nested elements with the attributes the candidates are chosen by, and some prose between them."""
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 0))):
        tag = draw(TAGS)
        parts.append(f"<{tag}{draw(ATTRIBUTES)}{draw(ATTRIBUTES)}>同志们{draw(markup(depth + 1))}</{tag}>好")
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(markup())
def test_named_or_hidden_walk_on_generated_markup(body):
    root = parse_html(f"<html><body>{body}</body></html>")
    top = root.find("body")
    assert named_or_hidden(top) == top.xpath(NAMED_OR_HIDDEN)


LINE_TEXT = st.text(alphabet=st.sampled_from(list("甲乙 a\r\n\r\n\u2028\u2029\x85\x0b\x0c\ufeff")), max_size=60)


@settings(max_examples=500, deadline=None)
@given(LINE_TEXT)
def test_line_breaks_by_string_scans_are_the_regex_substitution(text):
    from cleaners.text.layout import LINE_BREAKS, line_breaks_to_newlines

    assert line_breaks_to_newlines(text) == LINE_BREAKS.subn("\n", text)


@pytest.mark.parametrize(("name", "raw", "expected"), PAGES[::4], ids=[p[0] for p in PAGES[::4]])
def test_line_breaks_of_real_pages_with_crlf(name, raw, expected):
    from cleaners.text.layout import LINE_BREAKS, line_breaks_to_newlines

    text = decode_bytes(raw).text
    for page in (text, text.replace("\n", "\r\n"), text.replace("\n", "\r")):
        assert line_breaks_to_newlines(page) == LINE_BREAKS.subn("\n", page)


def posted_by_oracle():
    """``metaline.POSTED_BY`` as one pattern, searched in every text (before the screen)."""
    import re

    from cleaners.structure import metaline

    return re.compile(r"(?:^|\s)(?P<name>[^\s:：|｜()（）]{2,24})(?<!" + "|".join(metaline.PAGE_ITEMS) + r")\s*"
                      + metaline.POSTED)


@pytest.mark.parametrize(("name", "raw", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_screened_posted_by_finds_what_the_pattern_finds_on_real_pages(name, raw, expected):
    from cleaners.structure.html import visible_text
    from cleaners.structure.metaline import POSTED_BY, normalise

    text = normalise(visible_text(page_root(raw)))
    oracle = posted_by_oracle()
    for start in range(0, len(text), max(1, len(text) // 20)):
        piece = text[start:start + 300]
        found, expected_match = POSTED_BY.search(piece), oracle.search(piece)
        assert (found and found.span(), found and found["name"]) == (
            expected_match and expected_match.span(), expected_match and expected_match["name"])


BYLINE_PIECES = st.sampled_from(["肖老师", " ", "于", " 于 ", "2024-05-06 15:47:53", "二〇二四年五月六日", "发布", "发表",
                                 "最新推荐文章", "：", "|", "正文", "\n", "A-", "2019年2月27日"])


@settings(max_examples=500, deadline=None)
@given(st.lists(BYLINE_PIECES, max_size=14).map("".join))
def test_screened_posted_by_on_generated_bylines(text):
    from cleaners.structure.metaline import POSTED_BY

    found, expected_match = POSTED_BY.search(text), posted_by_oracle().search(text)
    assert (found and found.span()) == (expected_match and expected_match.span())


def chrome_element_oracle(tag, stats) -> bool:
    """``is_chrome_element`` as it was: the names judged again for every element."""
    from cleaners.structure.html import ANY_CHROME_NAME, CHROME_NAMES, LINK_LIST_NAMES, holds_prose, inside_running_text

    names = [name for name in (*(tag.get("class") or "").split(), tag.get("id") or "") if name]
    if not ANY_CHROME_NAME.search("\n".join(names)):
        return False
    furniture = [name for name in names if CHROME_NAMES.search(name)]
    if not furniture:
        return False
    return not all(LINK_LIST_NAMES.search(name) for name in furniture) or not (
        holds_prose(tag, stats) or inside_running_text(tag))


def teaser_list_oracle(tag, stats) -> bool:
    """``is_teaser_list`` without its screens."""
    from cleaners.structure.html import MIN_LINKS, TEASER_SHARE, is_headed_item

    items = [c for c in tag if isinstance(c.tag, str)]
    if len(items) < MIN_LINKS:
        return False
    return sum(1 for item in items if is_headed_item(item, stats)) >= TEASER_SHARE * len(items)


@pytest.mark.parametrize(("name", "raw", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_cached_names_and_teaser_screens_judge_as_before(name, raw, expected):
    """On every element, with the page's counts as made and again after blocks were dropped (the counts
    go down, the longest link stays)."""
    from cleaners.structure.html import _drop, is_chrome_element, is_teaser_list, text_stats

    root = page_root(raw)
    stats = text_stats(root)
    for dropping in (False, True):
        if dropping:
            for tag in list(root.iter("div", "ul", "span"))[::4]:
                if tag.getparent() is not None and all(stats.within(tag, a) for a in tag.iterancestors()):
                    stats.forget(tag)
                    _drop(tag)
        for tag in root.iter(etree.Element):
            assert is_chrome_element(tag, stats) == chrome_element_oracle(tag, stats)
            assert is_teaser_list(tag, stats) == teaser_list_oracle(tag, stats)


@pytest.mark.parametrize(("name", "raw", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_visible_text_read_in_the_counting_walk_is_itertexts(name, raw, expected):
    """The counting walk reads each text once; the body's texts it keeps are what ``itertext`` gives."""
    from cleaners.structure.html import text_stats, visible_text

    root = page_root(raw)
    assert text_stats(root, root.find("body")).visible == visible_text(root)
    assert text_stats(root).visible == " ".join(root.itertext())


@settings(max_examples=300, deadline=None)
@given(markup(), st.sampled_from(["", "<p>前言</p>", "\n  "]))
def test_visible_text_of_the_counting_walk_on_generated_markup(body, after):
    from cleaners.structure.html import text_stats, visible_text

    root = parse_html(f"<html><head><title>题</title></head><body>{body}</body>{after}</html>")
    assert text_stats(root, root.find("body")).visible == visible_text(root)


def collect_text_oracle(node, parts, preformatted):
    """``_collect_text`` as it was: one call per text and tail (empty ones appended too)."""
    from cleaners.structure.html import BLOCKS, WRAP

    def string(text, preformatted):
        if not text:
            return ""
        return text if preformatted else text.replace("\r", "").replace("\n", WRAP)

    parts.append(string(node.text, preformatted))
    for child in node:
        if isinstance(child.tag, str):
            block = child.tag in BLOCKS
            if block:
                parts.append("\n")
            collect_text_oracle(child, parts, preformatted or child.tag == "pre")
            if block:
                parts.append("\n")
        parts.append(string(child.tail, preformatted))


def both_collections(root):
    from cleaners.structure.html import _collect_text

    fast: list[str] = []
    slow: list[str] = []
    _collect_text(root, fast, preformatted=False)
    collect_text_oracle(root, slow, preformatted=False)
    return "".join(fast), "".join(slow)


@pytest.mark.parametrize(("name", "raw", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_collected_text_is_the_reference_forms(name, raw, expected):
    from cleaners.structure.html import remove_furniture

    root = page_root(raw)
    fast, slow = both_collections(root)
    assert fast == slow
    remove_furniture(root)
    fast, slow = both_collections(root)
    assert fast == slow


PRE_PIECES = st.sampled_from(["<pre>", "</pre>", "<p>", "</p>", "<b>", "</b>", "<br>", "甲\r\n乙", "a\nb", "\r", " ",
                              "<div>", "</div>", "<!-- x -->", "丙"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PRE_PIECES, max_size=20).map("".join))
def test_collected_text_on_generated_markup_with_pre(body):
    root = parse_html(f"<html><body>{body}</body></html>")
    fast, slow = both_collections(root)
    assert fast == slow


@settings(max_examples=500, deadline=None)
@given(st.from_regex(r"(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}:\d{2}",
                     fullmatch=True))
def test_a_date_stamp_holds_as_many_characters_as_the_screen_lets_through(stamp):
    from cleaners.structure.html import DATE_STAMP, DATE_STAMP_CHARS

    shown = " ".join(stamp.split())
    if DATE_STAMP.fullmatch(shown):
        assert DATE_STAMP_CHARS[0] <= len("".join(shown.split())) <= DATE_STAMP_CHARS[1]


def test_the_date_stamp_pattern_is_the_one_the_bounds_were_taken_from():
    from cleaners.structure.html import DATE_STAMP

    assert DATE_STAMP.pattern == (r"(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
                                  r"|\d{1,2}:\d{2}")


@pytest.mark.parametrize(("name", "raw", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_screened_date_stamps_are_the_unscreened_ones(name, raw, expected):
    """On every element, with the page's counts as made and again after blocks were dropped."""
    from cleaners.structure.html import _drop, has_date_stamp, text_stats

    root = page_root(raw)
    stats = text_stats(root)
    for dropping in (False, True):
        if dropping:
            for tag in list(root.iter("div", "ul", "span", "p"))[::3]:
                if tag.getparent() is not None and all(stats.within(tag, a) for a in tag.iterancestors()):
                    stats.forget(tag)
                    _drop(tag)
        for tag in root.iter(etree.Element):
            assert has_date_stamp(tag, stats) == has_date_stamp(tag)


def text_stats_by_parents(root):
    """``text_stats``'s counts as they were made: elements in reversed document order, each added to its parent."""
    from cleaners.structure.html import (
        CHARS,
        LAST,
        LINKED,
        LINKS,
        LONGEST_LINK,
        PROSE_PARAGRAPH_CHARS,
        PROSE_PARAGRAPHS,
    )

    elements = list(root.iter(etree.Element))
    counts = {tag: [0, 0, 0, 0, 0, i, i] for i, tag in enumerate(elements)}
    for tag in reversed(elements):
        own = counts[tag]
        if tag.text:
            own[CHARS] += len("".join(tag.text.split()))
        if tag.tag == "a":
            own[LINKED] = own[CHARS]
            own[LINKS] += 1
            own[LONGEST_LINK] = max(own[LONGEST_LINK], own[CHARS])
        elif tag.tag == "p" and own[CHARS] - own[LINKED] >= PROSE_PARAGRAPH_CHARS:
            own[PROSE_PARAGRAPHS] += 1
        parent = counts.get(tag.getparent()) if tag is not root else None
        if parent is None:
            continue
        parent[CHARS] += own[CHARS] + (len("".join(tag.tail.split())) if tag.tail else 0)
        for i in (LINKED, LINKS, PROSE_PARAGRAPHS):
            parent[i] += own[i]
        parent[LONGEST_LINK] = max(parent[LONGEST_LINK], own[LONGEST_LINK])
        parent[LAST] = max(parent[LAST], own[LAST])
    return counts


@pytest.mark.parametrize(("name", "raw", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_counts_of_the_forward_walk_are_the_counts_by_parents(name, raw, expected):
    from cleaners.structure.html import text_stats

    root = page_root(raw)
    assert text_stats(root, root.find("body")).counts == text_stats_by_parents(root)


@settings(max_examples=300, deadline=None)
@given(markup())
def test_counts_of_the_forward_walk_on_generated_markup(body):
    from cleaners.structure.html import text_stats

    root = parse_html(f"<html><body><p>{'长句' * 40}<a href=x>链接</a></p>{body}<a>尾</a></body></html>")
    assert text_stats(root).counts == text_stats_by_parents(root)


@pytest.mark.parametrize(("name", "raw", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_screened_author_field_finds_what_the_pattern_finds_on_real_pages(name, raw, expected):
    from cleaners.structure.html import visible_text
    from cleaners.structure.metaline import AUTHOR, normalise

    text = normalise(visible_text(page_root(raw)))
    for start in [*range(0, len(text), max(1, len(text) // 40)), len(text)]:
        for piece in (text[start:start + 300], text[start:]):
            found, expected_match = AUTHOR.search(piece), AUTHOR.pattern.search(piece)
            assert (found and found.span(), found and found["name"]) == (
                expected_match and expected_match.span(), expected_match and expected_match["name"])


AUTHOR_PIECES = st.sampled_from(["作者", "记者", "撰文", "撰稿", "文", "者", "稿", "：", ":", "|", "｜", " ", "/", "张三",
                                 "李四、王五", "正文", "中文", "转载请注明", "\n", "（", "）"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(AUTHOR_PIECES, max_size=12).map("".join))
def test_screened_author_field_on_generated_bylines(text):
    from cleaners.structure.metaline import AUTHOR

    found, expected_match = AUTHOR.search(text), AUTHOR.pattern.search(text)
    assert (found and found.span()) == (expected_match and expected_match.span())


def test_releasing_the_counts_last_first_leaves_the_tree_and_the_dropped_blocks_whole():
    """The release order changes when lxml frees, never what is read: the kept tree and a dropped block
    (a detached subtree still referenced) read as before, and the counts are empty."""
    from cleaners.structure.html import _drop, html_text, release_last_first, remove_furniture, text_stats

    root = parse_html("<html><body><p>正文第一段。</p><ul class='nav'>" + "<li><a href='/'>栏目</a></li>" * 50
                      + "</ul><p>正文第二段。</p></body></html>")
    stats = text_stats(root, root.find("body"))
    menu = root.find(".//ul")
    assert remove_furniture(root, stats) == 1
    kept = html_text(root)
    extra = root.find(".//p")
    stats.forget(extra)
    _drop(extra)
    release_last_first(stats)
    assert stats.counts == {}
    assert kept == "正文第一段。\n正文第二段。"
    assert html_text(root) == "正文第二段。"
    assert menu.getparent() is None and len(menu) == 50 and "".join(menu.itertext()) == "栏目" * 50
    assert extra.text == "正文第一段。"
