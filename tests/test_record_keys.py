"""The duplicate keys the chunk workers stage (``ingest.record_keys``) give the marks the flow would make alone."""

import pickle
from pathlib import Path

import pyarrow.dataset as ds

import ingest.dedup
import ingest.furniture_store
from cleaners.structure import furniture
from cleaners.structure.furniture import furniture_config, line_keys
from ingest import chunk
from ingest.dedup import DedupConfig, DuplicateIndex, Record, record_keys
from ingest.record_keys import KeysWriter, keys_path, staged_keys
from tests.test_batch import run_batch_without_prefect
from tests.test_dedup import article, batch, edit_sentences
from tests.test_furniture import BANNER, signed_blog

FIELDS = ("record_id", "source_path", "part_index", "text", "duplicate_of", "char_count", "title", "gaps", "repairs",
          "quality")


def write_raw(root: Path) -> None:
    """Blog pages whose furniture only the batch shows (their text changes after the chunks), an exact copy,
    a lightly edited copy of an article (near) and an excerpt of it (fragment)."""
    root.mkdir(parents=True)
    pages = {f"blog-{i}.txt": signed_blog(i).text for i in range(4)}
    pages["blog-9-copy.txt"] = pages["blog-0.txt"] + "\n\n"  # other bytes, the same text
    pages["faq-a.txt"] = article(0, 12)
    pages["faq-b-reworded.txt"] = edit_sentences(article(0, 12), 6)
    pages["faq-c-excerpt.txt"] = article(3, 6)
    for name, text in pages.items():
        (root / name).write_text(text, encoding="utf-8")


def rows(out: Path) -> list[tuple]:
    table = ds.dataset(out / "documents", partitioning="hive").to_table().to_pylist()
    return sorted(tuple(r[f] for f in FIELDS) for r in table)


def test_marks_with_staged_keys_are_the_marks_without_them(tmp_path, monkeypatch):
    write_raw(tmp_path / "raw")
    made_by_flow: list[str] = []
    make = ingest.dedup.record_keys

    def counted(text, page_mark, config):
        made_by_flow.append(text)
        return make(text, page_mark, config)

    monkeypatch.setattr(ingest.dedup, "record_keys", counted)  # the flow's own keys (the workers import theirs)
    lines_keyed_in_flow: list[str] = []
    monkeypatch.setattr(ingest.furniture_store, "page_keys", lambda texts, max_chars: lines_keyed_in_flow.append(1)
                        or furniture.page_keys(texts, max_chars))
    run_batch_without_prefect(tmp_path / "raw", tmp_path / "staged", batch("b", 0))
    with_keys, keyed_in_flow = rows(tmp_path / "staged"), list(made_by_flow)
    assert lines_keyed_in_flow == []  # the furniture step counted with the staged line keys

    made_by_flow.clear()
    monkeypatch.setattr(chunk.KeysWriter, "add", lambda self, rows: None)  # no keys staged
    run_batch_without_prefect(tmp_path / "raw", tmp_path / "alone", batch("b", 0))
    alone = rows(tmp_path / "alone")
    assert lines_keyed_in_flow  # and without them from the texts

    assert with_keys == alone
    # The batch's furniture went, with keys as without (blog-0 and its copy keep theirs: the banner stands
    # beside prose that recurs, a copied text's).
    assert all(BANNER not in r[3] for r in with_keys if r[1] in ("blog-1.txt", "blog-2.txt", "blog-3.txt"))
    marked = {r[1]: r[4] for r in with_keys if r[4] is not None}
    by_id = {r[0]: r[1] for r in with_keys}
    assert {path: by_id[mark] for path, mark in marked.items()} == {
        "blog-9-copy.txt": "blog-0.txt", "faq-b-reworded.txt": "faq-a.txt", "faq-c-excerpt.txt": "faq-a.txt"}
    assert len(made_by_flow) == len(alone)  # without staged keys, the flow keys every record
    # With them, only the records whose text the furniture step changed after their chunk.
    assert 0 < len(keyed_in_flow) < len(alone)
    assert {by_id[r[0]] for r in with_keys if r[3] in keyed_in_flow} <= {f"blog-{i}.txt" for i in range(4)} \
        | {"blog-9-copy.txt"}


def keyed_rows(texts: list[str]) -> list[dict]:
    return [{"record_id": f"r{i}", "text": text, "duplicate_of": None, "title": None, "language": "zh"}
            for i, text in enumerate(texts)]


def test_a_part_keys_stream_reads_back_in_order_and_a_cut_one_as_far_as_it_goes(tmp_path):
    texts = [article(i, 3) for i in range(0, 30, 3)]
    with KeysWriter(tmp_path, "part-00000") as writer:
        for start in range(0, len(texts), 4):
            writer.add(keyed_rows(texts)[start:start + 4])
    read = list(staged_keys(tmp_path, "part-00000"))
    assert [rid for rid, _ in read] == [f"r{i}" for i in range(len(texts))]
    config = DedupConfig()
    assert all(keys.duplicates.fit(Record(rid, text, True), config)
               for (rid, keys), text in zip(read, texts, strict=True))
    assert [list(keys.lines or ()) for _, keys in read] == [line_keys(text, None, furniture_config().max_chars)
                                                           for text in texts]
    path = keys_path(tmp_path, "part-00000")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    cut = list(staged_keys(tmp_path, "part-00000"))
    assert 0 < len(cut) < len(texts) and [rid for rid, _ in cut] == [rid for rid, _ in read[:len(cut)]]
    assert list(staged_keys(tmp_path, "part-99999")) == []
    path.write_bytes(pickle.dumps(0) + pickle.dumps([("r0", "keys of another format")]))
    assert list(staged_keys(tmp_path, "part-00000")) == []


def test_a_chunk_that_fails_leaves_no_keys(tmp_path):
    class Boom(Exception):
        pass

    try:
        with KeysWriter(tmp_path, "part-00001") as writer:
            writer.add(keyed_rows([article(0, 3)]))
            raise Boom
    except Boom:
        pass
    assert list((tmp_path / "record-keys").iterdir()) == []


def test_keys_of_another_text_or_config_are_not_used():
    original, furnished = article(0, 6), article(0, 6) + "\n本站声明：转载请注明出处，谢谢合作支持"
    config = DedupConfig()
    stale = record_keys(furnished, None, config)
    assert not stale.fit(Record("a", original, True), config)
    assert not record_keys(original, None, DedupConfig(threshold=0.5)).fit(Record("a", original, True), config)
    assert not record_keys(original, "other", config).fit(Record("a", original, True), config)  # made without signature
    assert record_keys(original, None, config).fit(Record("a", original, True, page_mark="other"), config)
    copies = [Record("a", original, True), Record("b", original + "。", True, keys=stale)]
    assert DuplicateIndex(config).mark_batch("x", copies) == {"a": None, "b": "a"}


def test_keys_pickle_back_equal():
    keys = record_keys(article(0, 4), None, DedupConfig())
    again = pickle.loads(pickle.dumps(keys))
    assert again.source == keys.source and again.paragraphs == keys.paragraphs
    assert again.bands is not None and again.bands == keys.bands and len(keys.bands) == 9


def test_a_batch_with_duplicates_imports_neither_datasketch_nor_scipy_nor_pandas(tmp_path):
    """Signatures come from ``ingest.minhash``, Arrow columns from buffers: no process of a run loads the
    60 MB of datasketch's scipy or pandas' 50 MB."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    write_raw(tmp_path / "raw")
    script = ("import sys; from datetime import UTC, datetime; from ingest.run import run_batch, serial_chunks; "
              f"run_batch({str(tmp_path / 'raw')!r}, {str(tmp_path / 'out')!r}, 'b', False, serial_chunks, "
              "ingested_at=datetime(2026, 11, 21, tzinfo=UTC)); "
              "from ingest.summary import outcome_table; from ingest.report import batch_figures, report_html; "
              f"outcome_table({str(tmp_path / 'out')!r}, 'b'); "
              f"report_html(batch_figures({str(tmp_path / 'out')!r}, 'b', {{}})); "
              "print(sorted(m for m in ('datasketch', 'scipy', 'pandas') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"
    assert len(rows(tmp_path / "out")) == 8


def test_parts_of_many_row_groups_are_marked_and_stripped_as_parts_of_one(tmp_path, monkeypatch):
    """The furniture and duplicate steps rewrite a part a row group at a time (``store.rewrite_groups``):
    parts written two rows a group give the rows that parts of one group give."""
    from functools import partial

    import pyarrow.parquet as pq

    from ingest.store import PartWriter

    write_raw(tmp_path / "raw")
    run_batch_without_prefect(tmp_path / "raw", tmp_path / "whole", batch("b", 0))
    monkeypatch.setattr(chunk, "PartWriter", partial(PartWriter, flush_rows=2))
    run_batch_without_prefect(tmp_path / "raw", tmp_path / "grouped", batch("b", 0))
    parts = list((tmp_path / "grouped" / "documents").rglob("*.parquet"))
    assert max(pq.ParquetFile(p).num_row_groups for p in parts) > 2
    grouped = rows(tmp_path / "grouped")
    assert grouped == rows(tmp_path / "whole")
    assert sum(r[4] is not None for r in grouped) == 3 and all(BANNER not in r[3] for r in grouped if r[1] == "blog-2.txt")
