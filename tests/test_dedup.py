"""Duplicates across records, files and batches: exact, near and fragments, with the persisted index."""

from datetime import UTC, datetime, timedelta

import pyarrow.dataset as ds
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.dedup import (
    Buckets,
    DedupConfig,
    DuplicateIndex,
    Record,
    band_keys,
    banding,
    normalise,
    signature,
)
from ingest.dedup_segments import index_path, load_index
from ingest.ledger import committed_batches
from ingest.records import BatchContext
from tests.conftest import ROOT, SAMPLES
from tests.test_batch import run_batch_without_prefect

PROSE = ROOT / "tests" / "data" / "prose" / "debian-faq-zh-cn.txt"


def article(start: int, paragraphs: int) -> str:
    """Real clean prose: ``paragraphs`` consecutive long paragraphs of the Debian FAQ."""
    long = [p.strip() for p in PROSE.read_text(encoding="utf-8").split("\n") if len(normalise(p)) >= 40]
    return "\n".join(long[start:start + paragraphs])


def batch(batch_id: str, day: int) -> BatchContext:
    return BatchContext(batch_id=batch_id, ingested_at=datetime(2026, 11, 21, tzinfo=UTC) + timedelta(days=day))


def documents(out) -> list[dict]:
    return ds.dataset(out / "documents", partitioning="hive").to_table().to_pylist()


def edit_sentences(text: str, every: int) -> str:
    """Change one sentence in ``every``: a light edit, as a site that rewords a copy does."""
    sentences = text.split("。")
    return "。".join(s + "（编者注）" if i % every == 0 else s for i, s in enumerate(sentences))


def test_the_samples_keep_their_page_marks_and_nothing_else_is_marked(tmp_path):
    run_batch_without_prefect(SAMPLES, tmp_path / "out", batch("samples", 0))
    rows = documents(tmp_path / "out")
    where = {d["record_id"]: (d["source_path"][:3], d["part_index"]) for d in rows}
    marked = {(d["source_path"][:3], d["part_index"]): where[d["duplicate_of"]] for d in rows if d["duplicate_of"]}
    assert marked == {("002", 4): ("002", 6), ("002", 2): ("002", 7)}  # S5 copies S7, S3 is part of S8


def test_the_sample_batch_again_under_other_names_is_all_duplicates_of_its_first_ingestion(tmp_path):
    out = tmp_path / "out"
    run_batch_without_prefect(SAMPLES, out, batch("first", 0))
    again = tmp_path / "again"
    again.mkdir()
    for path in sorted(SAMPLES.iterdir()):  # other names, other bytes (a trailing line), the same texts
        (again / f"copy-of-{path.stem}.txt").write_bytes(path.read_bytes() + b"\n\n")
    run_batch_without_prefect(again, out, batch("again", 1))
    rows = documents(out)
    first = {(d["source_path"], d["part_index"]): d["record_id"] for d in rows if d["batch_id"] == "first"}
    second = [d for d in rows if d["batch_id"] == "again"]
    assert len(second) == len(first) > 5
    for d in second:
        original = d["source_path"].removeprefix("copy-of-").removesuffix(".txt")
        (source,) = [p for p, part in first if p.startswith(original) and part == d["part_index"]]
        assert d["duplicate_of"] == first[(source, d["part_index"])]
    assert load_index(out, committed_batches(out)) is not None  # the index covers both batches


def test_a_lightly_edited_copy_in_a_later_batch_is_a_near_duplicate(tmp_path):
    out = tmp_path / "out"
    (tmp_path / "monday").mkdir()
    (tmp_path / "tuesday").mkdir()
    original = article(0, 12)
    (tmp_path / "monday" / "faq.txt").write_text(original, encoding="utf-8")
    (tmp_path / "monday" / "other.txt").write_text(article(40, 10), encoding="utf-8")
    edited = edit_sentences(original, 6)
    assert edited != original
    (tmp_path / "tuesday" / "reposted.txt").write_text(edited, encoding="utf-8")
    run_batch_without_prefect(tmp_path / "monday", out, batch("monday", 0))
    run_batch_without_prefect(tmp_path / "tuesday", out, batch("tuesday", 1))
    rows = {d["source_path"]: d for d in documents(out)}
    assert rows["faq.txt"]["duplicate_of"] is None and rows["other.txt"]["duplicate_of"] is None
    assert rows["reposted.txt"]["duplicate_of"] == rows["faq.txt"]["record_id"]


def test_a_fragment_of_a_longer_article_is_contained_in_it():
    index = DuplicateIndex()
    full = article(0, 20)
    marks = index.mark_batch("a", [Record("full", full, True), Record("unrelated", article(60, 8), True)])
    assert marks == {"full": None, "unrelated": None}
    fragment = article(5, 6)
    assert index.mark_batch("b", [Record("fragment", fragment, True)]) == {"fragment": "full"}


def test_the_complete_later_version_is_kept_and_the_earlier_damaged_one_of_its_batch_marked():
    index = DuplicateIndex()
    text = article(0, 10)
    marks = index.mark_batch("a", [Record("cut", text, complete=False), Record("whole", text, complete=True)])
    assert marks == {"cut": "whole", "whole": None}
    # a later batch's copy points to the complete one
    assert index.mark_batch("b", [Record("again", text, complete=True)]) == {"again": "whole"}


def test_a_complete_version_after_a_committed_damaged_one_is_kept_unmarked():
    index = DuplicateIndex()
    text = article(0, 10)
    index.mark_batch("a", [Record("cut", text, complete=False)])
    assert index.mark_batch("b", [Record("whole", text, complete=True)]) == {"whole": None}
    assert index.mark_batch("c", [Record("third", edit_sentences(text, 8), complete=True)]) == {"third": "whole"}


@pytest.mark.parametrize("threshold,marked", [(0.5, True), (0.95, False)])
def test_the_near_threshold_is_configurable(threshold, marked):
    index = DuplicateIndex(DedupConfig(threshold=threshold, containment=1.01))
    text = article(0, 12)
    index.mark_batch("a", [Record("x", text, True)])
    got = index.mark_batch("b", [Record("y", edit_sentences(text, 3), True)])
    assert (got["y"] == "x") is marked


def test_an_index_that_does_not_cover_the_committed_batches_is_rebuilt_from_the_documents(tmp_path):
    out = tmp_path / "out"
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "a.txt").write_text(article(0, 10), encoding="utf-8")
    (tmp_path / "two" / "b.txt").write_text(article(0, 10) + "\n", encoding="utf-8")
    run_batch_without_prefect(tmp_path / "one", out, batch("one", 0))
    index_path(out).unlink()  # lost, as after a crash: the documents are the truth
    run_batch_without_prefect(tmp_path / "two", out, batch("two", 1))
    rows = {d["source_path"]: d for d in documents(out)}
    assert rows["b.txt"]["duplicate_of"] == rows["a.txt"]["record_id"]
    # rerunning a batch under its id compares it with the others only, not with its own earlier rows
    run_batch_without_prefect(tmp_path / "two", out, batch("two", 1), replace=True)
    assert {d["source_path"]: d["duplicate_of"] for d in documents(out)} == {
        "a.txt": None, "b.txt": rows["a.txt"]["record_id"]}


def test_an_index_ahead_of_the_manifests_or_unreadable_is_not_used(tmp_path):
    import shutil

    out = tmp_path / "out"
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "a.txt").write_text(article(0, 10), encoding="utf-8")
    run_batch_without_prefect(tmp_path / "one", out, batch("one", 0))
    assert load_index(out, {"one"}) is not None
    # a crash after the index was renamed into place but before the manifest: the batch is not committed
    shutil.rmtree(out / "manifest" / "batch_id=one")
    assert load_index(out, committed_batches(out)) is None
    index_path(out).write_bytes(b"not a pickle")
    assert load_index(out, {"one"}) is None


def edited_corpus(draw_edits: list[tuple[int, int, int]]) -> list[str]:
    """Records of real prose, each a run of FAQ paragraphs, some of them a light edit of an earlier record."""
    texts: list[str] = []
    for start, paragraphs, every in draw_edits:
        if every and texts:
            texts.append(edit_sentences(texts[start % len(texts)], every))
        else:
            texts.append(article(start, paragraphs))
    return texts


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 80), st.integers(1, 6), st.sampled_from([0, 0, 2, 3, 5, 9])),
                min_size=2, max_size=25))
def test_buckets_find_the_earliest_record_datasketch_lsh_finds(edits):
    """The oracle: datasketch's MinHash and MinHashLSH over the same shingles; Buckets keeps only the earliest key."""
    from datasketch import MinHash, MinHashLSH

    config = DedupConfig()
    lsh = MinHashLSH(threshold=config.threshold, num_perm=config.num_perm)
    assert banding(config) == (lsh.b, lsh.r)
    buckets = Buckets(*banding(config))
    for position, text in enumerate(edited_corpus(edits)):
        norm = normalise(text)
        minhash = MinHash(num_perm=config.num_perm)
        minhash.update_batch([norm[i:i + config.shingle].encode() for i in range(max(1, len(norm) - config.shingle + 1))])
        values = signature(norm, config)
        assert values.dtype == minhash.hashvalues.dtype and (values == minhash.hashvalues).all()
        found = [int(key) for key in lsh.query(minhash)]
        assert buckets.first(band_keys(values, *banding(config))) == (min(found) if found else None)
        lsh.insert(str(position), minhash)
        buckets.insert(position, band_keys(values, *banding(config)))


def test_an_index_pickled_in_the_earlier_format_is_rebuilt(tmp_path):
    import json
    import pickle
    import shutil

    out = tmp_path / "out"
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "a.txt").write_text(article(0, 10), encoding="utf-8")
    (tmp_path / "two" / "b.txt").write_text(article(0, 10) + "\n", encoding="utf-8")
    run_batch_without_prefect(tmp_path / "one", out, batch("one", 0))
    assert load_index(out, {"one"}) is not None
    manifest = json.loads(index_path(out).read_text("utf-8"))
    manifest["format"] = 3
    index_path(out).write_text(json.dumps(manifest), "utf-8")
    assert load_index(out, {"one"}) is None
    # the store as format 3 left it: one pickled DuplicateIndex, no manifest
    shutil.rmtree(index_path(out).parent)
    index_path(out).parent.mkdir()
    old = DuplicateIndex()
    old.mark_batch("one", [Record("stale", "过时的内容" * 20, True)])
    (index_path(out).parent / "index.pkl").write_bytes(pickle.dumps(old))
    assert load_index(out, {"one"}) is None
    run_batch_without_prefect(tmp_path / "two", out, batch("two", 1))  # rebuilt from the documents
    rows = {d["source_path"]: d for d in documents(out)}
    assert rows["b.txt"]["duplicate_of"] == rows["a.txt"]["record_id"]
    assert load_index(out, {"one", "two"}) is not None
    assert not (index_path(out).parent / "index.pkl").exists()


def test_an_empty_batch_imports_no_datasketch_and_a_later_batch_still_finds_near_duplicates(tmp_path):
    """An empty batch (no record, so no signature) stores an index without bands; the next batch stores them."""
    import subprocess
    import sys

    out = tmp_path / "out"
    for name in ("empty", "monday", "tuesday"):
        (tmp_path / name).mkdir()
    original = article(0, 12)
    (tmp_path / "monday" / "faq.txt").write_text(original, encoding="utf-8")
    (tmp_path / "tuesday" / "reposted.txt").write_text(edit_sentences(original, 6), encoding="utf-8")
    script = ("import sys; from datetime import UTC, datetime; from ingest.records import BatchContext; "
              "from tests.test_batch import run_batch_without_prefect; "
              f"run_batch_without_prefect({str(tmp_path / 'empty')!r}, {str(out)!r}, "
              "BatchContext(batch_id='empty', ingested_at=datetime(2026, 11, 21, tzinfo=UTC))); "
              "print(sorted(m for m in ('datasketch', 'scipy') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"
    stored = load_index(out, {"empty"})
    assert stored is not None and [len(s.bands.keys) for s in stored.segments] == [0]
    run_batch_without_prefect(tmp_path / "monday", out, batch("monday", 1))
    run_batch_without_prefect(tmp_path / "tuesday", out, batch("tuesday", 2))
    rows = {d["source_path"]: d for d in documents(out)}
    assert rows["reposted.txt"]["duplicate_of"] == rows["faq.txt"]["record_id"]
