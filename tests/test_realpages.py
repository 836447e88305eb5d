"""Real Chinese pages (tests/data/realpages): our body F1 at least trafilatura's, records without markup."""

import re

import pytest

from benchmarks.extraction import Overlap, dev_pages, ours, overlap, trafilatura_alone
from cleaners.pipeline import clean_bytes

PAGES = dev_pages()
MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|&(?:nbsp|lt|gt|amp|quot);")


def test_the_development_set_is_there():
    assert len(PAGES) >= 12 and all(expected["body"].strip() for _, _, expected in PAGES)


def test_body_f1_is_at_least_trafilaturas_over_the_set():
    total_ours, total_peer = Overlap(0, 0, 0), Overlap(0, 0, 0)
    for _, raw, expected in PAGES:
        total_ours = total_ours + overlap(ours(raw), expected["body"])
        total_peer = total_peer + overlap(trafilatura_alone(raw), expected["body"])
    assert total_ours.f1 >= total_peer.f1, (total_ours.f1, total_peer.f1)
    assert total_ours.recall >= 0.95


@pytest.mark.parametrize(("name", "raw", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_gives_records_without_markup_and_its_title(name, raw, expected):
    cleaned = clean_bytes(raw)
    assert cleaned.page.source_format == "html"
    assert cleaned.page.articles and all(a.text.strip() for a in cleaned.page.articles)
    meta = cleaned.page.meta
    for value in [a.text for a in cleaned.page.articles] + [meta.title or "", meta.author or "", meta.site or ""]:
        assert not MARKUP.search(value), MARKUP.search(value)[0]
    if expected.get("title"):
        assert meta.title == expected["title"]


def test_metadata_is_mostly_right_and_beats_trafilaturas():
    from benchmarks.extraction import metadata_marks, ours_metadata, trafilatura_metadata

    ours_marks = "".join(metadata_marks(ours_metadata(raw), expected) for _, raw, expected in PAGES)
    peer_marks = "".join(metadata_marks(trafilatura_metadata(raw), expected) for _, raw, expected in PAGES)
    right = ours_marks.count("+") + ours_marks.count(".")
    assert right >= peer_marks.count("+") + peer_marks.count(".")
    assert right >= 0.9 * len(ours_marks) and ours_marks.count("x") <= 2, ours_marks
