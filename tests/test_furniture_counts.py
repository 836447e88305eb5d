"""The furniture step's counts as 64-bit keys in sorted arrays, a file per batch (ingest.furniture_counts),
and the store that keeps them across batches (ingest.furniture_store, version 2; version 1 still read)."""

import json
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.structure.furniture import group_of, line_keys
from ingest.furniture_counts import LineCounts, looked_up, pair_key, pair_keys
from ingest.furniture_store import (
    BATCHES_DIR,
    COUNTS_FILE,
    FURNITURE_DIR,
    counts_file_name,
    read_store,
    stored_counts,
    version_1_counts,
)
from tests import unseen_styles
from tests.test_furniture import BANNER, page_text, signed_blog, texts

pages_of_keys = st.lists(st.sets(st.integers(min_value=0, max_value=40)), max_size=30)


def reference(pages: list[set[int]]) -> Counter:
    counted: Counter = Counter()
    for page in pages:
        counted.update(page)
    return counted


@settings(max_examples=200, deadline=None)
@given(pages_of_keys, pages_of_keys, st.lists(st.integers(min_value=0, max_value=60), max_size=40))
def test_counts_agree_with_a_counter(first, second, wanted):
    counts = LineCounts.summed([LineCounts.of_pages(first), LineCounts.of_pages(second)])
    expected = reference(first) + reference(second)
    assert counts.keys.tolist() == sorted(expected) and np.all(np.diff(counts.keys.astype(np.int64)) > 0)
    assert counts.pages_of(np.array(wanted, dtype=np.uint64)).tolist() == [expected.get(k, 0) for k in wanted]
    assert counts.at_least(2) == {k: n for k, n in expected.items() if n >= 2}
    later = looked_up(LineCounts.of_pages(second), [LineCounts.of_pages(first)])
    assert dict(zip(later.keys.tolist(), later.pages.tolist(), strict=True)) == {
        k: expected[k] for k in reference(second)}


def test_full_64_bit_keys_survive_the_arrays(tmp_path):
    keys = pair_keys("example.com", ["本站首页", "联系我们", "版权所有 © 0000"])
    assert len(set(keys)) == 3 and max(keys) < 1 << 64
    counts = LineCounts.of_pairs(keys + [keys[0]], [1, 2, 3, 4])
    path = tmp_path / "c.npy"
    counts.save(path)
    loaded = LineCounts.load(path)
    assert loaded.keys.tolist() == sorted(keys)
    assert loaded.pages_of(np.array(keys, dtype=np.uint64)).tolist() == [5, 2, 3]


def test_pair_keys_do_not_change_between_versions():
    """Stored counts are looked up by these keys: a new hash would silently forget every earlier batch."""
    assert pair_key("example.com", "本站首页") == pair_key("example.com", "本站首页")
    assert pair_key("example.com", "本站首页") != pair_key("example.org", "本站首页")
    assert pair_key("", "a") != pair_key("a", "")
    assert pair_key("example.com", "本站首页") == 0x340AC2D164B00CD4


def test_a_malformed_counts_file_is_no_evidence(tmp_path):
    folder = tmp_path / FURNITURE_DIR
    (folder / BATCHES_DIR).mkdir(parents=True)
    (folder / BATCHES_DIR / "x.npy").write_bytes(b"not numpy")
    np.save(folder / BATCHES_DIR / "y.npy", np.zeros((3, 2), dtype=np.uint64))
    for name in ("x.npy", "y.npy", "missing.npy"):
        assert len(stored_counts(folder, {"after": [], "file": name})) == 0


def rows_of(out, batch_id):
    import pyarrow.dataset as ds

    return ds.dataset(out / "documents" / f"batch_id={batch_id}").to_table().to_pylist()


def version_1_store(batch_id: str, pages: list[tuple[str, set[str]]]) -> dict:
    """The store the version-1 code wrote for one batch: each group's line keys with their pages, as text."""
    counts: dict[str, Counter] = {}
    for group, keys in pages:
        counts.setdefault(group, Counter()).update(keys)
    return {"version": 1, "batches": {batch_id: {"after": [], "counts": {g: dict(c) for g, c in counts.items()}}}}


def test_a_version_1_store_carries_over_and_is_written_back_in_version_2(tmp_path, monkeypatch):
    import ingest.furniture_store

    styles = [signed_blog(i) for i in range(3)]
    new, old = tmp_path / "new", tmp_path / "old"
    unseen_styles.clean_as_batch([s.text for s in styles[:2]], new, "night-1")
    counted: list[tuple[str, set[str]]] = []  # the pages' keys as the step counts them, to write them as version 1 did
    part_pages = ingest.furniture_store.part_pages
    monkeypatch.setattr(ingest.furniture_store, "part_pages",
                        lambda *a: counted.extend(part_pages(*a).values()) or part_pages(*a))
    unseen_styles.clean_as_batch([s.text for s in styles[:2]], old, "night-1")
    monkeypatch.undo()
    # ``old`` holds the store as the version-1 code left it: text, no files.
    store = old / FURNITURE_DIR / COUNTS_FILE
    v1 = version_1_store("night-1", counted)
    assert BANNER in json.dumps(v1, ensure_ascii=False)
    store.write_text(json.dumps(v1, ensure_ascii=False), "utf-8")
    for path in (old / FURNITURE_DIR / BATCHES_DIR).iterdir():
        path.unlink()
    assert sorted(version_1_counts(v1["batches"]["night-1"]["counts"]).keys.tolist()) == sorted(
        stored_counts(new / FURNITURE_DIR, read_store(new / FURNITURE_DIR / COUNTS_FILE)["night-1"]).keys.tolist())

    after = {out: unseen_styles.clean_as_batch([styles[2].text], out, "night-2") for out in (new, old)}
    assert texts(after[new]) == texts(after[old])
    ((record,),) = after[old]
    assert BANNER not in record["text"]  # two pages of night-1, read from the version-1 store, and this one
    data = json.loads(store.read_text("utf-8"))
    assert data["version"] == 2 and set(data["batches"]) == {"night-1", "night-2"}
    for batch in ("night-1", "night-2"):
        entry = data["batches"][batch]
        assert entry["file"] == counts_file_name(batch) and (old / FURNITURE_DIR / BATCHES_DIR / entry["file"]).is_file()
    assert data["batches"]["night-2"]["after"] == ["night-1"]
    new_store = read_store(new / FURNITURE_DIR / COUNTS_FILE)
    for batch in ("night-1", "night-2"):
        mine = stored_counts(old / FURNITURE_DIR, data["batches"][batch])
        theirs = stored_counts(new / FURNITURE_DIR, new_store[batch])
        assert mine.keys.tolist() == theirs.keys.tolist() and mine.pages.tolist() == theirs.pages.tolist()


def test_the_store_keeps_one_file_per_committed_batch_and_lines_only_as_keys(tmp_path):
    out = tmp_path / "out"
    styles = [signed_blog(i) for i in range(4)]
    unseen_styles.clean_as_batch([styles[0].text], out, "night-1")
    unseen_styles.clean_as_batch([styles[1].text], out, "night-2")
    unseen_styles.clean_as_batch([styles[2].text], out, "night-1")  # a rerun replaces its file
    folder = out / FURNITURE_DIR
    files = sorted(p.name for p in (folder / BATCHES_DIR).iterdir())
    assert files == sorted(counts_file_name(b) for b in ("night-1", "night-2"))
    assert BANNER not in (folder / COUNTS_FILE).read_text("utf-8")  # no line is kept as text
    stored = read_store(folder / COUNTS_FILE)
    rows = rows_of(out, "night-1")
    group = group_of(rows[0]["source_url"])
    keys = {k for row in rows for k in line_keys(row["text"], row["title"]) if k is not None}
    counted = stored_counts(folder, stored["night-1"])
    assert counted.pages_of(np.array(pair_keys(group, sorted(keys)), dtype=np.uint64)).tolist() == [1] * len(keys)


def test_a_lost_counts_file_drops_its_batch_and_the_run_goes_on(tmp_path, caplog):
    out = tmp_path / "out"
    styles = [signed_blog(i) for i in range(3)]
    unseen_styles.clean_as_batch([s.text for s in styles[:2]], out, "night-1")
    (out / FURNITURE_DIR / BATCHES_DIR / counts_file_name("night-1")).unlink()
    ((record,),) = unseen_styles.clean_as_batch([styles[2].text], out, "night-2")
    assert BANNER in page_text([record])  # the two earlier pages no longer count
    assert set(read_store(out / FURNITURE_DIR / COUNTS_FILE)) == {"night-2"}
    said = [r.getMessage() for r in caplog.records if r.name == "corpus.ingest"]
    assert any("cannot be read" in m for m in said) and any("dropped from the store" in m for m in said)


@pytest.mark.parametrize("entry", [{}, {"counts": "x"}, {"counts": {"g": {"k": "2"}}}, {"counts": {"g": []}}])
def test_a_damaged_version_1_entry_counts_for_nothing(entry):
    assert len(version_1_counts(entry.get("counts"))) == 0
