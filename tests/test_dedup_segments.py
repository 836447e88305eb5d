"""The duplicate index as segments (``ingest.dedup_segments``) marks as the in-memory ``DuplicateIndex``, its oracle."""

import dataclasses
import json
import math
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
    Segment,
    SegmentIndex,
    _union,
    index_path,
    load_index,
    merge_groups,
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
# Merges: (ratio, limit, step): every merge the rule allows, small merged segments only, none; the key tables'
# union taken 1, 3 or 65 536 keys of each at a time.
MERGES = st.tuples(st.sampled_from([1, 2, 4]), st.sampled_from([1 << 21, 20, 0]), st.sampled_from([1, 3, 1 << 16]))

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
@given(st.lists(STEP, min_size=1, max_size=16), st.sampled_from([2, 5, 1 << 13]), st.sampled_from(CONFIGS), MERGES)
def test_the_segments_mark_every_batch_as_the_in_memory_index(steps, chunk, config, merges):
    pool: list[str] = []
    batches: dict[str, list[Record]] = {}
    order: list[str] = []  # the batches the index covers, in the order they were marked
    old = DuplicateIndex(config)
    ratio, limit, step = merges
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(ingest.dedup_segments, "CHUNK", chunk), \
            mock.patch.multiple(ingest.dedup_segments, MERGE_RATIO=ratio, MERGE_LIMIT=limit, MERGE_STEP=step):
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
        assert [b for s in stored.segments for b in s.batches] == order
        if ratio >= 2 and limit == 1 << 21:  # each segment more than twice the next (in records + 1 a batch)
            assert len(stored.segments) <= math.log2(len(stored) + len(order) + 1) + 1


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


def test_a_new_batch_writes_its_own_segment_and_links_the_earlier_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest.dedup_segments, "MERGE_LIMIT", 0)  # no merge
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


def tiny_batches(count: int) -> list[list[Record]]:
    """Batches of 0 to 4 records: new articles, exact copies, damaged and complete copies across batches."""
    made: list[str] = []
    batches = []
    for n in range(count):
        records = []
        for i in range(n * 7 % 5):
            number = len(made)
            text = made[number * 5 % len(made)] + "\n" if number % 3 == 2 else article(number, 3 + number % 4)
            made.append(text)
            records.append(Record(f"b{n}-{i}", text, complete=number % 7 != 3))
        batches.append(records)
    return batches


def table_of(segments: list[Segment], table: str) -> dict[bytes | int, int]:
    found: dict[bytes | int, int] = {}
    for segment in segments:
        keys = getattr(segment, table).keys
        listed = ingest.dedup_segments.digests(keys) if table == "exact" else keys.tolist()
        held = dict(zip(listed, getattr(segment, table).positions.tolist(), strict=True))
        assert not held.keys() & found.keys()  # a key in one segment only
        found.update(held)
    return found


def test_a_merged_segment_holds_the_records_and_keys_of_those_it_replaced(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest.dedup_segments, "MERGE_LIMIT", 0)  # first a segment per batch
    index = SegmentIndex()
    for n, records in enumerate(tiny_batches(12)):
        index.mark_batch(f"b{n}", records)
    write_index(index, tmp_path / "apart")
    os.rename(tmp_path / "apart", tmp_path / INDEX_DIR)
    apart = load_index(tmp_path, {f"b{n}" for n in range(12)})
    assert apart is not None and len(apart.segments) == 12
    monkeypatch.setattr(ingest.dedup_segments, "MERGE_LIMIT", 1 << 21)
    monkeypatch.setattr(ingest.dedup_segments, "MERGE_STEP", 2)  # the union taken two keys of each at a time
    write_index(apart, tmp_path / "merged")
    os.rename(tmp_path / INDEX_DIR, tmp_path / "apart")
    os.rename(tmp_path / "merged", tmp_path / INDEX_DIR)
    merged = load_index(tmp_path, {f"b{n}" for n in range(12)})
    assert merged is not None and len(merged.segments) < 12
    assert [b for s in merged.segments for b in s.batches] == [f"b{n}" for n in range(12)]
    assert [len(g) for g in merge_groups(apart.segments)] == [len(s.batches) for s in merged.segments]
    ids = [s.record_id(p) for s in apart.segments for p in range(s.offset, s.offset + len(s))]
    assert [s.record_id(p) for s in merged.segments for p in range(s.offset, s.offset + len(s))] == ids
    for name in ("lengths", "complete"):
        assert np.concatenate([getattr(s, name) for s in merged.segments]).tolist() == \
            np.concatenate([getattr(s, name) for s in apart.segments]).tolist()
    for table in ("exact", "bands", "paragraphs"):
        assert table_of(merged.segments, table) == table_of(apart.segments, table)
        for s in merged.segments:
            keys = getattr(s, table).keys
            assert all(keys[1:] > keys[:-1])  # sorted, unique: found by binary search
    assert merged.overlay == apart.overlay
    more = tiny_batches(14)[12:]
    assert [merged.mark_batch(f"b{n}", r) for n, r in zip((12, 13), more, strict=True)] == \
        [apart.mark_batch(f"b{n}", r) for n, r in zip((12, 13), more, strict=True)]


def test_the_union_of_key_tables_is_sorted_whatever_the_pieces(tmp_path):
    rng = np.random.default_rng(5)
    keys = rng.permutation(np.arange(1, 400, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    tables = [KeyArray.of({int(k): i * 1000 + j for j, k in enumerate(part)}, np.uint64)
              for i, part in enumerate(np.array_split(keys, [0, 5, 200, 201]))]
    expected = KeyArray.of({int(k): int(p) for t in tables for k, p in zip(t.keys, t.positions, strict=True)},
                           np.uint64)
    for step in (1, 2, 7, 1 << 16):
        pieces = list(_union(tables, step))
        assert all(len(k) <= step * len(tables) for k, _ in pieces)
        assert np.concatenate([k for k, _ in pieces]).tolist() == expected.keys.tolist()
        assert np.concatenate([p for _, p in pieces]).tolist() == expected.positions.tolist()
    clash = [tables[1], KeyArray(tables[1].keys[:1], tables[1].positions[:1])]
    try:
        list(_union(clash, 2))
    except ValueError:
        pass
    else:
        raise AssertionError("a key held by two segments was merged")


def test_the_number_of_segments_stays_logarithmic_in_the_batches(tmp_path):
    out = tmp_path / "out"
    counts = []
    rewritten = 0
    for n, records in enumerate(tiny_batches(200)):
        index = load_index(out, {f"b{i}" for i in range(n)})
        assert index is not None
        before = {s.path.name for s in index.segments if s.path is not None}
        index.mark_batch(f"b{n}", records)
        staged = tmp_path / "staged"
        write_index(index, staged / INDEX_DIR)
        written = [p for p in (staged / INDEX_DIR / SEGMENTS_DIR).iterdir() if p.stat().st_nlink == 1]
        rewritten += sum(1 for p in written if p.name not in before)
        shutil.rmtree(out, ignore_errors=True)
        os.rename(staged, out)
        counts.append(len(list((out / INDEX_DIR / SEGMENTS_DIR).iterdir())))
        assert counts[-1] <= 2 * math.log2(n + 2) + 2
    assert max(counts) < 20 and counts[-1] < 12  # one a batch without merges: 200
    assert rewritten < 200 * 2  # each batch writes its segment once, or one merged file


def test_a_sequence_of_shrinking_batches_is_merged_too():
    def segment(records: int, batch: str) -> Segment:
        empty = KeyArray(np.empty(0, np.uint64), np.empty(0, np.int64))
        return Segment((batch,), 0, np.zeros(records, np.int64), np.empty(0, np.uint8), np.zeros(records, np.int64),
                       np.zeros(records, bool), KeyArray(np.empty(0, DIGEST), np.empty(0, np.int64)), empty, empty)
    sizes = list(range(1000, 0, -5))  # each batch smaller than the one before
    groups = merge_groups([segment(size, f"b{n}") for n, size in enumerate(sizes)])
    assert len(groups) <= math.log2(sum(sizes) + len(sizes)) + 1
    weights = [sum(len(s) + 1 for s in g) for g in groups]
    assert all(a > 2 * b for a, b in zip(weights, weights[1:], strict=False))
    capped = merge_groups([segment(size, f"b{n}") for n, size in enumerate(sizes)], limit=3000)
    assert all(sum(len(s) + 1 for s in g) <= 3000 for g in capped if len(g) > 1)
    assert len(capped) <= sum(sizes) / 1000 + math.log2(3000) + 2


def test_a_store_of_format_4_is_read_and_merged_at_the_next_write(tmp_path):
    """Format 4 (main before the merge) named one batch a segment: ``batch`` in the manifest and the files."""
    index = SegmentIndex()
    batches = tiny_batches(6)
    for n, records in enumerate(batches[:5]):
        index.mark_batch(f"b{n}", records)
    folder = tmp_path / INDEX_DIR
    (folder / SEGMENTS_DIR).mkdir(parents=True)
    entries = []
    for number, segment in enumerate(index.segments):
        (batch,) = segment.batches
        name = f"{number:06d}-{batch}.seg"
        ingest.dedup_segments.save_arrays(folder / SEGMENTS_DIR / name, {"batch": batch, "offset": segment.offset},
                                          segment.arrays())
        entries.append({"batch": batch, "file": name, "records": len(segment)})
    index.overlay.save(folder / "overlay.seg")
    (folder / "index.json").write_text(json.dumps({"format": 4, "config": dataclasses.asdict(index.config),
                                                   "segments": entries}))
    old = load_index(tmp_path, {f"b{n}" for n in range(5)})
    assert old is not None and [s.batches for s in old.segments] == [(f"b{n}",) for n in range(5)]
    assert load_index(tmp_path, {f"b{n}" for n in range(4)}) is None
    assert old.mark_batch("b5", batches[5]) == index.mark_batch("b5", batches[5])
    write_index(old, tmp_path / "staged")
    manifest = json.loads((tmp_path / "staged" / "index.json").read_text())
    assert manifest["format"] == 5 and len(manifest["segments"]) < 6
    assert [b for e in manifest["segments"] for b in e["batches"]] == [f"b{n}" for n in range(6)]


def test_a_batch_is_looked_up_with_its_records_texts_let_go_of():
    """What waits for its lookup, a chunk at a time, is each record's keys, not its text (tens of MB a batch)."""
    index = SegmentIndex()
    records = [Record(f"r{i}", article(i * 3, 4), complete=True) for i in range(5)]
    with mock.patch.object(ingest.dedup_segments, "CHUNK", 2):
        chunks = list(index._chunks(iter(records)))
    assert [len(chunk) for chunk in chunks] == [2, 2, 1]
    waiting = [pair for chunk in chunks for pair in chunk]
    assert [record.record_id for record, _ in waiting] == [r.record_id for r in records]
    assert all(record.text == "" for record, _ in waiting)
    assert [keys for _, keys in waiting] == [record_keys(r.text, None, index.config) for r in records]
    assert index.mark_batch("b", records) == DuplicateIndex().mark_batch("b", records)
