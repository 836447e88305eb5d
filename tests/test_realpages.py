"""Real Chinese pages (tests/data/realpages): our body F1 at least trafilatura's, records without markup.

The set holds news pages (GeneralNewsExtractor's tests) and pages of other kinds (magic-html's
benchmark: blogs, forum threads, Q&A, encyclopedias, government pages, a novel chapter, a list
page); see its LICENSE-NOTES.md. Figures are checked over the whole set and over each source.
"""

import re

import pytest

from benchmarks.extraction import Overlap, dev_pages, ours, overlap, trafilatura_alone
from cleaners.pipeline import clean_bytes

PAGES = dev_pages()
MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|&(?:nbsp|lt|gt|amp|quot);")
SOURCES = sorted({expected["source"] for _, _, expected in PAGES})


@pytest.fixture(scope="module")
def scored():
    """Per page: (source, ours, trafilatura's) overlaps with the expected body."""
    return [(expected["source"], overlap(ours(raw), expected["body"]),
             overlap(trafilatura_alone(raw), expected["body"])) for _, raw, expected in PAGES]


def test_the_development_set_is_there():
    assert len(PAGES) >= 40 and all(expected["body"].strip() for _, _, expected in PAGES)
    assert len(SOURCES) >= 2 and all(sum(e["source"] == s for _, _, e in PAGES) >= 20 for s in SOURCES)


def total(overlaps) -> Overlap:
    summed = Overlap(0, 0, 0)
    for o in overlaps:
        summed = summed + o
    return summed


@pytest.mark.parametrize("source", [None, *SOURCES])
def test_body_f1_is_at_least_trafilaturas(scored, source):
    picked = [(o, peer) for s, o, peer in scored if source in (None, s)]
    ours_total, peer_total = total(o for o, _ in picked), total(peer for _, peer in picked)
    assert ours_total.f1 >= peer_total.f1, (source, ours_total.f1, peer_total.f1)
    assert ours_total.recall >= 0.95
    # Per page too, on average: a few long pages do not carry the figure alone.
    assert sum(o.f1 for o, _ in picked) >= sum(peer.f1 for _, peer in picked), source


def test_no_generic_rule_removes_most_of_a_body(scored):
    recalls = [o.recall for _, o, _ in scored]
    assert min(recalls) >= 0.8, recalls


@pytest.mark.parametrize(("name", "raw", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_gives_records_without_markup(name, raw, expected):
    cleaned = clean_bytes(raw)
    assert cleaned.page.source_format == "html"
    assert cleaned.page.articles and all(a.text.strip() for a in cleaned.page.articles)
    meta = cleaned.page.meta
    values = [a.text for a in cleaned.page.articles] + [a.title or "" for a in cleaned.page.articles]
    for value in values + [meta.title or "", meta.author or "", meta.site or ""]:
        assert not MARKUP.search(value), MARKUP.search(value)[0]


def test_titles_are_mostly_the_pages_own():
    titled = [(clean_bytes(raw).page.meta.title, expected["title"]) for _, raw, expected in PAGES if expected["title"]]
    right = sum(got == want for got, want in titled)
    assert right >= 0.9 * len(titled), [pair for pair in titled if pair[0] != pair[1]]


def test_metadata_is_mostly_right_and_beats_trafilaturas():
    from benchmarks.extraction import metadata_marks, ours_metadata, trafilatura_metadata

    ours_marks = "".join(metadata_marks(ours_metadata(raw), expected) for _, raw, expected in PAGES)
    peer_marks = "".join(metadata_marks(trafilatura_metadata(raw), expected) for _, raw, expected in PAGES)
    right = ours_marks.count("+") + ours_marks.count(".")
    # 123 right, 8 wrong, 4 missing of 135 (trafilatura: 75 right) since bylines at the foot, several reporters
    # and NAME 于 DATE 发布 are read (issue 11 item 6)
    assert right >= peer_marks.count("+") + peer_marks.count(".") + 45
    assert right >= 0.9 * len(ours_marks) and ours_marks.count("x") <= 0.06 * len(ours_marks), ours_marks


@pytest.mark.parametrize(("name", "raw", "expected"), PAGES[::5], ids=[p[0] for p in PAGES[::5]])
def test_one_pass_counts_equal_counting_each_subtree(name, raw, expected):
    """The furniture rules' counts (one pass from the leaves up) are what counting each element's subtree gives."""
    from lxml import etree

    from cleaners.decode.encoding import decode_bytes
    from cleaners.structure.html import PROSE_PARAGRAPH_CHARS, parse_html, text_stats

    def squashed(node) -> int:
        return len("".join("".join(node.itertext()).split()))

    root = parse_html(decode_bytes(raw).text)
    etree.strip_elements(root, "script", "style", with_tail=False)
    stats = text_stats(root)
    for tag in list(root.iter(etree.Element))[::7]:
        links = list(tag.iter("a"))
        assert stats.chars(tag) == squashed(tag)
        assert stats.links(tag) == len(links)
        assert stats.linked(tag) == sum(squashed(a) for a in links)
        assert stats.longest_link(tag) == max((squashed(a) for a in links), default=0)
        assert stats.holds_prose_paragraph(tag) == any(
            squashed(p) - sum(squashed(a) for a in p.iter("a")) >= PROSE_PARAGRAPH_CHARS for p in tag.iter("p"))
        assert all(stats.within(child, tag) for child in tag.iter(etree.Element))
