"""The duplicate index as segments (``ingest.dedup_segments``) marks as the in-memory ``DuplicateIndex``, its oracle."""

import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import ingest.dedup_segments
from ingest.dedup import INDEX_DIR, DedupConfig, DuplicateIndex, Record, record_keys
from ingest.dedup_segments import (
    DIGEST,
    SEGMENTS_DIR,
    KeyArray,
    Overlay,
    SegmentIndex,
    index_path,
    load_index,
    write_index,
)
from tests.test_dedup import article, edit_sentences

# One record: (kind, a, b, damaged, staged keys). Kinds: 0 a new article; 1 an exact copy of an earlier
# text (other bytes); 2 a light edit of one; 3 one cut short (truncated, so damaged); 4 an excerpt of one
# (a fragment); 5 a text too short for near and fragment tests; 6 a part its page marks as a copy; 7 one
# with a paragraph added (longer than it); 8 the paragraphs of two earlier texts, interleaved.
OP = st.tuples(st.integers(0, 8), st.integers(0, 80), st.integers(1, 8), st.booleans(), st.booleans())
# A batch: its records, or a rerun of an earlier batch under its id (an int: which one, and whether reversed).
STEP = st.one_of(st.lists(OP, max_size=12), st.integers(0, 20))

CONFIGS = [DedupConfig(), DedupConfig(threshold=0.9, containment=0.5),
           DedupConfig(threshold=0.6, containment=0.9, min_paragraph=10, min_chars=100)]


def record_of(op: tuple, rid: str, pool: list[str], batch_ids: list[str], config: DedupConfig) -> Record:
    kind, a, b, damaged, staged = op
    if kind in (1, 2, 3, 4, 7, 8) and not pool:
        kind = 0
    earlier = pool[a % len(pool)] if pool else ""
    paragraphs = earlier.split("\n")
    mark = None
    if kind == 1:
        text = earlier + "\n"
    elif kind == 2:
        text = edit_sentences(earlier, b + 1)
    elif kind == 3:
        text, damaged = "\n".join(paragraphs[:max(1, len(paragraphs) - b)]), True
    elif kind == 4:
        start = b % len(paragraphs)
        text = "\n".join(paragraphs[start:start + 3])
    elif kind == 5:
        text = f"短文{a}号"
    elif kind == 7:
        text = earlier + "\n" + article(a, 1)
    elif kind == 8:
        other = pool[(a + b) % len(pool)].split("\n")
        text = "\n".join(p for pair in zip(paragraphs, other, strict=False) for p in pair)
    else:
        text = article(a, b)
        if kind == 6:
            mark = batch_ids[a % len(batch_ids)] if batch_ids else "elsewhere"
    pool.append(text)
    batch_ids.append(rid)
    keys = record_keys(text, mark, config) if staged else None
    return Record(rid, text, complete=not damaged, page_mark=mark, keys=keys)


def commit(store: Path, index: SegmentIndex, work: Path, n: int) -> None:
    """Stage the index and rename it into place, as the batch commit does."""
    staged = work / f"staging-{n}" / INDEX_DIR
    write_index(index, staged)
    if (store / INDEX_DIR).exists():
        os.rename(store / INDEX_DIR, work / f"aside-{n}")
    os.rename(staged, store / INDEX_DIR)
    shutil.rmtree(work / f"aside-{n}", ignore_errors=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(STEP, min_size=1, max_size=6), st.sampled_from([2, 5, 1 << 13]), st.sampled_from(CONFIGS))
def test_the_segments_mark_every_batch_as_the_in_memory_index(steps, chunk, config):
    pool: list[str] = []
    batches: dict[str, list[Record]] = {}
    order: list[str] = []  # the batches the index covers, in the order they were marked
    old = DuplicateIndex(config)
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(ingest.dedup_segments, "CHUNK", chunk):
        work = Path(folder)
        store = work / "out"
        store.mkdir()
        for n, step in enumerate(steps):
            if isinstance(step, int):  # a rerun under the same id: the index no longer covers the committed batches
                if not order:
                    continue
                bid = order[step % len(order)]
                records = batches[bid][::-1] if step % 2 else batches[bid]
            else:
                bid = f"b{n}"
                ids: list[str] = []
                records = [record_of(op, f"{bid}-{i}", pool, ids, config) for i, op in enumerate(step)]
            rerun = bid in order
            others = [b for b in order if b != bid]
            new = load_index(store, set(others), config)
            assert (new is None) == rerun
            if new is None:
                new = SegmentIndex(config)
                for b in others:
                    new.mark_batch(b, batches[b])
            if rerun:
                old = DuplicateIndex(config)
                for b in others:
                    old.mark_batch(b, batches[b])
            expected = old.mark_batch(bid, records)
            assert new.mark_batch(bid, records) == expected
            batches[bid] = records
            order = [*others, bid]
            commit(store, new, work, n)
            assert new.batches == old.batches == set(order)
        stored = load_index(store, set(order), config)
        assert stored is not None and len(stored) == len(old.ids)
        assert all(s.path is not None for s in stored.segments)


def test_digests_ending_in_zero_bytes_are_found_and_kept_whole(tmp_path):
    digests = [b"\x00" * 16, b"a" + b"\x00" * 15, b"a" + b"\x00" * 14 + b"\x01", b"\xff" * 15 + b"\x00"]
    table = KeyArray.of({d: i for i, d in enumerate(digests)}, DIGEST)
    found = np.full(5, -1, dtype=np.int64)
    wanted = np.array(sorted([*digests, b"a"]), dtype=DIGEST)
    table.find(wanted, found)
    assert dict(zip(sorted([*digests, b"a" + b"\x00" * 15]), found.tolist(), strict=True)) == \
        {d: i for i, d in enumerate(digests)}
    overlay = Overlay({3: 7}, {d: i + 10 for i, d in enumerate(digests)})
    overlay.save(tmp_path / "overlay")
    assert Overlay.load(tmp_path / "overlay") == overlay


def test_a_new_batch_writes_its_own_segment_and_links_the_earlier_ones(tmp_path):
    out = tmp_path / "out"
    index = SegmentIndex()
    index.mark_batch("one", [Record("a", article(0, 10), True), Record("b", article(20, 5), False)])
    write_index(index, out / INDEX_DIR)
    loaded = load_index(out, {"one"})
    assert loaded is not None and loaded.segments[0].path is not None
    marks = loaded.mark_batch("two", [Record("c", article(20, 5), True), Record("d", article(0, 10) + "\n", True)])
    assert marks == {"c": None, "d": "a"}  # c, complete, takes over the damaged b of an earlier batch
    write_index(loaded, tmp_path / "staged")
    first, second = sorted((tmp_path / "staged" / SEGMENTS_DIR).iterdir())
    assert first.stat().st_ino == loaded.segments[0].path.stat().st_ino  # linked, not rewritten
    assert second.stat().st_nlink == 1
    shutil.rmtree(out / INDEX_DIR)
    os.rename(tmp_path / "staged", out / INDEX_DIR)
    again = load_index(out, {"one", "two"})
    assert again is not None and again.overlay.better == {1: 2}
    assert again.mark_batch("three", [Record("e", article(20, 5), True)]) == {"e": "c"}
    assert load_index(out, {"one"}) is None and index_path(out).exists()


def test_a_segment_cut_short_is_not_used(tmp_path):
    out = tmp_path / "out"
    index = SegmentIndex()
    index.mark_batch("one", [Record("a", article(0, 10), True)])
    write_index(index, out / INDEX_DIR)
    (segment,) = (out / INDEX_DIR / SEGMENTS_DIR).iterdir()
    segment.write_bytes(segment.read_bytes()[:-8])
    assert load_index(out, {"one"}) is None
